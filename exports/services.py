"""Export jobs: queued by a page whose export is too large for a request, written by a Celery
worker, downloaded by the person who asked, deleted after ``EXPORT_FILE_HOURS``."""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from exports import formats, tables
from exports.models import ExportJob

logger = logging.getLogger(__name__)

# How often the worker writes its progress (one UPDATE per this many rows).
PROGRESS_EVERY_ROWS = 5_000


def export_job_queue(
    *, user: User, source: tables.ExportSource, query: QueryDict, fmt: str, page: str,
    table: tables.Table,
) -> ExportJob:  # fmt: skip
    """Store the request for the worker (the query without ``format``) and queue it once the
    row commits. A broker that is down leaves the job queued (its page shows "Queued"), and
    the hourly purge marks it failed after a day."""
    params = query.copy()
    params.pop("format", None)
    job = ExportJob.objects.create(
        requested_by=user,
        source=source.name,
        query=dict(params.lists()),
        format=fmt,
        page=page[:500],
        total_rows=table.count,
        part2=table.part2,
    )
    transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    from exports.tasks import write_export  # the task module imports this one

    try:
        write_export.delay(job_id)
    except Exception:  # the broker is down: the job stays queued, the page says so
        logger.exception("Could not queue export job %s", job_id)


def export_job_write(job_id: int) -> ExportJob | None:
    """Write the job's file. Safe to run twice: only the run that moves the job from queued
    to running writes, any other returns ``None``."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        _write(job)
    except Exception as exc:
        logger.exception("Export job %s failed", job_id)
        job.status, job.error, job.finished_at = ExportJob.Status.FAILED, str(exc), timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
    return job


def _write(job: ExportJob) -> None:
    query = QueryDict(mutable=True)
    for key, values in job.query.items():
        query.setlist(key, values)
    source = tables.source(job.source)
    table = source.build(job.requested_by, query)
    job.total_rows, job.part2 = table.count, table.part2
    job.save(update_fields=["total_rows", "part2"])
    counted = rows_with_progress(job, table.rows)
    with tempfile.TemporaryFile() as out:
        if job.format == formats.CSV:
            text = io.TextIOWrapper(out, encoding="utf-8", newline="")
            text.writelines(formats.csv_lines(table.headers, counted, part2=table.part2))
            text.flush()
            text.detach()
        else:
            formats.write_xlsx(out, table.headers, counted, part2=table.part2)
        out.seek(0)
        now = timezone.now()
        job.file.save(f"{source.filename}-{timezone.localdate(now):%Y-%m-%d}.{job.format}",
                      File(out), save=False)  # fmt: skip
    job.status, job.finished_at = ExportJob.Status.DONE, now
    job.expires_at = now + dt.timedelta(hours=settings.EXPORT_FILE_HOURS)
    job.save(update_fields=["file", "status", "rows_written", "finished_at", "expires_at"])


def rows_with_progress(job: ExportJob, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The rows, writing how many have passed every ``PROGRESS_EVERY_ROWS`` (the progress
    bar reads it from another connection: the worker holds no transaction open)."""
    written = 0
    for row in rows:
        yield row
        written += 1
        if written % PROGRESS_EVERY_ROWS == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_written=written)
    job.rows_written = written


def export_jobs_purge(*, now: dt.datetime) -> int:
    """Delete the files of the jobs past their time (the job rows stay, expired, as the
    record that the export was made); a job never finished a day on is marked failed."""
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now):
        job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        expired += 1
    ExportJob.objects.filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING],
        requested_at__lte=now - dt.timedelta(days=1),
    ).update(status=ExportJob.Status.FAILED, error="The job did not finish within a day.")
    return expired
