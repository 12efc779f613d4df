"""Thin Celery wrappers around supervision.compliance.compliance_evaluate.

The nightly run evaluates the whole agency (schedule: casemgmt/celery.py, the one place
periodic tasks are declared); a change to an enrollment's records queues an evaluation of
that enrollment once the change commits. Both are safe to run twice: the evaluation keeps at
most one open flag per (enrollment, rule).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Let a burst of edits to one record settle before evaluating it.
ON_SAVE_DELAY_SECONDS = 5


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_compliance_nightly() -> dict[str, int]:
    return _evaluate(enrollment_ids=None)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_enrollment(enrollment_id: int) -> dict[str, int]:
    return _evaluate(enrollment_ids=[enrollment_id])


def _evaluate(*, enrollment_ids: list[int] | None) -> dict[str, int]:
    # Imported here: the services that queue these tasks are imported by the compliance rules.
    from supervision.compliance import compliance_evaluate

    report = compliance_evaluate(as_of=timezone.localdate(), enrollment_ids=enrollment_ids)
    return {"raised": report.raised, "resolved": report.resolved}


def enrollment_changed(enrollment_id: int) -> None:
    """Queue an evaluation of the enrollment when the current transaction commits. A broker
    that is down must not break saving the record: the failure is logged and the nightly
    run picks the enrollment up."""

    def queue() -> None:
        try:
            evaluate_enrollment.apply_async(
                args=[enrollment_id], countdown=ON_SAVE_DELAY_SECONDS, retry=False
            )
        except Exception:  # the broker is down or unreachable; see the docstring
            logger.warning(
                "Could not queue the compliance evaluation of enrollment %s; the nightly run "
                "will evaluate it.",
                enrollment_id,
                exc_info=True,
            )

    transaction.on_commit(queue)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_flag_digests_daily() -> dict[str, int]:
    """The morning flag digest (supervision.notifications.send_flag_digests); safe to run
    twice: at most one digest per person and day."""
    from supervision.notifications import send_flag_digests

    report = send_flag_digests(today=timezone.localdate())
    return {
        "sent": len(report.sent),
        "unchanged": report.unchanged,
        "already_sent": report.already_sent,
    }
