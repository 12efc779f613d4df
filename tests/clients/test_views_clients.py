import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_finds_a_near_match_by_name(client, alice, team):
    john = factories.ClientFactory(
        first_name="John",
        last_name="Smith",
        date_of_birth=dt.date(1985, 3, 14),
        created_by=alice,
    )
    client.force_login(alice)
    response = client.get(
        reverse("clients:register"),
        {"first_name": "Jon", "last_name": "Smyth", "date_of_birth": ""},
    )
    assert response.context["duplicates"].matches == [john]


def test_it_ranks_a_same_birthday_first(client, alice):
    same_day = factories.ClientFactory(
        first_name="Jon", last_name="Smithers", date_of_birth=dt.date(1985, 3, 14), created_by=alice
    )
    factories.ClientFactory(
        first_name="Jon", last_name="Smyth", date_of_birth=dt.date(1990, 1, 1), created_by=alice
    )
    client.force_login(alice)
    response = client.get(
        reverse("clients:register"),
        {"first_name": "Jon", "last_name": "Smyth", "date_of_birth": "1985-03-14"},
    )
    assert response.context["duplicates"].matches[0] == same_day


def test_it_counts_but_does_not_show_matches_in_other_teams(client, alice, charlie):
    factories.ClientFactory(first_name="John", last_name="Smith", created_by=charlie)
    client.force_login(alice)
    response = client.get(reverse("clients:register"), {"first_name": "John", "last_name": "Smith"})
    assert response.context["duplicates"].matches == []
    assert response.context["duplicates"].matches_in_other_teams == 1


def test_a_search_shows_the_matches_without_the_registration_form(client, alice):
    client.force_login(alice)
    response = client.get(reverse("clients:register"), {"first_name": "Jon", "last_name": "Smyth"})
    assert response.context["show_form"] is False
    assert b'id="register-new"' in response.content
    assert b"Register client" not in response.content


def test_saying_none_matches_opens_the_form_with_the_searched_names(client, alice):
    client.force_login(alice)
    response = client.get(
        reverse("clients:register"),
        {"first_name": "Jon", "last_name": "Smyth", "date_of_birth": "1985-03-14", "register": "1"},
    )
    assert response.context["show_form"] is True
    form = response.context["form"]
    assert (form["first_name"].value(), form["last_name"].value()) == ("Jon", "Smyth")
    assert form["date_of_birth"].value() == dt.date(1985, 3, 14)
    assert b'id="register-new"' not in response.content


def test_the_form_needs_a_search_first(client, alice):
    client.force_login(alice)
    response = client.get(reverse("clients:register"), {"register": "1"})
    assert response.context["show_form"] is False


def test_it_registers_a_client_and_goes_on_to_the_enrollment(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("clients:register"),
        {
            "first_name": "Ana",
            "last_name": "Lopez",
            "date_of_birth": "2014-02-03",
            "sex": "female",
            "primary_language": "Spanish",
            "interpreter_needed": "on",
        },
    )
    new = Client.objects.get()
    assert response.url == reverse("clients:enrollment_open", args=[new.pk])
    assert new.record_number.startswith("CW-")
    assert new.registered_team == alice.team


def test_it_refuses_a_future_date_of_birth_on_the_form(client, alice):
    client.force_login(alice)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = client.post(
        reverse("clients:register"),
        {
            "first_name": "Ana",
            "last_name": "Lopez",
            "date_of_birth": tomorrow.isoformat(),
            "sex": "female",
            "primary_language": "Spanish",
        },
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.context["form"].errors
    assert not Client.objects.exists()


def test_it_refuses_a_duplicate_record_number_on_the_form(client, alice):
    factories.ClientFactory(record_number="LEG-1", created_by=alice)
    client.force_login(alice)
    response = client.post(
        reverse("clients:register"),
        {
            "record_number": "LEG-1",
            "first_name": "Ana",
            "last_name": "Lopez",
            "date_of_birth": "2014-02-03",
            "sex": "female",
            "primary_language": "Spanish",
        },
    )
    assert response.status_code == 400
    assert "record_number" in response.context["form"].errors
    assert Client.objects.count() == 1


def test_it_saves_the_client_details_and_goes_back_to_the_client_page(client, alice):
    record = factories.ClientFactory(created_by=alice, registered_team=alice.team)
    client.force_login(alice)
    form = client.get(reverse("clients:edit", args=[record.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = client.post(
        reverse("clients:edit", args=[record.pk]), {**data, "preferred_name": "Sunny"}
    )
    assert response.url == reverse("workspace:client", args=[record.pk])
    record.refresh_from_db()
    assert record.preferred_name == "Sunny"


def test_it_shows_the_edit_form_again_with_the_services_error(client, alice):
    record = factories.ClientFactory(created_by=alice, registered_team=alice.team)
    client.force_login(alice)
    form = client.get(reverse("clients:edit", args=[record.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("clients:edit", args=[record.pk]), {**data, "date_of_birth": tomorrow}
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.context["form"].errors
