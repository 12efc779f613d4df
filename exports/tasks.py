"""Thin Celery wrappers around exports.services (the schedule: casemgmt/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from exports.services import export_job_write, export_jobs_purge


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def write_export(job_id: int) -> str | None:
    job = export_job_write(job_id)
    return job.status if job is not None else None


@shared_task
def purge_exports() -> int:
    return export_jobs_purge(now=timezone.now())
