"""What the tests of the audit chain share: audit rows to seal, and the database owner's way
around the append-only triggers (``session_replication_role = replica`` switches every
trigger off; the app connects as a superuser here, as the owner could)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorWrapper

from accounts.models import User
from audit.models import Seal
from clients.models import AccessLog

ACCESS_LOG = AccessLog._meta.db_table


def log_views(user: User, count: int) -> list[AccessLog]:
    """``count`` access-log rows of ``user`` looking at a client list."""
    return AccessLog.objects.bulk_create(
        AccessLog(user=user, action=AccessLog.Action.VIEWED, path=f"/clients/?page={n}")
        for n in range(count)
    )


@contextmanager
def as_owner() -> Iterator[CursorWrapper]:
    """A cursor that bypasses the triggers until the block ends (inside the test's
    transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield cursor
        finally:
            cursor.execute("SET LOCAL session_replication_role TO DEFAULT")


def access_log_seal() -> Seal:
    return Seal.objects.filter(table_name=ACCESS_LOG).latest("id")
