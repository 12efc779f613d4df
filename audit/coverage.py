"""Which tables the audit chain covers, and how their rows are read for it.

Covered: the access log (``clients.AccessLog``), the emergency grants and their early ends
(``clients.EmergencyAccess``, ``clients.EmergencyAccessEnd``), the accounting of disclosures
(``referrals.Disclosure``) and every history table (each model that is a pghistory ``Event``,
so a model tracked later is covered without a change here). Each is append-only in the
database already; the chain makes a change made around that (by the database's owner, who can
disable the triggers) show.

Table and column names come from the models (``Model._meta``), never from user input; they
are quoted by the database backend before they go into SQL.

Rows are read in id order, in chunks by key (``id > last seen``), so memory and each query
stay small whatever the table's size.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Model
from pghistory.models import Event

from clients.models import AccessLog, EmergencyAccess, EmergencyAccessEnd
from referrals.models import Disclosure

CHUNK_ROWS = 5_000
# How often to look again whether the transactions writing to a table have ended.
SETTLE_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class CoveredTable:
    name: str
    pk_column: str

    @property
    def quoted(self) -> str:
        return connection.ops.quote_name(self.name)

    @property
    def quoted_pk(self) -> str:
        return connection.ops.quote_name(self.pk_column)


def _covered_models() -> list[type[Model]]:
    # Every history model of every app, found by its class: none is looked up by name.
    events = [
        model
        for app_config in apps.get_app_configs()
        for model in app_config.get_models()
        if issubclass(model, Event) and model._meta.managed and not model._meta.proxy
    ]
    return [AccessLog, EmergencyAccess, EmergencyAccessEnd, Disclosure, *events]


def covered_tables() -> dict[str, CoveredTable]:
    """The covered tables by name, sorted by name (the order a sealing run seals them in)."""
    tables = (
        CoveredTable(name=model._meta.db_table, pk_column=model._meta.pk.column)
        for model in _covered_models()
        if model._meta.pk is not None
    )
    return {table.name: table for table in sorted(tables, key=lambda table: table.name)}


def use_canonical_session() -> None:
    """Fix, for the current transaction, the session settings that change how PostgreSQL
    writes a value in JSON (time zone, interval and float output), so that a row reads the
    same when it is sealed and when it is verified, whatever the connection's defaults."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('TimeZone', 'UTC', true),"
            " set_config('IntervalStyle', 'postgres', true),"
            " set_config('extra_float_digits', '1', true)"
        )


def highest_ids(tables: list[CoveredTable]) -> dict[str, int]:
    """Each table's highest committed id (0 when it is empty), in one query."""
    if not tables:
        return {}
    maxima = ", ".join(f"(SELECT max({table.quoted_pk}) FROM {table.quoted})" for table in tables)  # nosec B608  # table and column names from the models, quoted; values as parameters
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {maxima}")  # nosec B608: names from the models, quoted
        row = cursor.fetchone()
    return {table.name: int(value or 0) for table, value in zip(tables, row, strict=True)}


def open_writers(tables: list[CoveredTable]) -> dict[str, set[str]]:
    """The transactions of other sessions that may have written to each table and have not
    ended yet, by table: their virtual transaction ids. A writer holds its table's ROW
    EXCLUSIVE lock from before it draws an id until it commits or rolls back, so a row with
    an id below the highest committed one can still be invisible only while its writer is
    listed here."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, l.virtualtransaction FROM pg_locks l"
            " JOIN pg_class c ON c.oid = l.relation"
            " WHERE l.locktype = 'relation' AND l.mode = 'RowExclusiveLock'"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND l.pid IS DISTINCT FROM pg_backend_pid()"
            " AND c.relname = ANY(%s)",
            [[table.name for table in tables]],
        )
        writers: dict[str, set[str]] = {}
        for table_name, transaction_id in cursor.fetchall():
            writers.setdefault(table_name, set()).add(transaction_id)
    return writers


def wait_for_transactions(transaction_ids: set[str], *, timeout: float) -> set[str]:
    """Wait up to ``timeout`` seconds for these transactions to end; those still running."""
    deadline = time.monotonic() + timeout
    running = set(transaction_ids)
    while running:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT virtualxid FROM pg_locks"
                " WHERE locktype = 'virtualxid' AND virtualxid = ANY(%s)",
                [sorted(running)],
            )
            running = {transaction_id for (transaction_id,) in cursor.fetchall()}
        if not running or time.monotonic() >= deadline:
            break
        time.sleep(SETTLE_POLL_SECONDS)
    return running


def rows(
    table: CoveredTable, *, after_id: int, last_id: int
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The table's rows with ids in ``(after_id, last_id]``, in id order, each as its id and
    its columns as PostgreSQL writes them in JSON (decoded); read in chunks by key."""
    pk, name = table.quoted_pk, table.quoted
    query = (  # nosec B608: names from the models, quoted
        f"SELECT {pk}, to_jsonb(t)::text FROM {name} t WHERE {pk} > %s AND {pk} <= %s"  # nosec B608  # table and column names from the models, quoted; values as parameters
        f" ORDER BY {pk} LIMIT %s"
    )
    seen = after_id
    while True:
        with connection.cursor() as cursor:
            cursor.execute(query, [seen, last_id, CHUNK_ROWS])
            chunk = cursor.fetchall()
        for row_id, content in chunk:
            yield int(row_id), json.loads(content)
        if len(chunk) < CHUNK_ROWS:
            return
        seen = int(chunk[-1][0])
