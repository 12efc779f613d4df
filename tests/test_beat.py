"""Celery beat: the schedule lives in code only, and however many beats run, the one holding
the PostgreSQL advisory lock sends each run (casemgmt/beat.py).

Two schedulers in one process stand for two beats: each takes the lock on a connection of
its own to the test database, and sends to the real Redis, into a queue of its own that no
worker reads, whose length says how many runs were sent. They send for a Celery app of their
own whose schedule is one probe, so the project's app and its broker connections are left
alone. Where Redis does not answer the sending tests are skipped with the reason (CI, which
always has Redis, fails on a skip).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import redis
from celery import Celery
from celery.schedules import crontab
from celery.utils.imports import symbol_by_name
from django.apps import apps
from django.conf import settings
from django.db import connection

from casemgmt.beat import BEAT_LOCK_KEY, LockedScheduler
from casemgmt.celery import app
from supervision.tasks import evaluate_compliance_nightly, send_flag_digests_daily

pytestmark = pytest.mark.django_db

# The Redis database the worker test uses too (tests/supervision/test_worker.py), and a queue
# no worker consumes.
TEST_BROKER_DB = 15
PROBE_QUEUE = "beat-test"
PROBE_SCHEDULE = {
    "probe": {
        "task": "tests.beat_probe",
        "schedule": dt.timedelta(hours=1),
        "options": {"queue": PROBE_QUEUE},
    }
}


def _broker_url() -> str:
    return settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{TEST_BROKER_DB}"


@pytest.fixture
def sent() -> Iterator[redis.Redis]:
    """The probe queue on the real Redis, empty to begin with; ``sent.llen(PROBE_QUEUE)``
    counts the runs sent."""
    client = redis.Redis.from_url(_broker_url(), socket_connect_timeout=1)
    try:
        client.delete(PROBE_QUEUE)
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis does not answer at {settings.CELERY_BROKER_URL} ({exc})")
    yield client
    client.delete(PROBE_QUEUE)
    client.close()


@pytest.fixture
def beats() -> Iterator[list[LockedScheduler]]:
    """The beats a test starts with ``_beat``; each is closed (its lock released) after it."""
    started: list[LockedScheduler] = []
    yield started
    for scheduler in started:
        scheduler.close()


def _beat(beats: list[LockedScheduler]) -> LockedScheduler:
    """A beat whose one entry, the probe, is due at once (its last run was two hours ago)."""
    probe_app = Celery("beat-test", broker=_broker_url(), set_as_current=False)
    probe_app.conf.beat_schedule = PROBE_SCHEDULE
    scheduler = LockedScheduler(app=probe_app)
    _make_due(scheduler)
    beats.append(scheduler)
    return scheduler


def _make_due(scheduler: LockedScheduler) -> None:
    entry = scheduler.schedule["probe"]
    entry.last_run_at = entry.default_now() - dt.timedelta(hours=2)
    scheduler._heap = None  # the next tick reads the entry's new last run


def _lock_holder() -> int | None:
    """The server process whose session holds the beat lock, as PostgreSQL sees it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND ((classid::bigint << 32) | objid::bigint) = %s",
            [BEAT_LOCK_KEY],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _end_holders_session() -> None:
    """End the lock holder's session from the server, as when its process is killed or its
    host goes down; wait (up to 5 s) until the session has gone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [_lock_holder()])


def test_the_settings_name_the_locked_scheduler() -> None:
    assert settings.CELERY_BEAT_SCHEDULER == "casemgmt.beat:LockedScheduler"
    assert symbol_by_name(app.conf.beat_scheduler) is LockedScheduler


def test_the_schedule_has_the_nightly_evaluation_and_the_daily_digest() -> None:
    schedule = app.conf.beat_schedule
    assert schedule["evaluate-compliance-nightly"]["task"] == evaluate_compliance_nightly.name
    assert schedule["evaluate-compliance-nightly"]["schedule"] == crontab(hour=2, minute=0)
    assert schedule["send-flag-digests-daily"]["task"] == send_flag_digests_daily.name


def test_no_schedule_is_kept_in_the_database_or_the_admin() -> None:
    assert not apps.is_installed("django_celery_beat")


def test_the_beat_holding_the_lock_sends_and_the_other_does_not(sent, beats) -> None:
    first, second = _beat(beats), _beat(beats)
    first.tick()
    second.tick()
    assert (first.lock.held, second.lock.held) == (True, False)
    assert sent.llen(PROBE_QUEUE) == 1


def test_the_standby_still_moves_the_run_on(sent, beats) -> None:
    first, second = _beat(beats), _beat(beats)
    first.tick()
    second.tick()
    # Had the standby not counted the run as done, it would send it again on taking over.
    first.close()
    second.tick()
    assert second.lock.held
    assert sent.llen(PROBE_QUEUE) == 1


def test_the_standby_takes_over_when_the_holder_stops(sent, beats) -> None:
    first, second = _beat(beats), _beat(beats)
    first.tick()
    second.tick()
    first.close()
    assert _lock_holder() is None
    _make_due(second)
    second.tick()
    assert second.lock.held
    assert sent.llen(PROBE_QUEUE) == 2


def test_the_standby_takes_over_when_the_holder_dies(sent, beats) -> None:
    first, second = _beat(beats), _beat(beats)
    first.tick()
    second.tick()
    _end_holders_session()
    _make_due(second)
    second.tick()
    assert second.lock.held
    assert sent.llen(PROBE_QUEUE) == 2


def test_a_holder_that_lost_its_session_does_not_send(sent, beats) -> None:
    first, second = _beat(beats), _beat(beats)
    first.tick()
    second.tick()
    _end_holders_session()
    second.tick()  # takes the lock the ended session left
    _make_due(first)
    first.tick()
    assert (first.lock.held, second.lock.held) == (False, True)
    assert sent.llen(PROBE_QUEUE) == 1
