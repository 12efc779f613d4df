"""Celery beat's scheduler: the schedule declared in ``casemgmt/celery.py``, sent by one beat
at a time however many are running (``CELERY_BEAT_SCHEDULER``).

Why a lock: an agency may run a second beat (on a second host, or a new one started before the
old one stops) so that the nightly evaluation and the morning digest survive one beat going
down; but two beats that both send would queue every run twice. So each beat asks for a
PostgreSQL session-level advisory lock on a connection of its own, and only the beat that
holds it sends:

- the first beat to ask takes the lock and sends each entry when it is due;
- every other beat is a standby: it keeps the same schedule in step (it sees each run come
  due and pass) but sends nothing;
- the lock belongs to the holder's database session, so when the holder stops, is killed or
  loses its connection, PostgreSQL releases it, and a standby takes it on its next tick: at
  the latest ``--max-interval`` later, and always just before sending an entry that is due.

Each tick, the holder checks that its session is still alive (a lost connection is a lost
lock, which the standby may already have taken). One window is left: a holder that dies in
the instant between sending an entry and the standby's own tick for that same entry; the
standby then sends it again. Both periodic tasks are safe to run twice (``supervision.tasks``:
the evaluation keeps one open flag per rule, the digest claims one row per person and day),
so that costs a repeated evaluation, never a second email.

Why Celery's plain ``Scheduler`` (each entry's last run kept in memory) and not its
``PersistentScheduler`` (a ``celerybeat-schedule`` shelve file in the working directory): the
file is per host, so it cannot tell a standby what the holder sent, and a beat restarted with
it "catches up" a run that the other beat has already sent. Without it a starting beat counts
from now; a run is missed only when no beat at all is up at its minute, and the next night's
run (and the evaluation queued on every save) covers it.

The schedule has one source, the code: django-celery-beat's database scheduler, whose table
administrators could edit in the admin, was removed (issue 14). Its tables
(``django_celery_beat_*``) may remain in databases migrated before then; nothing reads them.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import psycopg
from celery.beat import ScheduleEntry, Scheduler
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# The advisory lock's key: any constant the database's other advisory locks do not use (the
# project takes no others). Keys are per database, so a staging and a production database on
# one server do not share the lock.
BEAT_LOCK_KEY = 4_120_140_001
CONNECT_TIMEOUT_SECONDS = 10

HOLDER = "this beat holds the lock and sends the schedule"
STANDBY = "standby: another beat holds the lock and sends the schedule"


class AdvisoryLock:
    """A PostgreSQL session-level advisory lock held on a connection of its own, opened with
    Django's settings for the database (under pytest-django, the test database)."""

    def __init__(self, key: int, *, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.key = key
        self.alias = alias
        self.held = False
        self._connection: psycopg.Connection[Any] | None = None

    def refresh(self) -> bool:
        """Take the lock if it is free, or check that the session holding it is still alive.
        True while this process holds it; False when another session does or the database
        does not answer."""
        try:
            connection = self._connect()
            if self.held:
                connection.execute("SELECT 1")  # a live session still holds its lock
            else:
                row = connection.execute("SELECT pg_try_advisory_lock(%s)", [self.key]).fetchone()
                self.held = bool(row and row[0])
        except psycopg.Error:
            logger.warning("beat: the lock's database connection failed", exc_info=True)
            self.release()
        return self.held

    def release(self) -> None:
        """Give the lock back and close the connection. Closing alone releases it too, but
        the server ends the session a moment later; unlocking first lets a standby take the
        lock as soon as this returns."""
        connection, self._connection = self._connection, None
        held, self.held = self.held, False
        if connection is None:
            return
        with contextlib.suppress(psycopg.Error):  # a session already gone took its lock along
            if held:
                connection.execute("SELECT pg_advisory_unlock(%s)", [self.key])
        connection.close()

    def _connect(self) -> psycopg.Connection[Any]:
        if self._connection is None or self._connection.closed:
            self.held = False  # a new session holds nothing yet
            params = connections[self.alias].get_connection_params()
            self._connection = psycopg.connect(
                **{"connect_timeout": CONNECT_TIMEOUT_SECONDS, **params}, autocommit=True
            )
        return self._connection


class LockedScheduler(Scheduler):
    """Celery's in-memory scheduler that sends due entries only while this beat holds the
    beat lock; without it, the entries still advance (the holder sends them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Connects on the first tick, not here: beat also builds a scheduler only to print
        # its banner (``lazy=True``).
        self.lock = AdvisoryLock(BEAT_LOCK_KEY)
        self._holding: bool | None = None  # as last logged
        super().__init__(*args, **kwargs)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        holding = self.lock.refresh()
        if holding is not self._holding:
            logger.info("beat: %s", HOLDER if holding else STANDBY)
            self._holding = holding
        return super().tick(*args, **kwargs)

    def apply_entry(self, entry: ScheduleEntry, producer: Any = None) -> None:
        if self.lock.held:
            super().apply_entry(entry, producer=producer)
        else:
            logger.info("beat: standby, not sending %s (the lock's holder sends it)", entry.name)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.lock.release()

    @property
    def info(self) -> str:
        return f"    . lock -> PostgreSQL advisory lock {BEAT_LOCK_KEY} (one beat sends)"
