"""/clients/ (clients.views.directory.client_list): find any client the user may read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clients.models import Client, Enrollment
from tests import factories
from tests.helpers import assert_list_queries_constant

pytestmark = pytest.mark.django_db

URL = "/clients/"


def _listed(response) -> list[int]:
    return [row["client"].pk for row in response.context["rows"]]


def _former(case_manager, **client_fields) -> Client:
    enrollment = factories.EnrollmentFactory(
        case_manager=case_manager,
        application_date=dt.date(2025, 1, 1),
        client__first_name=client_fields.pop("first_name", "Former"),
        **{f"client__{k}": v for k, v in client_fields.items()},
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.CLOSED, closed_on=dt.date(2026, 1, 5), close_reason="goals_met"
    )
    return enrollment.client


def _get(client, user, params: dict | None = None):
    client.force_login(user)
    return client.get(URL, params or {})


def test_its_url_is_named_client_list():
    assert reverse("clients:client_list") == URL


def test_it_lists_open_former_and_never_enrolled_clients(client, alice, enrollment):
    former = _former(alice)
    walk_in = factories.ClientFactory(created_by=alice)
    response = _get(client, alice)
    assert set(_listed(response)) == {enrollment.client_id, former.pk, walk_in.pk}


def test_it_lists_a_teammates_client(client, alice, bob):
    bobs = factories.EnrollmentFactory(case_manager=bob)
    assert _listed(_get(client, alice)) == [bobs.client_id]


def test_it_never_lists_a_client_of_another_team(client, alice, other_enrollment):
    # A name no staff member could share: Faker's surnames once matched the signed-in user's.
    outsider = other_enrollment.client
    outsider.last_name = "Outsiderova"
    outsider.save(update_fields=["last_name"])
    response = _get(client, alice, {"q": outsider.record_number})
    assert _listed(response) == []
    assert b"Outsiderova" not in response.content


def test_it_lists_clients_by_last_name(client, alice):
    zed = factories.ClientFactory(created_by=alice, last_name="Zed")
    abe = factories.ClientFactory(created_by=alice, last_name="Abe")
    assert _listed(_get(client, alice)) == [abe.pk, zed.pk]


def test_it_shows_an_open_clients_program_and_case_manager(client, alice, enrollment):
    response = _get(client, alice)
    text = response.content.decode()
    assert f"in {enrollment.program.name} with {alice.get_full_name()}" in text


def test_it_shows_when_a_former_client_was_closed(client, alice):
    _former(alice)
    response = _get(client, alice)
    assert b'data-status="closed"' in response.content
    assert b"2026-01-05" in response.content


def test_it_shows_a_client_never_enrolled_has_no_enrollment(client, alice):
    factories.ClientFactory(created_by=alice)
    response = _get(client, alice)
    assert b'data-status="none"' in response.content
    assert b"No enrollment" in response.content


def test_it_links_each_client_to_the_client_page(client, alice, enrollment):
    response = _get(client, alice)
    assert reverse("workspace:client", args=[enrollment.client_id]).encode() in response.content


# --- Search -----------------------------------------------------------------------------------


def test_it_finds_a_client_by_a_misspelt_name(client, alice):
    john = factories.ClientFactory(created_by=alice, first_name="John", last_name="Smith")
    factories.ClientFactory(created_by=alice, first_name="Maria", last_name="Lopez")
    assert _listed(_get(client, alice, {"q": "Jon Smyth"})) == [john.pk]


def test_it_finds_a_former_client_by_name(client, alice):
    former = _former(alice, first_name="Rosa", last_name="Delgado")
    assert _listed(_get(client, alice, {"q": "rosa delgado"})) == [former.pk]


def test_it_finds_a_client_by_record_number(client, alice):
    found = factories.ClientFactory(created_by=alice, record_number="D-0031")
    factories.ClientFactory(created_by=alice)
    assert _listed(_get(client, alice, {"q": "d-0031"})) == [found.pk]


def test_it_finds_a_client_by_iso_birth_date(client, alice):
    born = factories.ClientFactory(created_by=alice, date_of_birth=dt.date(1980, 3, 7))
    factories.ClientFactory(created_by=alice, date_of_birth=dt.date(1980, 7, 3))
    assert _listed(_get(client, alice, {"q": "1980-03-07"})) == [born.pk]


def test_it_finds_a_client_by_us_birth_date(client, alice):
    born = factories.ClientFactory(created_by=alice, date_of_birth=dt.date(1980, 3, 7))
    factories.ClientFactory(created_by=alice, date_of_birth=dt.date(1980, 7, 3))
    assert _listed(_get(client, alice, {"q": "03/07/1980"})) == [born.pk]


def test_it_finds_a_client_by_phone_digits(client, alice):
    found = factories.ClientFactory(created_by=alice, phone="(208) 555-0142")
    factories.ClientFactory(created_by=alice, phone="(208) 555-0199")
    assert _listed(_get(client, alice, {"q": "2085550142"})) == [found.pk]


# --- Filters ----------------------------------------------------------------------------------


def test_it_filters_by_program(client, alice, enrollment):
    factories.EnrollmentFactory(case_manager=alice)
    response = _get(client, alice, {"program": enrollment.program_id})
    assert _listed(response) == [enrollment.client_id]


def test_it_filters_former_clients(client, alice, enrollment):
    former = _former(alice)
    assert _listed(_get(client, alice, {"status": "closed"})) == [former.pk]


def test_it_filters_open_clients(client, alice, enrollment):
    _former(alice)
    assert _listed(_get(client, alice, {"status": "open"})) == [enrollment.client_id]


def test_it_filters_clients_never_enrolled(client, alice, enrollment):
    walk_in = factories.ClientFactory(created_by=alice)
    assert _listed(_get(client, alice, {"status": "none"})) == [walk_in.pk]


def test_it_filters_by_team(client, ada, enrollment, other_enrollment):
    response = _get(client, ada, {"team": other_enrollment.team_id})
    assert _listed(response) == [other_enrollment.client_id]


def test_it_filters_by_case_manager(client, sam, alice, bob, enrollment):
    factories.EnrollmentFactory(case_manager=bob)
    assert _listed(_get(client, sam, {"case_manager": alice.pk})) == [enrollment.client_id]


def test_it_offers_only_the_viewers_teams(client, alice, team, other_team):
    response = _get(client, alice)
    assert list(response.context["filter"].form.fields["team"].queryset) == [team]


def test_it_keeps_the_filters_in_the_page_links(client, alice):
    for _ in range(51):
        factories.ClientFactory(created_by=alice, last_name="Smith")
    response = _get(client, alice, {"q": "smith", "status": "none"})
    assert b"?q=smith&amp;status=none&amp;page=2" in response.content


# --- Bad input --------------------------------------------------------------------------------


def test_it_answers_400_to_a_search_with_a_nul_character(client, alice):
    response = _get(client, alice, {"q": "jo\x00hn"})
    assert response.status_code == 400
    assert b"Null characters are not allowed." in response.content


def test_it_answers_400_to_a_search_too_long(client, alice):
    response = _get(client, alice, {"q": "a" * 101})
    assert response.status_code == 400
    assert b"Ensure this value has at most 100 characters" in response.content


def test_it_lists_nobody_for_a_search_it_refuses(client, alice, enrollment):
    assert _listed(_get(client, alice, {"q": "a" * 101})) == []


def test_it_answers_400_to_a_team_outside_the_viewers_scope(client, alice, other_team):
    response = _get(client, alice, {"team": other_team.pk})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_it_answers_400_to_a_case_manager_that_is_not_a_number(client, sam):
    response = _get(client, sam, {"case_manager": "x'; drop"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_it_answers_400_to_an_unknown_status(client, alice):
    response = _get(client, alice, {"status": "lost"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_it_shows_the_last_page_for_a_page_number_out_of_range(client, alice, enrollment):
    response = _get(client, alice, {"page": "999"})
    assert response.status_code == 200
    assert _listed(response) == [enrollment.client_id]


# --- Recent clients ---------------------------------------------------------------------------


def test_it_shows_the_clients_whose_page_the_user_opened(client, alice, enrollment):
    client.force_login(alice)
    client.get(reverse("workspace:client", args=[enrollment.client_id]))
    response = client.get(URL)
    assert [c.pk for c in response.context["recent"]] == [enrollment.client_id]
    assert b'id="recent-clients"' in response.content


def test_it_leaves_recent_clients_out_of_a_search(client, alice, enrollment):
    client.force_login(alice)
    client.get(reverse("workspace:client", args=[enrollment.client_id]))
    response = client.get(URL, {"q": "someone"})
    assert response.context["recent"] == []
    assert b"Recent clients" not in response.content


# --- Query count ------------------------------------------------------------------------------


@pytest.mark.parametrize("params", ["", "?q=smith", "?status=open"], ids=["all", "name", "open"])
def test_it_uses_the_same_number_of_queries_at_5_and_50_clients(client, sam, alice, bob, params):
    client.force_login(sam)

    def record(n: int) -> None:
        for i in range(n):
            enrollment = factories.EnrollmentFactory(
                case_manager=alice if i % 2 else bob, client__last_name="Smith"
            )
            factories.EnrollmentFactory(client=enrollment.client, case_manager=bob)
            client.get(reverse("workspace:client", args=[enrollment.client_id]))

    assert_list_queries_constant(
        client, URL + params, record, rows_of=lambda r: r.context["page"].paginator.count
    )
