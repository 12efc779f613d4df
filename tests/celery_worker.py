"""A real Celery worker on the real Redis, for the tests that need one (the broker is a Redis
database of its own, so a development worker never takes these messages), and the way to send
tasks somewhere else than in process.

Where Redis does not answer (a fresh laptop) a test asking for the worker is skipped with the
reason; CI, which always has Redis, fails on any skipped test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from casemgmt.celery import app

TEST_BROKER_DB = 15


def _drop_connection_pool() -> None:
    # Celery keeps the broker connections it made first, whatever the URL says afterwards, and
    # kombu keeps its producer pools in a registry of its own: both are made anew.
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


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


def _test_broker_url() -> str:
    return settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{TEST_BROKER_DB}"


@contextmanager
def real_worker() -> Iterator[None]:
    """A worker thread taking this process's tasks from Redis while the block runs."""
    try:
        redis.Redis.from_url(_test_broker_url(), socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis does not answer at {settings.CELERY_BROKER_URL} ({exc})")
    with (
        broker_at(_test_broker_url()),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        yield


def wait_for(condition: Callable[[], bool], *, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False
