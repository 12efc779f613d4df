"""Least privilege in the database (casemgmt.database_roles): the suite runs as the app's role
(tests/conftest.py), so these statements are refused here as they are in production."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import ProgrammingError, connection, transaction

from audit.coverage import covered_tables
from audit.models import Seal
from casemgmt.database_roles import least_privilege_problems, refused_statements
from clients.models import AccessLog, Contact
from referrals.models import Disclosure
from tests import factories

pytestmark = pytest.mark.django_db

# Every table whose rows are the audit: the chain's tables and the chain's seals.
AUDIT_TABLES = sorted({*covered_tables(), Seal._meta.db_table})
INSUFFICIENT_PRIVILEGE = "42501"


def _refused(statement: str) -> str:
    """The SQLSTATE of ``statement``'s refusal, in a savepoint of the test's transaction."""
    with (
        pytest.raises(ProgrammingError) as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    return refusal.value.__cause__.sqlstate  # type: ignore[union-attr]  # psycopg's error


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def test_the_suite_connects_as_the_apps_role_which_is_not_the_owners() -> None:
    roles = settings.DATABASE_ROLES
    assert roles["app"]["USER"] != roles["owner"]["USER"], (
        "DATABASE_URL and DATABASE_OWNER_URL name one role: set both (README, Database roles)"
    )
    assert connection.settings_dict["USER"] == roles["app"]["USER"]


def test_the_apps_role_is_neither_a_superuser_nor_the_tables_owner() -> None:
    assert least_privilege_problems(connection) == []


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_the_apps_role_may_not_update_an_audit_table(table: str) -> None:
    assert _refused(f"UPDATE {_quoted(table)} SET id = id") == INSUFFICIENT_PRIVILEGE


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_the_apps_role_may_not_delete_from_an_audit_table(table: str) -> None:
    assert _refused(f"DELETE FROM {_quoted(table)}") == INSUFFICIENT_PRIVILEGE


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_the_apps_role_may_not_truncate_an_audit_table(table: str) -> None:
    assert _refused(f"TRUNCATE {_quoted(table)}") == INSUFFICIENT_PRIVILEGE


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_the_apps_role_may_not_disable_an_audit_tables_triggers(table: str) -> None:
    assert _refused(f"ALTER TABLE {_quoted(table)} DISABLE TRIGGER ALL") == INSUFFICIENT_PRIVILEGE


def test_the_audit_tables_include_the_access_log_disclosures_history_and_seals() -> None:
    history = Contact.pgh_event_model  # type: ignore[attr-defined]  # added by pghistory
    for model in (AccessLog, Disclosure, Seal, history):
        assert model._meta.db_table in AUDIT_TABLES


def test_every_audit_table_refuses_update_and_delete_by_privilege() -> None:
    refused = refused_statements()
    assert {table: refused.get(table) for table in AUDIT_TABLES} == {
        table: ("DELETE", "UPDATE") for table in AUDIT_TABLES
    }


def test_the_apps_role_may_not_delete_a_clinical_record() -> None:
    assert _refused(f"DELETE FROM {_quoted(Contact._meta.db_table)}") == INSUFFICIENT_PRIVILEGE


def test_the_apps_role_may_change_a_clinical_record() -> None:
    contact = factories.ContactFactory(duration_minutes=15)
    assert Contact.objects.filter(pk=contact.pk).update(duration_minutes=30) == 1


def test_the_apps_role_may_not_create_a_table() -> None:
    assert _refused("CREATE TABLE intruder (id int)") == INSUFFICIENT_PRIVILEGE
