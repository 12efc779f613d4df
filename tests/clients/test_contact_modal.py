import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clients.models import Contact
from tests import factories

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 in America/Boise


def _form(enrollment, **overrides):
    data = {
        "enrollment": enrollment.pk,
        "occurred_at": "2026-03-02T08:30",
        "contact_type": Contact.Type.PHONE,
        "duration_minutes": 20,
        "travel_minutes": 0,
        "participants": "Client, mother",
        "location": "",
        "note": "Talked through the school meeting.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def test_it_renders_the_modal_form_for_htmx(client, alice, enrollment):
    client.force_login(alice)
    response = client.get(
        reverse("clients:contact_create", args=[enrollment.client_id]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.templates[0].name == "clients/_contact_form.html"


def test_it_records_a_contact_and_closes_the_modal(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.post(
        reverse("clients:contact_create", args=[enrollment.client_id]),
        _form(enrollment),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204, response.context["form"].errors
    assert "contactRecorded" in response.headers["HX-Trigger"]
    contact = Contact.objects.get()
    assert (contact.author, contact.enrollment, contact.duration_minutes) == (alice, enrollment, 20)


def test_it_shows_a_service_error_beside_the_field(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.post(
        reverse("clients:contact_create", args=[enrollment.client_id]),
        _form(enrollment, contact_type=Contact.Type.CRISIS_INTERVENTION, note=" "),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", "2026-03-03T09:00"),
        ("duration_minutes", -5),
        ("duration_minutes", 1441),
    ],
)
def test_it_refuses_bad_input_without_saving(client, alice, enrollment, frozen, field, value):
    client.force_login(alice)
    response = client.post(
        reverse("clients:contact_create", args=[enrollment.client_id]),
        _form(enrollment, **{field: value}),
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Contact.objects.exists()


def test_it_refuses_a_teammates_enrollment_posted_by_id(client, alice, bob, enrollment, frozen):
    bobs = factories.EnrollmentFactory(case_manager=bob, client=enrollment.client)
    client.force_login(alice)
    response = client.post(
        reverse("clients:contact_create", args=[enrollment.client_id]), _form(bobs)
    )
    assert response.status_code == 400
    assert "enrollment" in response.context["form"].errors
    assert not Contact.objects.exists()


def test_it_answers_403_to_a_teammate_without_an_enrollment_of_that_client(client, bob, enrollment):
    client.force_login(bob)
    response = client.get(reverse("clients:contact_create", args=[enrollment.client_id]))
    assert response.status_code == 403


def test_it_answers_404_to_another_team(client, charlie, enrollment):
    client.force_login(charlie)
    response = client.get(reverse("clients:contact_create", args=[enrollment.client_id]))
    assert response.status_code == 404


def test_it_lets_the_author_correct_within_24_hours(client, alice, enrollment):
    with time_machine.travel(FROZEN, tick=False):
        contact = factories.ContactFactory(
            enrollment=enrollment, occurred_at=FROZEN - dt.timedelta(hours=1)
        )
    with time_machine.travel(FROZEN + dt.timedelta(hours=23, minutes=59), tick=False):
        client.force_login(alice)
        response = client.post(
            reverse("clients:contact_correct", args=[contact.pk]),
            {**_form(enrollment, note="Corrected note."), "occurred_at": "2026-03-02T07:00"},
        )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.note == "Corrected note."


def test_it_sends_the_author_to_an_addendum_after_24_hours(client, alice, enrollment):
    with time_machine.travel(FROZEN, tick=False):
        contact = factories.ContactFactory(
            enrollment=enrollment, occurred_at=FROZEN - dt.timedelta(hours=1)
        )
    original = contact.note
    with time_machine.travel(FROZEN + dt.timedelta(hours=24), tick=False):
        client.force_login(alice)
        response = client.post(
            reverse("clients:contact_correct", args=[contact.pk]), _form(enrollment, note="Changed")
        )
    assert response.url == reverse("clients:contact_addendum", args=[contact.pk])
    contact.refresh_from_db()
    assert contact.note == original


def test_it_adds_an_addendum_and_keeps_the_original(client, alice, enrollment):
    contact = factories.ContactFactory(enrollment=enrollment)
    original = contact.note
    client.force_login(alice)
    client.post(
        reverse("clients:contact_addendum", args=[contact.pk]), {"note": "Mother called back."}
    )
    contact.refresh_from_db()
    assert contact.note == original
    assert [a.note for a in contact.addenda.all()] == ["Mother called back."]
