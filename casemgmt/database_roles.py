"""Least privilege in the database (issue 13): the tables' owner, and the role the app uses.

- The **owner** role (``DATABASE_OWNER_URL``) owns every table. Migrations run as it, and so do
  ``seed_scale``, the benchmark and backups (``OWNER_COMMANDS``: ``manage.py`` switches to it for
  them), and the test suite's set-up of its databases.
- The **app** role (``DATABASE_URL``) is what the web app, the Celery workers and every other
  command connect as. It reads and writes rows and owns nothing, so it cannot alter a table,
  disable a trigger or truncate one. Where a table's triggers refuse an ``UPDATE`` or a
  ``DELETE`` (the audit tables: the access log, the accounting of disclosures, every history
  table, the audit seals; and the clinical records that are never hard-deleted), the role is
  not granted that statement either: the refusal no longer rests on triggers alone, which
  whoever owns the table can switch off. What the owner can still do to the audit rows, the
  keyed chain shows (``audit``).

The grants are made by ``grant_app_privileges``, after every ``migrate`` (a ``post_migrate``
receiver, casemgmt.apps) and by ``manage.py grant_app_privileges``. The roles themselves are
created once by someone who may (``manage.py create_database_roles``, or the embedded
database's start-up): ``casework_owner`` and ``casework`` there, any names in production.

HIPAA 45 CFR 164.312(b) (audit controls) and 164.308(a)(4) (access only as needed); NIST SP
800-53 AC-6 (least privilege) and AU-9 (protection of audit information).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, Literal

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

logger = logging.getLogger(__name__)

# The role names the embedded database and CI create (any names work in production).
OWNER_ROLE = "casework_owner"
APP_ROLE = "casework"

# Set by manage.py for the commands that run as the owner; read by the settings.
AS_OWNER_ENV = "CASEWORK_DATABASE_AS_OWNER"
OWNER_COMMANDS = frozenset(
    {
        "migrate",
        "flush",
        "grant_app_privileges",
        "seed_scale",
        "benchmark",
    }
)

Role = Literal["app", "owner"]
# Only the statements a trigger can refuse are mirrored as privileges.
_MIRRORED = ("UPDATE", "DELETE")


def command_runs_as_owner(argv: list[str]) -> bool:
    return len(argv) > 1 and argv[1] in OWNER_COMMANDS


def refused_statements() -> dict[str, tuple[str, ...]]:
    """Each table whose triggers refuse an ``UPDATE`` or ``DELETE`` outright (pgtrigger's
    ``Protect`` with no condition), and those statements, by table name."""
    import pgtrigger  # here, not above: manage.py and the settings import this module

    refused: dict[str, set[str]] = {}
    for model, trigger in pgtrigger.registered():
        if not isinstance(trigger, pgtrigger.Protect) or trigger.condition is not None:
            continue
        operations = {name.strip() for name in str(trigger.operation).split(" OR ")}
        statements = operations.intersection(_MIRRORED)
        if statements:
            refused.setdefault(model._meta.db_table, set()).update(statements)
    return {table: tuple(sorted(statements)) for table, statements in sorted(refused.items())}


def app_privileges_sql(app_role: str) -> list[sql.Composed]:
    """The statements that give ``app_role`` what the app needs in the current schema, and
    no more. Run as the owner; idempotent (each run starts from no privileges)."""
    role = sql.Identifier(app_role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            role
        ),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(role),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
    ]
    for table, refused in refused_statements().items():
        statements.append(
            sql.SQL("REVOKE {} ON {} FROM {}").format(
                sql.SQL(", ").join(sql.SQL(statement) for statement in refused),
                sql.Identifier(table),
                role,
            )
        )
    return statements


def grant_app_privileges(connection: BaseDatabaseWrapper) -> bool:
    """Grant the app role its privileges over ``connection`` (the owner's). Nothing to do, and
    False, where the app and the owner are one role (a single ``DATABASE_URL``)."""
    app_role = settings.DATABASE_ROLES["app"]["USER"]
    if app_role == settings.DATABASE_ROLES["owner"]["USER"]:
        return False
    with connection.cursor() as cursor:
        for statement in app_privileges_sql(app_role):
            cursor.execute(statement.as_string(cursor.connection))
    return True


def least_privilege_problems(connection: BaseDatabaseWrapper) -> list[str]:
    """What is wrong with the role ``connection`` uses for the app: a superuser, or a role
    that owns (or may act as the owner of) the tables, can alter them, disable their triggers
    and rewrite the audit rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper,"
            " EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            "         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
            "           AND pg_has_role(current_user, c.relowner, 'MEMBER'))"
            " FROM pg_roles WHERE rolname = current_user"
        )
        user, superuser, owns_tables = cursor.fetchone()
    problems = []
    if superuser:
        problems.append(f"the database role {user!r} is a superuser")
    if owns_tables:
        problems.append(f"the database role {user!r} owns the tables (or may act as their owner)")
    return problems


def refuse_privileged_role() -> None:
    """At start-up of the web app (WSGI), a Celery worker and beat: refuse to run as a role
    that could rewrite the audit (``least_privilege_problems``). With ``DEBUG`` on (a
    developer's ``DATABASE_URL`` may be a superuser) a warning instead."""
    problems = least_privilege_problems(connections["default"])
    if not problems:
        return
    message = (
        "Casework refuses to run as this database role: "
        + "; ".join(problems)
        + ". Set DATABASE_URL to the app's role and DATABASE_OWNER_URL to the tables' owner"
        " (README, Database roles)."
    )
    if settings.DEBUG:
        logger.warning(message)
        return
    raise ImproperlyConfigured(message)


@contextmanager
def connected_as(role: Role, alias: str = "default") -> Iterator[None]:
    """Reconnect ``alias`` as ``role`` for the block, then as the role it had before. Only
    between transactions: the connection is closed both times."""
    connection = connections[alias]
    before = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    use_role(role, alias)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(before)


def use_role(role: Role, alias: str = "default") -> None:
    """Close ``alias``'s connection and make its next one as ``role``."""
    connection = connections[alias]
    connection.close()
    connection.settings_dict.update(settings.DATABASE_ROLES[role])


def role_settings(database: dict[str, Any]) -> dict[str, str]:
    """The credentials of a ``DATABASES`` entry: what differs between the two roles."""
    return {"USER": database.get("USER", ""), "PASSWORD": database.get("PASSWORD", "")}


def runs_as_owner() -> bool:
    """Whether this process was started for an owner command (set by manage.py)."""
    return os.environ.get(AS_OWNER_ENV) == "1"


def create_roles(
    superuser: psycopg.Connection[Any], *, owner: dict[str, str], app: dict[str, str]
) -> None:
    """Create the two login roles where missing (run by a superuser), with the passwords their
    URLs carry. The owner may create databases (the test suite's are created by it) and set
    ``session_replication_role`` (PostgreSQL 15 or later)."""
    for credentials, attributes in ((owner, "LOGIN CREATEDB"), (app, "LOGIN")):
        if superuser.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", [credentials["USER"]]
        ).fetchone():
            continue
        statement = sql.SQL("CREATE ROLE {} " + attributes).format(
            sql.Identifier(credentials["USER"])
        )
        if credentials["PASSWORD"]:
            statement += sql.SQL(" PASSWORD {}").format(sql.Literal(credentials["PASSWORD"]))
        # A process starting at the same time (pytest-xdist's workers) may create it first.
        with suppress(psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
            superuser.execute(statement)
    # seed_scale loads a synthetic agency with the triggers off (devtools.postgres); the owner
    # may switch them off table by table anyway (ALTER TABLE ... DISABLE TRIGGER).
    superuser.execute(
        sql.SQL("GRANT SET ON PARAMETER session_replication_role TO {}").format(
            sql.Identifier(owner["USER"])
        )
    )
