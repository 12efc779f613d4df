"""Reads of the audit chain: verifying it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from audit import chain
from audit.coverage import CoveredTable, covered_tables, rows, use_canonical_session
from audit.models import Seal

# Seals read and checked at a time: memory stays small however long the chain.
SEAL_BATCH = 1_000


@dataclass(frozen=True)
class Break:
    """Where the chain first fails to verify, and why."""

    seal_id: int
    table: str
    first_row_id: int
    last_row_id: int
    problem: str

    def __str__(self) -> str:
        return (
            f"{self.table}, rows {self.first_row_id}-{self.last_row_id} "
            f"(seal {self.seal_id}): {self.problem}"
        )


@dataclass
class VerifyReport:
    """What a check found: how many seals and rows verified, the newest seal that did (its
    digest, kept outside the database, shows later whether newer seals were removed), and the
    first break."""

    seals: int = 0
    rows: int = 0
    last_seal_id: int | None = None
    last_digest: str = ""
    first_break: Break | None = None

    @property
    def intact(self) -> bool:
        return self.first_break is None


@dataclass
class _Walk:
    """What the walk along the chain expects of the next seal."""

    keys: dict[str, str]
    tables: dict[str, CoveredTable]
    previous_digest: str = ""
    last_id_by_table: dict[str, int] = field(default_factory=dict)

    def problem(self, seal: Seal, found: chain.RowsHash) -> str | None:
        """What is wrong with ``seal`` given the rows ``found`` in its range, or None. Each
        check assumes the ones before it passed."""
        key = self.keys.get(seal.key_id)
        ended_at = self.last_id_by_table.get(seal.table_name, 0)
        if seal.previous_digest != self.previous_digest:
            return (
                "the seal does not follow the one before it in the chain: a seal was removed, "
                "inserted or reordered"
            )
        if key is None:
            return (
                f"sealed with key id {seal.key_id}, which is neither AUDIT_KEY nor one of "
                "AUDIT_PREVIOUS_KEYS: a retired key is missing from the settings, or the seal "
                "was forged"
            )
        if seal.digest_under(key) != seal.digest:
            return (
                "the seal was rewritten: its digest does not match its fields under the key "
                "(changed, or recomputed, without the key)"
            )
        if seal.table_name not in self.tables:
            return "the table is no longer covered by the chain (renamed or removed)"
        if seal.after_id != ended_at:
            return (
                f"the range starts after id {seal.after_id}, but the table's previous seal "
                f"ended at id {ended_at}"
            )
        return _rows_problem(seal, found)

    def advance(self, seal: Seal) -> None:
        self.previous_digest = seal.digest
        self.last_id_by_table[seal.table_name] = seal.last_id


def _rows_problem(seal: Seal, found: chain.RowsHash) -> str | None:
    if found.count < seal.row_count:
        return f"a row was deleted: {seal.row_count} rows were sealed, {found.count} are there"
    if found.count > seal.row_count:
        return f"a row was inserted: {seal.row_count} rows were sealed, {found.count} are there"
    if found.hexdigest() != seal.rows_sha256:
        return "a row was altered (or rows reordered): the rows differ from those sealed"
    return None


def audit_verify() -> VerifyReport:
    """Check the whole chain, seal by seal in chain order, and report the first break: a
    seal removed, inserted, reordered or rewritten (each seal must name the digest of the one
    before it, and its own digest must match its fields under the key its key id names), a
    gap between a table's seals, or a row deleted, inserted or altered in a sealed range (the
    rows there, hashed again, must match the count and hash the seal binds). HIPAA 45 CFR
    164.312(b) and (c)(1); 42 CFR 2.24 and 2.13(d).

    Rows not sealed yet (written since the last sealing run) are not checked. Deleting the
    newest seals together with the rows they cover leaves no gap to find: the chain proves
    nothing changed up to its newest seal, whose digest the report gives to keep elsewhere.

    Set-based: per 1,000 seals, one query for the seals and one per table they cover (plus
    one per 5,000 rows); nothing is written.
    """
    report = VerifyReport()
    with transaction.atomic():
        use_canonical_session()
        walk = _Walk(keys=chain.verification_keys(), tables=covered_tables())
        for batch in _seal_batches():
            found = _rows_found(batch, walk.tables)
            for seal in batch:
                problem = walk.problem(seal, found[seal.pk])
                if problem is not None:
                    report.first_break = Break(
                        seal_id=seal.pk,
                        table=seal.table_name,
                        first_row_id=seal.after_id + 1,
                        last_row_id=seal.last_id,
                        problem=problem,
                    )
                    return report
                walk.advance(seal)
                report.seals += 1
                report.rows += seal.row_count
                report.last_seal_id, report.last_digest = seal.pk, seal.digest
    return report


def _seal_batches() -> Iterator[list[Seal]]:
    after = 0
    while batch := list(Seal.objects.filter(id__gt=after).order_by("id")[:SEAL_BATCH]):
        yield batch
        after = batch[-1].pk


def _rows_found(
    batch: list[Seal], tables: dict[str, CoveredTable]
) -> defaultdict[int, chain.RowsHash]:
    """The rows in each seal's range as they are now, hashed as the seal hashed them: per
    table, its rows over the batch's ranges in one pass in id order."""
    found: defaultdict[int, chain.RowsHash] = defaultdict(chain.RowsHash)
    by_table: defaultdict[str, list[Seal]] = defaultdict(list)
    for seal in batch:
        by_table[seal.table_name].append(seal)
    for name, seals in by_table.items():
        if name in tables:
            _hash_ranges(tables[name], sorted(seals, key=lambda seal: seal.last_id), found)
    return found


def _hash_ranges(
    table: CoveredTable, seals: list[Seal], found: defaultdict[int, chain.RowsHash]
) -> None:
    after_id = min(seal.after_id for seal in seals)
    index = 0
    for row_id, row in rows(table, after_id=after_id, last_id=seals[-1].last_id):
        while row_id > seals[index].last_id:
            index += 1
        seal = seals[index]
        if row_id > seal.after_id:  # else between two ranges: the walk reports the gap
            found[seal.pk].add(row_id, chain.canonical_content(row, seal.columns))
