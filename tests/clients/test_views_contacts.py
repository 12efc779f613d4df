"""Correcting a contact (its author, within 24 hours) and adding an addendum
(clients.views.contacts)."""

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
