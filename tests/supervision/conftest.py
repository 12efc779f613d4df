from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from casemgmt.celery import app


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
