from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.utils import timezone

from accounts.models import User
from casemgmt.celery import app
from clients.models import Enrollment
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule
from tests import factories


@pytest.fixture
def overdue(alice: User) -> Enrollment:
    """alice's enrollment, applied 40 days ago: the initial assessment is 10 days overdue,
    and flagged."""
    today = timezone.localdate()
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=today - dt.timedelta(days=40)
    )
    compliance_evaluate(as_of=today, enrollment_ids=[enrollment.pk])
    return enrollment


@pytest.fixture
def flag(overdue: Enrollment) -> Flag:
    """The open initial-assessment flag of ``overdue``."""
    return Flag.objects.open().get(enrollment=overdue, rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)


def _drop_connection_pool() -> None:
    # Celery keeps the broker connections it made first, whatever the URL says afterwards.
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Send tasks to the broker at ``url`` instead of running them in process."""
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _drop_connection_pool()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        _drop_connection_pool()
