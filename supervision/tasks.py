"""Thin Celery wrappers around supervision.compliance.compliance_evaluate.

The nightly run evaluates the whole agency (schedule: casemgmt/celery.py, the one place
periodic tasks are declared); a change to an enrollment's records queues an evaluation of
that enrollment once the change commits (clients.events.EnrollmentChanged, subscribed in
SupervisionConfig.ready), or, for a save through the web pages, evaluates it at once in the
request (casemgmt.reactions.interactive). Both are safe to run twice: the evaluation keeps at
most one open flag per (enrollment, rule).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from casemgmt.reactions import is_interactive
from clients.events import EnrollmentChanged
from supervision.compliance import compliance_evaluate
from supervision.notifications import send_flag_digests

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
    report = compliance_evaluate(as_of=timezone.localdate(), enrollment_ids=enrollment_ids)
    return {"raised": report.raised, "resolved": report.resolved}


def queue_enrollment_evaluation(event: EnrollmentChanged) -> None:
    """On commit of a change to an enrollment's records (subscribed in SupervisionConfig.ready):
    evaluate it at once when the save came through the web pages (casemgmt.reactions
    .is_interactive: the page that refreshes after the save shows the flags as they now stand,
    issue 11), else queue its evaluation. A broker that is down must not break saving the
    record: the failure is logged and the nightly run picks the enrollment up."""
    if is_interactive() and _evaluated_now(event):
        return
    try:
        evaluate_enrollment.apply_async(
            args=[event.enrollment_id], countdown=ON_SAVE_DELAY_SECONDS, retry=False
        )
    except Exception:  # the broker is down or unreachable; see the docstring
        logger.warning(
            "Could not queue the compliance evaluation of enrollment %s; the nightly run "
            "will evaluate it.",
            event.enrollment_id,
            exc_info=True,
        )


def _evaluated_now(event: EnrollmentChanged) -> bool:
    """Evaluate the one enrollment in this process (a handful of set-based queries). The
    record is already saved: should the evaluation fail, the person still gets their page and
    the evaluation goes to the workers instead."""
    try:
        _evaluate(enrollment_ids=[event.enrollment_id])
    except Exception:  # the save has committed; see the docstring
        logger.warning(
            "Could not evaluate enrollment %s in the request; queuing it instead.",
            event.enrollment_id,
            exc_info=True,
        )
        return False
    return True


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_flag_digests_daily() -> dict[str, int]:
    """The morning flag digest (supervision.notifications.send_flag_digests); safe to run
    twice: at most one digest per person and day."""
    report = send_flag_digests(today=timezone.localdate())
    return {
        "sent": len(report.sent),
        "unchanged": report.unchanged,
        "already_sent": report.already_sent,
    }
