"""What the tests of the audit chain share: audit rows to seal, and the database owner's way
around the append-only triggers (the tests that tamper connect as the tables' owner role,
``as_database_owner``, which may switch a table's triggers off; the app's role may not)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
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


# The tables the tests tamper with: the access log and the seals of the chain.
TAMPERED = (ACCESS_LOG, Seal._meta.db_table)


@contextmanager
def as_owner() -> Iterator[CursorWrapper]:
    """A cursor on the owner's connection with the tampered tables' triggers off until the
    block ends (inside the test's transaction, which rolls the switch back too)."""
    with connection.cursor() as cursor:
        assert connection.settings_dict["USER"] == settings.DATABASE_ROLES["owner"]["USER"]
        # A table with deferred foreign-key checks still pending cannot be altered: run them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in TAMPERED:
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DISABLE TRIGGER USER")
        try:
            yield cursor
        finally:
            for table in TAMPERED:
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(table)} ENABLE TRIGGER USER"
                )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def access_log_seal() -> Seal:
    return Seal.objects.filter(table_name=ACCESS_LOG).latest("id")
