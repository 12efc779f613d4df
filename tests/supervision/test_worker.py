"""A real Celery worker (tests/celery_worker.py) on the real Redis and PostgreSQL: saving a
record queues an evaluation of its enrollment when the transaction commits, and the worker
raises the flag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from clients import services
from clients.models import Contact
from supervision.models import Flag
from tests import factories
from tests.celery_worker import real_worker, wait_for
from tests.helpers import days_ago

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker() -> Iterator[None]:
    with real_worker():
        yield


def test_it_raises_a_flag_from_a_worker_after_a_record_is_saved(worker) -> None:
    # Applied 40 days ago and never assessed: the initial assessment is overdue.
    enrollment = factories.EnrollmentFactory(application_date=days_ago(40))
    services.contact_record(
        actor=enrollment.case_manager,
        enrollment=enrollment,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        contact_type=Contact.Type.PHONE,
        duration_minutes=15,
        note="Called to book the assessment.",
    )
    assert wait_for(
        lambda: Flag.objects.filter(
            enrollment=enrollment, rule="initial_assessment_overdue", resolved_on=None
        ).exists()
    )
