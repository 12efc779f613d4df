"""Thin Celery wrappers around the audit chain's services (schedule: casemgmt/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from audit.services import audit_check_nightly, audit_seal


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def seal_audit_rows() -> dict[str, int]:
    """Seal the audit rows written since the last run; safe to run twice."""
    report = audit_seal()
    return {"seals": len(report.seals), "rows": report.rows, "deferred": len(report.deferred)}


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def verify_audit_nightly() -> dict[str, int | str]:
    """Seal, verify the whole chain and alert the administrators on a break (at most one
    alert a day); safe to run twice."""
    report = audit_check_nightly(today=timezone.localdate())
    return {
        "seals": report.seals,
        "rows": report.rows,
        "last_digest": report.last_digest,
        "break": str(report.first_break) if report.first_break else "",
    }
