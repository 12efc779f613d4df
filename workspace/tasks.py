"""Thin Celery wrappers around workspace services (schedule: casemgmt/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from workspace.services import contact_drafts_purge


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def purge_contact_drafts() -> dict[str, int]:
    """Delete contact drafts older than 24 hours; safe to run twice."""
    return {"deleted": contact_drafts_purge(now=timezone.now())}
