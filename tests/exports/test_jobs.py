"""Export jobs (exports.services, exports.http): more rows than a request writes make a job,
written once however often it runs, its progress kept, its file deleted after its hours."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook

from clients.models import AccessLog, Program
from exports import services
from exports.models import ExportJob
from tests.exports.conftest import ask

pytestmark = pytest.mark.django_db


def _job_of(response) -> ExportJob:
    assert response.status_code == 302
    return ExportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def _queued_job(client, alice, fmt: str = "csv") -> ExportJob:
    """The job asked for, not yet written (tests run Celery tasks eagerly on commit, and a
    test's transaction never commits)."""
    return _job_of(ask(client, alice, fmt))


def test_an_export_of_up_to_the_limit_is_written_in_the_request(
    client, alice, enrollment, three_contacts, settings
) -> None:
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 3
    response = ask(client, alice)
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def test_an_export_over_the_limit_becomes_a_job_of_its_requester(
    client, alice, three_contacts
) -> None:
    job = _queued_job(client, alice)
    assert (job.requested_by, job.status, job.total_rows) == (alice, "queued", 3)
    assert job.source == "reports.activity_contacts"
    assert "format" not in job.query


def test_a_job_request_writes_no_access_log_row_until_the_file_is_downloaded(
    client, alice, three_contacts
) -> None:
    _queued_job(client, alice)
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_the_worker_writes_the_rows_the_request_counted(client, alice, three_contacts) -> None:
    job = services.export_job_write(_queued_job(client, alice).pk)
    assert job is not None and job.status == "done"
    with job.file.open("rb") as file:
        lines = list(csv.reader(io.StringIO(file.read().decode())))
    record = three_contacts[0].client.record_number
    assert lines[-4][:4] == ["Date", "Time", "Case manager", "Client record number"]
    assert [line[3] for line in lines[-3:]] == [record] * 3
    assert job.rows_written == 3


def test_a_job_run_twice_writes_once(client, alice, three_contacts) -> None:
    job = _queued_job(client, alice)
    first = services.export_job_write(job.pk)
    assert services.export_job_write(job.pk) is None
    job.refresh_from_db()
    assert job.file.name == first.file.name


def test_an_xlsx_job_opens_with_the_headers_and_rows(client, alice, three_contacts) -> None:
    job = services.export_job_write(_queued_job(client, alice, "xlsx").pk)
    with job.file.open("rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()), read_only=True)
    rows = [list(r) for r in workbook.worksheets[-1].iter_rows(values_only=True)]
    assert rows[0][:4] == ["Date", "Time", "Case manager", "Client record number"]
    assert len(rows) == 4


def test_a_job_keeps_its_file_for_its_hours(client, alice, three_contacts) -> None:
    job = services.export_job_write(_queued_job(client, alice).pk)
    assert job.expires_at - job.finished_at == dt.timedelta(hours=settings.EXPORT_FILE_HOURS)


def test_the_purge_deletes_a_file_past_its_hours_and_keeps_the_job(
    client, alice, three_contacts
) -> None:
    job = services.export_job_write(_queued_job(client, alice).pk)
    path = job.file.path
    assert services.export_jobs_purge(now=job.expires_at) == 1
    job.refresh_from_db()
    assert job.status == "expired" and not job.file
    with pytest.raises(FileNotFoundError):
        open(path, "rb")  # noqa: SIM115


def test_the_purge_keeps_a_file_within_its_hours(client, alice, three_contacts) -> None:
    job = services.export_job_write(_queued_job(client, alice).pk)
    assert services.export_jobs_purge(now=job.expires_at - dt.timedelta(seconds=1)) == 0


def test_the_purge_fails_a_job_never_written_within_a_day(client, alice, three_contacts) -> None:
    job = _queued_job(client, alice)
    services.export_jobs_purge(now=timezone.now() + dt.timedelta(days=1, seconds=1))
    job.refresh_from_db()
    assert job.status == "failed"


def test_a_job_whose_query_no_longer_validates_fails_with_the_reason(
    client, alice, three_contacts
) -> None:
    job = _queued_job(client, alice)
    ExportJob.objects.filter(pk=job.pk).update(query={"start": ["not a date"]})
    written = services.export_job_write(job.pk)
    assert written.status == "failed" and "start" in written.error


def test_progress_is_written_as_the_rows_pass(client, alice, three_contacts, monkeypatch) -> None:
    monkeypatch.setattr(services, "PROGRESS_EVERY_ROWS", 2)
    job = _queued_job(client, alice)
    rows = services.rows_with_progress(job, iter([["a"], ["b"], ["c"], ["d"], ["e"]]))
    for _ in range(3):
        next(rows)
    job.refresh_from_db()
    assert job.rows_written == 2


def test_a_job_is_judged_by_the_scope_of_its_requester(client, charlie, three_contacts) -> None:
    response = ask(client, charlie)
    assert response.status_code == 200  # none of alice's contacts: nothing to make a job of
    assert not ExportJob.objects.exists()


def test_a_part2_programs_contacts_carry_the_notice_in_the_jobs_file(
    client, alice, three_contacts
) -> None:
    Program.objects.update(is_part2=True)
    job = services.export_job_write(_queued_job(client, alice).pk)
    assert job.part2
    with job.file.open("rb") as file:
        assert file.readline().decode().startswith('"Notice of prohibition on redisclosure')


def test_other_programs_contacts_carry_no_notice(client, alice, three_contacts) -> None:
    job = services.export_job_write(_queued_job(client, alice).pk)
    with job.file.open("rb") as file:
        assert file.readline().decode().startswith("Date,")
