"""/api/v1/clients/: the same access rules as the web app, service errors as 400s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Client, Enrollment
from tests import factories
from tests.helpers import listed_ids

pytestmark = pytest.mark.django_db

LIST_URL = reverse("client-list")


def detail_url(client: Client) -> str:
    return reverse("client-detail", args=[client.pk])


def registration(**overrides: object) -> dict[str, object]:
    return {
        "first_name": "Maria",
        "last_name": "Lopez",
        "date_of_birth": "2011-03-04",
        "primary_language": "Spanish",
        "interpreter_needed": True,
        **overrides,
    }


# --- List -------------------------------------------------------------------------------------


def test_it_lists_the_clients_of_the_own_team(
    api: APIClient, alice: User, bob: User, client_record: Client
) -> None:
    bobs_client = factories.EnrollmentFactory(case_manager=bob).client
    api.force_login(alice)
    response = api.get(LIST_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {client_record.pk, bobs_client.pk}


def test_it_hides_another_teams_clients_from_a_case_manager(
    api: APIClient, charlie: User, client_record: Client, other_enrollment: Enrollment
) -> None:
    api.force_login(charlie)
    response = api.get(LIST_URL)
    assert response.status_code == 200
    assert client_record.pk not in listed_ids(response)


def test_it_lists_every_client_for_an_administrator(
    api: APIClient, ada: User, client_record: Client, other_enrollment: Enrollment
) -> None:
    api.force_login(ada)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {client_record.pk, other_enrollment.client_id}


def test_it_lists_every_client_for_a_qa_reviewer(
    api: APIClient, quinn: User, client_record: Client, other_enrollment: Enrollment
) -> None:
    api.force_login(quinn)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {client_record.pk, other_enrollment.client_id}


def test_it_lists_clients_in_a_constant_number_of_queries(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    api.get(LIST_URL)  # the session's first request stamps the login time

    def queries_for_list(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(LIST_URL)
        assert response.json()["count"] == expected_rows
        return len(queries.captured_queries)

    factories.EnrollmentFactory.create_batch(5, case_manager=alice)
    at_five = queries_for_list(5)
    factories.EnrollmentFactory.create_batch(45, case_manager=alice)
    assert queries_for_list(50) == at_five


# --- Retrieve ---------------------------------------------------------------------------------


def test_it_retrieves_a_client_with_the_family(
    api: APIClient, alice: User, client_record: Client
) -> None:
    mother = factories.FamilyMemberFactory(client=client_record, first_name="Rosa")
    api.force_login(alice)
    response = api.get(detail_url(client_record))
    assert response.status_code == 200
    assert response.json()["record_number"] == client_record.record_number
    assert [member["id"] for member in response.json()["family_members"]] == [mother.pk]


def test_it_logs_a_view_when_a_client_is_retrieved(
    api: APIClient, alice: User, client_record: Client
) -> None:
    api.force_login(alice)
    api.get(detail_url(client_record))
    assert AccessLog.objects.filter(
        user=alice, client=client_record, action=AccessLog.Action.VIEWED
    ).exists()


def test_it_lets_a_teammate_read_a_client(api: APIClient, bob: User, client_record: Client) -> None:
    api.force_login(bob)
    response = api.get(detail_url(client_record))
    assert response.status_code == 200


def test_it_logs_a_denied_row_for_another_teams_client(
    api: APIClient, charlie: User, client_record: Client
) -> None:
    api.force_login(charlie)
    api.get(detail_url(client_record))
    assert AccessLog.objects.filter(
        user=charlie, client=client_record, action=AccessLog.Action.DENIED
    ).exists()
    assert not AccessLog.objects.filter(user=charlie, action=AccessLog.Action.VIEWED).exists()


def test_it_answers_404_for_an_id_that_is_not_a_number(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.get("/api/v1/clients/abc/")
    assert response.status_code == 404


# --- Register ---------------------------------------------------------------------------------


def test_it_registers_a_client_with_a_generated_record_number(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, registration(), format="json")
    assert response.status_code == 201
    client = Client.objects.get(pk=response.json()["id"])
    assert client.record_number.startswith("CW-")
    assert client.registered_team_id == alice.team_id
    assert client.created_by == alice


def test_it_registers_a_client_with_a_given_record_number(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, registration(record_number="LEG-0042"), format="json")
    assert response.status_code == 201
    assert response.json()["record_number"] == "LEG-0042"


def test_it_rejects_a_future_date_of_birth(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = api.post(LIST_URL, registration(date_of_birth=tomorrow.isoformat()), format="json")
    assert response.status_code == 400
    assert "date_of_birth" in response.json()
    assert Client.objects.count() == 0


def test_it_rejects_a_duplicate_record_number(
    api: APIClient, alice: User, client_record: Client
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL, registration(record_number=client_record.record_number), format="json"
    )
    assert response.status_code == 400
    assert "record_number" in response.json()
    assert Client.objects.count() == 1


def test_it_rejects_a_duplicate_record_number_held_by_another_team(
    api: APIClient, alice: User, other_enrollment: Enrollment
) -> None:
    taken = other_enrollment.client.record_number
    api.force_login(alice)
    response = api.post(LIST_URL, registration(record_number=taken.lower()), format="json")
    assert response.status_code == 400
    assert "record_number" in response.json()
    assert Client.objects.count() == 1


def test_it_rejects_a_registration_without_a_name(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, registration(first_name=""), format="json")
    assert response.status_code == 400
    assert "first_name" in response.json()
    assert Client.objects.count() == 0


def test_it_forbids_an_administrator_registering_a_client(api: APIClient, ada: User) -> None:
    api.force_login(ada)
    response = api.post(LIST_URL, registration(), format="json")
    assert response.status_code == 403
    assert Client.objects.count() == 0


# --- Update -----------------------------------------------------------------------------------


def test_it_updates_a_client_on_the_own_caseload(
    api: APIClient, alice: User, client_record: Client
) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(client_record), {"preferred_name": "Sunny"}, format="json")
    assert response.status_code == 200
    client_record.refresh_from_db()
    assert client_record.preferred_name == "Sunny"


def test_it_replaces_a_client_with_put(api: APIClient, alice: User, client_record: Client) -> None:
    api.force_login(alice)
    response = api.put(
        detail_url(client_record),
        registration(record_number=client_record.record_number),
        format="json",
    )
    assert response.status_code == 200
    client_record.refresh_from_db()
    assert (client_record.first_name, client_record.primary_language) == ("Maria", "Spanish")


def test_it_rejects_a_future_date_of_birth_on_update(
    api: APIClient, alice: User, client_record: Client
) -> None:
    born = client_record.date_of_birth
    api.force_login(alice)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = api.patch(
        detail_url(client_record), {"date_of_birth": tomorrow.isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.json()
    client_record.refresh_from_db()
    assert client_record.date_of_birth == born


def test_it_rejects_taking_another_clients_record_number_on_update(
    api: APIClient, alice: User, client_record: Client
) -> None:
    other = factories.EnrollmentFactory(case_manager=alice).client
    api.force_login(alice)
    response = api.patch(
        detail_url(client_record), {"record_number": other.record_number}, format="json"
    )
    assert response.status_code == 400
    assert "record_number" in response.json()


def test_it_forbids_a_teammate_updating_a_client_off_their_caseload(
    api: APIClient, bob: User, client_record: Client
) -> None:
    api.force_login(bob)
    response = api.patch(detail_url(client_record), {"preferred_name": "Sunny"}, format="json")
    assert response.status_code == 403
    client_record.refresh_from_db()
    assert client_record.preferred_name == ""


def test_it_lets_the_supervisor_update_a_client_of_the_team(
    api: APIClient, sam: User, client_record: Client
) -> None:
    api.force_login(sam)
    response = api.patch(detail_url(client_record), {"preferred_name": "Sunny"}, format="json")
    assert response.status_code == 200


def test_it_answers_404_to_an_update_of_another_teams_client(
    api: APIClient, charlie: User, client_record: Client
) -> None:
    api.force_login(charlie)
    response = api.patch(detail_url(client_record), {"preferred_name": "Sunny"}, format="json")
    assert response.status_code == 404
    client_record.refresh_from_db()
    assert client_record.preferred_name == ""


def test_it_forbids_a_qa_reviewer_updating_a_client(
    api: APIClient, quinn: User, client_record: Client
) -> None:
    api.force_login(quinn)
    response = api.patch(detail_url(client_record), {"preferred_name": "Sunny"}, format="json")
    assert response.status_code == 403


# --- Delete -----------------------------------------------------------------------------------


def test_it_does_not_delete_a_client(api: APIClient, alice: User, client_record: Client) -> None:
    api.force_login(alice)
    response = api.delete(detail_url(client_record))
    assert response.status_code == 405
    assert Client.objects.filter(pk=client_record.pk).exists()
