"""Verifying the audit chain (audit.selectors.audit_verify): every change the database's owner
can make around the append-only triggers shows as the first break."""

from __future__ import annotations

from contextlib import suppress

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit import chain
from audit.coverage import covered_tables, rows
from audit.models import Seal
from audit.selectors import audit_verify
from audit.services import audit_seal
from tests.audit.tampering import ACCESS_LOG, access_log_seal, as_owner, log_views

# The owner role tampers with the audit rows here (tests.audit.tampering).
pytestmark = pytest.mark.usefixtures("as_database_owner")


class Rollback(Exception):
    pass


def test_it_passes_an_intact_chain(alice, client_record):
    log_views(alice, 3)
    audit_seal()
    log_views(alice, 2)
    audit_seal()
    report = audit_verify()
    assert report.intact
    assert report.seals == Seal.objects.count()
    assert report.rows >= 5


def test_it_passes_an_empty_chain(db):
    assert audit_verify().intact


def test_it_finds_a_deleted_row(alice):
    rows_logged = log_views(alice, 3)
    audit_seal()
    with as_owner() as cursor:
        cursor.execute("DELETE FROM clients_accesslog WHERE id = %s", [rows_logged[1].pk])
    found = audit_verify().first_break
    assert found is not None
    assert (found.table, found.seal_id) == (ACCESS_LOG, access_log_seal().pk)
    assert (found.first_row_id, found.last_row_id) == (1, rows_logged[-1].pk)
    assert found.problem.startswith("a row was deleted: 3 rows were sealed, 2 are there")


def test_it_finds_an_altered_row(alice):
    rows_logged = log_views(alice, 3)
    audit_seal()
    with as_owner() as cursor:
        cursor.execute(
            "UPDATE clients_accesslog SET path = '/elsewhere/' WHERE id = %s", [rows_logged[1].pk]
        )
    found = audit_verify().first_break
    assert found is not None
    assert found.seal_id == access_log_seal().pk
    assert found.problem.startswith("a row was altered")


def test_it_finds_two_rows_swapped(alice):
    first, second = log_views(alice, 2)
    audit_seal()
    with as_owner() as cursor:
        cursor.execute(
            "UPDATE clients_accesslog SET id = -id WHERE id IN (%s, %s)", [first.pk, second.pk]
        )
        cursor.execute(
            "UPDATE clients_accesslog SET id = CASE id WHEN %s THEN %s ELSE %s END"
            " WHERE id IN (%s, %s)",
            [-first.pk, second.pk, first.pk, -first.pk, -second.pk],
        )
    found = audit_verify().first_break
    assert found is not None
    assert found.problem.startswith("a row was altered (or rows reordered)")


def test_it_finds_a_row_inserted_into_a_sealed_range(alice):
    first = log_views(alice, 1)[0]
    with suppress(Rollback), transaction.atomic():
        log_views(alice, 1)  # leaves its id unused
        raise Rollback
    log_views(alice, 1)
    audit_seal()
    with as_owner() as cursor:
        cursor.execute(
            "INSERT INTO clients_accesslog SELECT (jsonb_populate_record(NULL::clients_accesslog,"
            " to_jsonb(t) || jsonb_build_object('id', t.id + 1))).* FROM clients_accesslog t"
            " WHERE t.id = %s",
            [first.pk],
        )
    found = audit_verify().first_break
    assert found is not None
    assert found.problem.startswith("a row was inserted: 2 rows were sealed, 3 are there")


def test_it_finds_a_seal_rewritten_without_the_key(alice):
    """The owner hides a deletion: deletes a row, then rewrites its seal's count and rows'
    hash and recomputes the digest with a key of their own."""
    rows_logged = log_views(alice, 3)
    audit_seal()
    seal = access_log_seal()
    with as_owner() as cursor:
        cursor.execute("DELETE FROM clients_accesslog WHERE id = %s", [rows_logged[1].pk])
        seal.row_count, seal.rows_sha256 = 2, _rows_sha256(seal)
        seal.digest = seal.digest_under("the owner's guess at the key")
        Seal.objects.filter(pk=seal.pk).update(
            row_count=seal.row_count, rows_sha256=seal.rows_sha256, digest=seal.digest
        )
    found = audit_verify().first_break
    assert found is not None
    assert found.seal_id == seal.pk
    assert found.problem.startswith("the seal was rewritten")


def test_it_finds_a_seal_made_with_an_unknown_key(alice):
    log_views(alice, 1)
    audit_seal()
    seal = access_log_seal()
    with as_owner():
        Seal.objects.filter(pk=seal.pk).update(key_id=chain.key_id("the owner's own key"))
    found = audit_verify().first_break
    assert found is not None
    assert found.problem.startswith("sealed with key id")


def test_it_finds_a_removed_seal(alice):
    log_views(alice, 1)
    audit_seal()
    removed = access_log_seal()
    log_views(alice, 1)
    audit_seal()
    successor = Seal.objects.get(previous_digest=removed.digest)
    with as_owner():
        Seal.objects.filter(pk=removed.pk).delete()
    found = audit_verify().first_break
    assert found is not None
    assert found.seal_id == successor.pk
    assert found.problem.startswith("the seal does not follow the one before it")


def test_it_verifies_the_seals_of_a_retired_key(alice, settings):
    settings.AUDIT_KEY = "the key of last year"
    log_views(alice, 1)
    audit_seal()
    settings.AUDIT_KEY, settings.AUDIT_PREVIOUS_KEYS = "this year's key", ["the key of last year"]
    log_views(alice, 1)
    audit_seal()
    assert audit_verify().intact


def test_it_finds_the_seals_of_a_retired_key_missing_from_the_settings(alice, settings):
    settings.AUDIT_KEY = "the key of last year"
    log_views(alice, 1)
    audit_seal()
    settings.AUDIT_KEY = "this year's key"
    found = audit_verify().first_break
    assert found is not None
    assert found.problem.startswith("sealed with key id")


def test_a_column_added_later_leaves_older_seals_valid(alice):
    log_views(alice, 2)
    audit_seal()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the migration's own transaction
        cursor.execute("ALTER TABLE clients_accesslog ADD COLUMN reason text DEFAULT 'audit'")
    assert audit_verify().intact


def test_a_column_dropped_later_shows(alice):
    log_views(alice, 2)
    audit_seal()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE clients_accesslog DROP COLUMN ip_address")
    found = audit_verify().first_break
    assert found is not None
    assert found.problem.startswith("a row was altered")


def _queries_to_verify(alice, count: int) -> int:
    log_views(alice, count)
    audit_seal()
    with CaptureQueriesContext(connection) as queries:
        assert audit_verify().intact
    return len(queries.captured_queries)


def test_it_uses_the_same_number_of_queries_for_10_and_200_rows(alice):
    assert _queries_to_verify(alice, 10) == _queries_to_verify(alice, 200)


def _rows_sha256(seal: Seal) -> str:
    rows_hash = chain.RowsHash()
    table = covered_tables()[seal.table_name]
    for row_id, row in rows(table, after_id=seal.after_id, last_id=seal.last_id):
        rows_hash.add(row_id, chain.canonical_content(row, seal.columns))
    return rows_hash.hexdigest()
