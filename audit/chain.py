"""The rule of the audit chain, as pure functions of plain values: how a row is written into a
seal's digest, and how a seal is bound to the rows it covers and to the seal before it.

A seal covers the rows of one table with ids in ``(after_id, last_id]``. Its digest is

    HMAC-SHA256(key, previous seal's digest | table | after_id | last_id | row_count
                     | the sealed columns | SHA-256 of the rows | key id)

where the SHA-256 of the rows runs over each row's id and canonical content in id order. The
key is a setting (``AUDIT_KEY``), never stored in the database: whoever owns the database can
change a row, or a seal's fields, but cannot compute the digest that would make the change
verify (HIPAA 45 CFR 164.312(b), audit controls, and 164.312(c)(1), integrity: "protect
electronic protected health information from improper alteration or destruction"; 42 CFR
2.24 and 2.13(d), the accounting of disclosures).

A row's canonical content is its columns as PostgreSQL writes them in JSON (``to_jsonb``),
limited to the columns the seal names, with sorted keys: a column added to a table later
(a migration) leaves the older seals valid, while a column dropped or renamed shows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# What a key's id is computed from: the id names a key without revealing it.
KEY_ID_MESSAGE = b"casework audit key id"
KEY_ID_LENGTH = 16


def key_id(key: str) -> str:
    """The id stored on each seal, naming the key that made it (a rotation starts a segment
    of the chain under a new id)."""
    return hmac.new(key.encode(), KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:KEY_ID_LENGTH]


def signing_key() -> str:
    """The key new seals are made with (``AUDIT_KEY``)."""
    key: str = settings.AUDIT_KEY
    if not key:
        raise ImproperlyConfigured("AUDIT_KEY is empty: set it (see the README, Audit chain).")
    return key


def verification_keys() -> dict[str, str]:
    """Every key a seal may have been made with, by key id: the current one and those retired
    by a rotation (``AUDIT_PREVIOUS_KEYS``)."""
    keys = [signing_key(), *settings.AUDIT_PREVIOUS_KEYS]
    return {key_id(key): key for key in keys if key}


def canonical_content(row: Mapping[str, Any], columns: Sequence[str]) -> str:
    """A row (``to_jsonb`` of it, decoded) as the chain hashes it: the sealed columns only,
    sorted, in compact JSON."""
    return json.dumps(
        {column: row[column] for column in columns if column in row},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


class RowsHash:
    """The SHA-256 of a seal's rows, fed one row at a time in id order; counts them too."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.count = 0

    def add(self, row_id: int, content: str) -> None:
        # One line per row: the content is JSON, whose strings escape newlines.
        self._hash.update(f"{row_id}\t{content}\n".encode())
        self.count += 1

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def seal_digest(
    *,
    key: str,
    previous_digest: str,
    table: str,
    after_id: int,
    last_id: int,
    row_count: int,
    columns: Iterable[str],
    rows_sha256: str,
    key_id: str,
) -> str:
    """The seal's HMAC (see the module's docstring): binds the rows, the range, the table,
    the key id and the previous seal's digest under the key."""
    message = "\n".join(
        [
            previous_digest,
            table,
            str(after_id),
            str(last_id),
            str(row_count),
            ",".join(columns),
            rows_sha256,
            key_id,
        ]
    )
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()
