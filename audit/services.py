"""Writes of the audit chain: sealing new audit rows, and the nightly check that alerts the
administrators when the chain is broken."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role, User
from audit import chain
from audit.coverage import (
    CoveredTable,
    covered_tables,
    highest_ids,
    open_writers,
    rows,
    use_canonical_session,
    wait_for_transactions,
)
from audit.models import AuditAlert, Seal
from audit.selectors import VerifyReport, audit_verify

logger = logging.getLogger(__name__)

# A transaction-level advisory lock: one sealing run at a time (the beat lock's key is
# 4_120_140_001, casemgmt/beat.py).
SEAL_LOCK_KEY = 4_120_140_002
# How long a run waits for open transactions that wrote to a covered table to end before it
# leaves that table for the next run.
SETTLE_TIMEOUT_SECONDS = 10.0


@dataclass
class SealReport:
    """What a sealing run did: the seals it wrote, the tables it left for the next run
    because a transaction writing to them was still open, and whether another run held the
    lock (then it did nothing)."""

    seals: list[Seal] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    busy: bool = False

    @property
    def rows(self) -> int:
        return sum(seal.row_count for seal in self.seals)


def audit_seal(*, settle_seconds: float = SETTLE_TIMEOUT_SECONDS) -> SealReport:
    """Seal every covered row not sealed yet: per covered table, one seal over the rows with
    ids above its last seal, chained to the newest seal under ``AUDIT_KEY`` (audit.chain;
    HIPAA 45 CFR 164.312(b) and (c)(1); 42 CFR 2.24 and 2.13(d)).

    Only rows committed before the run are covered: a row written since the last run (the
    beat's interval, casemgmt/celery.py) can still be changed or removed by the database's
    owner without a trace. A row whose transaction is still open when the run starts holds an
    id below rows already committed, and sealing past it would later show it as inserted; so
    the run first waits (up to ``settle_seconds``) for the transactions writing to a table to
    end, and leaves a table whose writer is still open to the next run.

    Set-based: a fixed number of queries, plus one per table with new rows and one more per
    5,000 of its rows. Safe to run twice, or in two workers at once: one run at a time holds
    the lock, and a run with nothing new writes nothing.
    """
    with transaction.atomic():
        if not _take_seal_lock():
            return SealReport(busy=True)
        use_canonical_session()
        tables = covered_tables()
        sealed_up_to = _sealed_up_to(list(tables))
        highest = highest_ids(list(tables.values()))
        pending = [
            table for name, table in tables.items() if highest[name] > sealed_up_to.get(name, 0)
        ]
        writers = open_writers(pending)
        running = wait_for_transactions(set().union(*writers.values()), timeout=settle_seconds)
        deferred = [table.name for table in pending if writers.get(table.name, set()) & running]
        ready = [table for table in pending if table.name not in deferred]
        seals = _chain_seals(ready, sealed_up_to=sealed_up_to, highest=highest)
        Seal.objects.bulk_create(seals)
    if deferred:
        logger.info("audit: left for the next run (a transaction still open): %s", deferred)
    return SealReport(seals=seals, deferred=deferred)


def _take_seal_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
        row = cursor.fetchone()
    return bool(row and row[0])


def _sealed_up_to(table_names: list[str]) -> dict[str, int]:
    """Each table's last sealed id, one index probe per table in one query."""
    seals = connection.ops.quote_name(Seal._meta.db_table)
    query = (  # nosec B608: the model's table, quoted
        f"SELECT t.name, (SELECT s.last_id FROM {seals} s WHERE s.table_name = t.name"  # nosec B608  # table and column names from the models, quoted; values as parameters
        " ORDER BY s.last_id DESC LIMIT 1) FROM unnest(%s::text[]) AS t(name)"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [table_names])
        return {name: int(last_id) for name, last_id in cursor.fetchall() if last_id is not None}


def _chain_seals(
    tables: list[CoveredTable], *, sealed_up_to: dict[str, int], highest: dict[str, int]
) -> list[Seal]:
    """One seal per table over its new rows, each chained to the one before."""
    key = chain.signing_key()
    key_id = chain.key_id(key)
    previous_digest = Seal.objects.order_by("-id").values_list("digest", flat=True).first() or ""
    now = timezone.now()
    seals = []
    for table in tables:
        after_id, last_id = sealed_up_to.get(table.name, 0), highest[table.name]
        columns, rows_hash = _hash_rows(table, after_id=after_id, last_id=last_id)
        if rows_hash.count == 0:
            continue
        seal = Seal(
            table_name=table.name,
            after_id=after_id,
            last_id=last_id,
            row_count=rows_hash.count,
            columns=columns,
            rows_sha256=rows_hash.hexdigest(),
            previous_digest=previous_digest,
            key_id=key_id,
            sealed_at=now,
        )
        seal.digest = seal.digest_under(key)
        seals.append(seal)
        previous_digest = seal.digest
    return seals


def _hash_rows(
    table: CoveredTable, *, after_id: int, last_id: int
) -> tuple[list[str], chain.RowsHash]:
    rows_hash = chain.RowsHash()
    columns: list[str] = []
    for row_id, row in rows(table, after_id=after_id, last_id=last_id):
        columns = columns or sorted(row)
        rows_hash.add(row_id, chain.canonical_content(row, columns))
    return columns, rows_hash


def audit_check_nightly(*, today: dt.date) -> VerifyReport:
    """The nightly check: seal what is new, verify the whole chain (audit.selectors
    .audit_verify), and on a break email the active administrators once a day (HIPAA 45 CFR
    164.308(a)(1)(ii)(D), information system activity review; 164.312(c)(1), integrity).

    Safe to run twice: the alert is claimed first by inserting the day's AuditAlert row (one
    per day), and claim and email are one transaction, so a mail server that fails leaves no
    claim and the next run sends it. The email names the table, the rows' ids and the seal,
    never a client.
    """
    audit_seal()
    report = audit_verify()
    if report.first_break is None:
        return report
    logger.error("audit: the chain is broken: %s", report.first_break)
    with transaction.atomic():
        _, claimed = AuditAlert.objects.get_or_create(
            sent_on=today,
            defaults={
                "sent_at": timezone.now(),
                "seal_id": report.first_break.seal_id,
                "table_name": report.first_break.table,
                "problem": report.first_break.problem,
            },
        )
        if claimed:
            _alert_administrators(report)
    return report


def _alert_administrators(report: VerifyReport) -> None:
    administrators = User.objects.filter(
        role=Role.ADMINISTRATOR, is_active=True, email__gt=""
    ).order_by("id")
    recipients = list(administrators.values_list("email", flat=True))
    if not recipients:
        logger.error("audit: no active administrator with an email address to alert")
        return
    body = render_to_string(
        "audit/break_email.txt", {"report": report, "first_break": report.first_break}
    )
    EmailMessage(
        subject="Casework: the audit chain is broken",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    ).send()
