"""The audit chain's Celery tasks: sealing every few minutes, and the nightly check that
alerts the administrators on a break (audit.services.audit_check_nightly)."""

from __future__ import annotations

import pytest
from celery.schedules import crontab
from django.core import mail

from audit.models import AuditAlert, Seal
from audit.tasks import seal_audit_rows, verify_audit_nightly
from casemgmt.celery import app
from tests.audit.tampering import as_owner, log_views

# The owner role tampers with the audit rows here (tests.audit.tampering).
pytestmark = pytest.mark.usefixtures("as_database_owner")


def _delete_a_sealed_row(alice) -> None:
    logged = log_views(alice, 2)
    seal_audit_rows.delay().get()
    with as_owner() as cursor:
        cursor.execute("DELETE FROM clients_accesslog WHERE id = %s", [logged[0].pk])


def test_the_sealing_task_seals_new_rows(alice):
    log_views(alice, 2)
    result = seal_audit_rows.delay().get()
    assert result["rows"] >= 2
    assert Seal.objects.filter(table_name="clients_accesslog", row_count=2).exists()


def test_the_nightly_task_alerts_the_administrators_on_a_break(alice, ada):
    _delete_a_sealed_row(alice)
    result = verify_audit_nightly.delay().get()
    assert "a row was deleted" in result["break"]
    assert [message.to for message in mail.outbox] == [[ada.email]]
    assert "a row was deleted" in mail.outbox[0].body


def test_the_nightly_task_sends_no_alert_on_an_intact_chain(alice, ada):
    log_views(alice, 2)
    result = verify_audit_nightly.delay().get()
    assert result["break"] == ""
    assert mail.outbox == []
    assert not AuditAlert.objects.exists()


def test_the_nightly_task_alerts_once_a_day(alice, ada):
    _delete_a_sealed_row(alice)
    verify_audit_nightly.delay().get()
    verify_audit_nightly.delay().get()
    assert len(mail.outbox) == 1


def test_the_alert_goes_to_active_administrators_only(alice, ada, sam):
    ada.is_active = False
    ada.save(update_fields=["is_active"])
    _delete_a_sealed_row(alice)
    verify_audit_nightly.delay().get()
    assert mail.outbox == []


def test_the_alert_names_no_client(alice, ada, client_record):
    # A surname no staff member shares, so a greeting to an administrator cannot match it.
    client_record.last_name = "Outsiderova"
    client_record.save(update_fields=["last_name"])
    _delete_a_sealed_row(alice)
    verify_audit_nightly.delay().get()
    body = mail.outbox[0].body
    assert "Outsiderova" not in body
    assert client_record.record_number not in body


def test_rows_are_sealed_every_five_minutes():
    entry = app.conf.beat_schedule["seal-audit-rows"]
    assert entry["task"] == seal_audit_rows.name
    assert entry["schedule"] == crontab(minute="*/5")


def test_the_chain_is_verified_every_night():
    entry = app.conf.beat_schedule["verify-audit-nightly"]
    assert entry["task"] == verify_audit_nightly.name
    assert entry["schedule"] == crontab(hour=3, minute=30)
