"""The PostgreSQL switches seed_scale and the benchmark share: whether the connection may
bypass triggers, and the session setting that does it."""

from __future__ import annotations

from django.db import connection


def is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cursor.fetchone()[0])


def bypass_triggers(bypass: bool) -> None:
    """``SET LOCAL session_replication_role``: ``replica`` (triggers, history and foreign-key
    checks off until the transaction ends) or back to the default. Superusers only."""
    with connection.cursor() as cursor:
        if bypass:
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("SET LOCAL session_replication_role TO DEFAULT")
