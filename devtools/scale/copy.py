"""Rows into PostgreSQL with COPY (psycopg 3 ``cursor.copy``), in the text format.

COPY is an order of magnitude faster than INSERT for millions of rows: the rows are streamed
as text, with no statement per row. Values are formatted here; the hot loops of the loader
(contacts) format their lines themselves and hand them to :meth:`CopyWriter.line`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_CHUNK = 5000


def text(value: str) -> str:
    """A string as COPY's text format wants it: backslash, tab and line breaks escaped."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def fmt(value: Any) -> str:
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dt.date):  # dates, and datetimes with their offset
        return value.isoformat()
    if isinstance(value, list | tuple):
        # Array literal of plain words (choice values): no quoting needed.
        return "{" + ",".join(value) + "}"
    if isinstance(value, dict):
        return text(json.dumps(value))
    raise TypeError(f"Cannot COPY {value!r}")


def check_columns(model: type[models.Model], columns: Sequence[str]) -> None:
    """Refuse early, with a clear message, when a model has gained a NOT NULL column that the
    loader does not fill (COPY would fail on it with a less helpful error)."""
    given = set(columns)
    missing = [
        field.column
        for field in model._meta.concrete_fields
        if field.column not in given
        and not field.null
        and not field.generated
        and field.db_default is models.NOT_PROVIDED
    ]
    if missing:
        raise RuntimeError(
            f"seed_scale does not fill {model._meta.db_table}.{', '.join(missing)}: "
            "teach its part of devtools/scale/ the new column(s)."
        )
    unknown = given - {field.column for field in model._meta.concrete_fields}
    if unknown:
        raise RuntimeError(f"{model._meta.db_table} has no column(s) {sorted(unknown)}.")


class CopyWriter:
    """One table's rows: ``row(*values)`` formats them, ``line(text)`` takes a ready line.

    Lines are kept (joined in chunks) until the batch copies them: a connection runs one
    COPY at a time, and a COPY kept open while Python computes would hold the server
    waiting (and a backend waiting in COPY holds up other sessions' DROP DATABASE)."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        check_columns(model, columns)
        self.model = model
        self.columns = list(columns)
        self._chunks: list[str] = []
        self._buffer: list[str] = []
        self.rows = 0

    def line(self, line: str) -> None:
        self._buffer.append(line)
        self.rows += 1
        if len(self._buffer) >= _CHUNK:
            self._chunks.append("".join(self._buffer))
            self._buffer.clear()

    def row(self, *values: Any) -> None:
        self.line("\t".join([fmt(v) for v in values]) + "\n")

    def copy(self) -> None:
        """COPY the rows into the table, in the current transaction, and let them go."""
        if self._buffer:
            self._chunks.append("".join(self._buffer))
            self._buffer.clear()
        if not self._chunks:
            return
        quote = connection.ops.quote_name
        sql = (
            f"COPY {quote(self.model._meta.db_table)} "
            f"({', '.join(quote(c) for c in self.columns)}) FROM STDIN"
        )
        self._chunks.reverse()
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            while self._chunks:
                copy.write(self._chunks.pop())


class CopyBatch:
    """Tables written together and copied one after another, in the order they were opened
    (parents before children, for when foreign keys are checked)."""

    def __init__(self) -> None:
        self.writers: list[CopyWriter] = []

    def table(self, model: type[models.Model], columns: Sequence[str]) -> CopyWriter:
        writer = CopyWriter(model, columns)
        self.writers.append(writer)
        return writer


@contextmanager
def copy_batch() -> Iterator[CopyBatch]:
    batch = CopyBatch()
    yield batch
    for writer in batch.writers:
        writer.copy()
