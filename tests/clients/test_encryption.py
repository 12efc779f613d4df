"""Social Security and Medicaid numbers encrypted at rest (clients.encryption): stored as
tokens, read in clear, found by an exact search through a keyed hash, rotated to a new key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.encryption import lookup_hash
from clients.models import Client
from clients.services import encrypted_numbers_rotate
from tests import factories

pytestmark = pytest.mark.django_db

SSN = "900-12-1012"
MEDICAID = "ID000000012"


@pytest.fixture
def numbered(alice: User) -> Client:
    return factories.ClientFactory(created_by=alice, ssn=SSN, medicaid_number=MEDICAID)


def _stored(client: Client, column: str, table: str = "clients_client") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [client.pk])
        return cursor.fetchone()[0]


def test_a_number_is_stored_encrypted(numbered: Client) -> None:
    assert SSN not in _stored(numbered, "ssn")
    assert _stored(numbered, "ssn").startswith("gAAAA")  # a Fernet token


def test_a_number_reads_back_in_clear(numbered: Client) -> None:
    assert Client.objects.get(pk=numbered.pk).ssn == SSN


def test_an_empty_number_stays_empty(alice: User) -> None:
    client = factories.ClientFactory(created_by=alice)
    assert (_stored(client, "ssn"), _stored(client, "ssn_lookup")) == ("", "")


def test_the_history_holds_the_number_encrypted(numbered: Client) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ssn FROM clients_clientevent WHERE pgh_obj_id = %s", [numbered.pk])
        assert all(SSN not in row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("typed", [SSN, "900121012", MEDICAID, "id000000012"])
def test_the_directory_finds_a_number_typed_whole(
    client: HttpClient, alice: User, numbered: Client, typed: str
) -> None:
    client.force_login(alice)
    response = client.get(reverse("clients:client_list"), {"q": typed})
    assert [row["client"] for row in response.context["rows"]] == [numbered]


def test_the_directory_does_not_find_a_part_of_a_number(
    client: HttpClient, alice: User, numbered: Client
) -> None:
    client.force_login(alice)
    response = client.get(reverse("clients:client_list"), {"q": "900-12"})
    assert response.context["rows"] == []


def test_the_lookup_hash_needs_the_key(numbered: Client) -> None:
    with override_settings(FIELD_LOOKUP_KEY="another key"):
        assert lookup_hash(SSN) != _stored(numbered, "ssn_lookup")


def test_an_old_key_still_reads_once_a_new_one_is_first(numbered: Client, settings: object) -> None:
    new = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, *settings.FIELD_ENCRYPTION_KEYS]):  # type: ignore[attr-defined]  # pytest-django's settings
        assert Client.objects.get(pk=numbered.pk).ssn == SSN


def test_rotation_reencrypts_under_the_new_key(numbered: Client, settings: object) -> None:
    new = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, *settings.FIELD_ENCRYPTION_KEYS]):  # type: ignore[attr-defined]  # pytest-django's settings
        assert encrypted_numbers_rotate() == 1
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert Client.objects.get(pk=numbered.pk).medicaid_number == MEDICAID


def test_rotation_recomputes_the_lookup_under_a_new_lookup_key(numbered: Client) -> None:
    with override_settings(FIELD_LOOKUP_KEY="a new lookup key"):
        encrypted_numbers_rotate()
        assert _stored(numbered, "ssn_lookup") == lookup_hash(SSN)


def test_a_malformed_number_is_refused_on_the_form(
    client: HttpClient, alice: User, numbered: Client
) -> None:
    client.force_login(alice)
    data = {
        "first_name": numbered.first_name,
        "last_name": numbered.last_name,
        "date_of_birth": numbered.date_of_birth.isoformat(),
        "sex": numbered.sex,
        "primary_language": "English",
        "record_number": numbered.record_number,
        "ssn": "12-34",
    }
    response = client.post(reverse("clients:edit", args=[numbered.pk]), data)
    assert response.status_code == 400
    assert "Nine digits: 123-45-6789." in response.content.decode()
    assert Client.objects.get(pk=numbered.pk).ssn == SSN


def test_the_client_page_shows_the_last_four_digits_only(
    client: HttpClient, alice: User, numbered: Client
) -> None:
    factories.EnrollmentFactory(client=numbered, case_manager=alice)
    client.force_login(alice)
    page = client.get(reverse("workspace:client", args=[numbered.pk])).content.decode()
    assert "•••-••-1012" in page
    assert SSN not in page


def test_the_api_does_not_read_the_number_back(
    api: APIClient, alice: User, numbered: Client
) -> None:
    api.force_login(alice)
    body = api.get(reverse("client-detail", args=[numbered.pk])).json()
    assert "ssn" not in body
    assert body["ssn_masked"] == "•••-••-1012"


def test_the_api_writes_the_number(api: APIClient, alice: User, enrollment: object) -> None:
    client = enrollment.client  # type: ignore[attr-defined]  # the conftest's Enrollment
    api.force_login(alice)
    response = api.patch(reverse("client-detail", args=[client.pk]), {"ssn": SSN}, format="json")
    assert response.status_code == 200
    assert Client.objects.get(pk=client.pk).ssn == SSN
