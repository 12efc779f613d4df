"""Sealing new audit rows (audit.services.audit_seal)."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit import chain
from audit.coverage import covered_tables
from audit.models import Seal
from audit.selectors import audit_verify
from audit.services import SEAL_LOCK_KEY, audit_seal
from tests.audit.tampering import ACCESS_LOG, access_log_seal, log_views


def test_it_covers_the_access_log_the_disclosures_and_every_history_table():
    tables = covered_tables()
    assert {"clients_accesslog", "referrals_disclosure"} <= set(tables)
    assert {"clients_clientevent", "supervision_flagevent", "quality_sampleevent"} <= set(tables)
    assert tables["clients_clientevent"].pk_column == "pgh_id"


def test_it_seals_new_access_log_rows(alice):
    rows = log_views(alice, 3)
    audit_seal()
    seal = access_log_seal()
    assert (seal.after_id, seal.last_id, seal.row_count) == (0, rows[-1].pk, 3)


def test_it_seals_history_rows(client_record):
    report = audit_seal()
    assert "clients_clientevent" in {seal.table_name for seal in report.seals}


def test_it_writes_no_seal_when_nothing_is_new(alice):
    log_views(alice, 3)
    audit_seal()
    sealed = Seal.objects.count()
    report = audit_seal()
    assert report.seals == []
    assert Seal.objects.count() == sealed


def test_the_next_seal_starts_where_the_last_one_ended(alice):
    first = log_views(alice, 2)
    audit_seal()
    later = log_views(alice, 4)
    audit_seal()
    seal = access_log_seal()
    assert (seal.after_id, seal.last_id, seal.row_count) == (first[-1].pk, later[-1].pk, 4)


def test_each_seal_names_the_digest_of_the_one_before(alice):
    log_views(alice, 1)
    audit_seal()
    log_views(alice, 1)
    audit_seal()
    first, second = Seal.objects.order_by("id")[:2]
    assert first.previous_digest == ""
    assert second.previous_digest == first.digest


def test_each_seal_names_the_key_it_was_made_with(alice, settings):
    settings.AUDIT_KEY = "a key of the agency's own"
    log_views(alice, 1)
    audit_seal()
    assert access_log_seal().key_id == chain.key_id("a key of the agency's own")


def test_seals_refuse_update(alice):
    log_views(alice, 1)
    audit_seal()
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        Seal.objects.update(row_count=2)


def test_seals_refuse_delete(alice):
    log_views(alice, 1)
    audit_seal()
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        Seal.objects.all().delete()


def test_a_run_while_another_run_seals_does_nothing(alice):
    log_views(alice, 1)
    with connection.cursor() as cursor:  # this test's transaction plays the other run
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
    busy: list[bool] = []
    second_run = threading.Thread(target=lambda: busy.append(_seal_in_own_connection()))
    second_run.start()
    second_run.join()
    assert busy == [True]


def _seal_in_own_connection() -> bool:
    try:
        return audit_seal().busy
    finally:
        connection.close()


def _queries_to_seal(alice, count: int) -> int:
    audit_seal()
    log_views(alice, count)
    with CaptureQueriesContext(connection) as queries:
        report = audit_seal()
    assert report.rows == count
    return len(queries.captured_queries)


def test_it_uses_the_same_number_of_queries_for_10_and_200_rows(alice):
    assert _queries_to_seal(alice, 10) == _queries_to_seal(alice, 200)


@pytest.mark.django_db(transaction=True)
def test_it_leaves_a_table_whose_writer_is_still_open_to_the_next_run(alice):
    """A row whose transaction is open holds an id below rows committed after it: sealing
    past it would show it as inserted once it commits."""
    log_views(alice, 1)
    written, release = threading.Event(), threading.Event()

    def open_writer() -> None:
        try:
            with transaction.atomic():
                log_views(alice, 1)
                written.set()
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=open_writer)
    writer.start()
    assert written.wait(10)
    log_views(alice, 1)
    deferred = audit_seal(settle_seconds=0.2).deferred
    release.set()
    writer.join()

    assert deferred == [ACCESS_LOG]
    audit_seal()
    assert access_log_seal().row_count == 3
    assert audit_verify().intact
