"""The PostgreSQL switches seed_scale and the benchmark share: whether the connection may
bypass triggers, and the session setting that does it."""

from __future__ import annotations

from django.db import connection


def may_bypass_triggers() -> bool:
    """Whether the connection's role may set ``session_replication_role``: a superuser, or the
    tables' owner where ``create_database_roles`` granted it (casemgmt.database_roles)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        return bool(cursor.fetchone()[0])


def bypass_triggers(bypass: bool) -> None:
    """``SET LOCAL session_replication_role``: ``replica`` (triggers, history and foreign-key
    checks off until the transaction ends) or back to the default; see may_bypass_triggers."""
    with connection.cursor() as cursor:
        if bypass:
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("SET LOCAL session_replication_role TO DEFAULT")
