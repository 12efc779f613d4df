"""A real Celery worker on the real Redis and PostgreSQL: saving a record queues an
evaluation of its enrollment when the transaction commits, and the worker raises the flag.

Needs Redis at CELERY_BROKER_URL; where none answers (a fresh laptop) the test is skipped
with the reason, and CI, which always has Redis, fails on any skipped test.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from casemgmt.celery import app
from clients import services
from clients.models import Contact
from supervision.models import Flag
from tests import factories
from tests.helpers import days_ago
from tests.supervision.conftest import broker_at

# A Redis database of its own, so that a development worker never takes these messages.
TEST_BROKER_DB = 15

pytestmark = pytest.mark.django_db(transaction=True)


def _broker_url() -> str:
    return settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{TEST_BROKER_DB}"


@pytest.fixture
def worker() -> Iterator[None]:
    try:
        redis.Redis.from_url(_broker_url(), socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis does not answer at {settings.CELERY_BROKER_URL} ({exc})")
    with (
        broker_at(_broker_url()),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        yield


def _wait_for(condition, *, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


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
    assert _wait_for(
        lambda: Flag.objects.filter(
            enrollment=enrollment, rule="initial_assessment_overdue", resolved_on=None
        ).exists()
    )
