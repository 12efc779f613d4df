"""The contact modal's server-side drafts (workspace.models.ContactDraft): kept for their
author and client, offered back, deleted on save and after 24 hours, scoped like the contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.urls import reverse

from casemgmt.celery import app
from clients.models import Contact
from tests import factories
from workspace.models import ContactDraft
from workspace.selectors import contact_draft_for
from workspace.services import contact_draft_save, contact_drafts_purge
from workspace.tasks import purge_contact_drafts

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 17, 42, tzinfo=dt.UTC)  # 10:42 in America/Boise


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(FROZEN, tick=False) as traveller:
        yield traveller


def draft_url(client_id: int) -> str:
    return reverse("workspace:contact_draft", args=[client_id])


def modal_url(client_id: int) -> str:
    return reverse("workspace:contact_create", args=[client_id])


def _typed(of, **overrides):
    return {
        "enrollment": of.pk,
        "occurred_at": "2026-03-02T10:30",
        "contact_type": Contact.Type.PHONE,
        "duration_minutes": "20",
        "travel_minutes": "",
        "participants": "",
        "location": "",
        "note": "Talked through the school meet",
        **overrides,
    }


@pytest.fixture
def kept(alice, enrollment, frozen):
    return contact_draft_save(
        author=alice, client=enrollment.client, enrollment=enrollment, data=_typed(enrollment)
    )


def test_it_keeps_the_typed_contact(client, alice, enrollment, frozen) -> None:
    client.force_login(alice)
    response = client.post(draft_url(enrollment.client_id), _typed(enrollment))
    assert response.status_code == 200
    assert response.json() == {"saved_at": "10:42"}
    draft = ContactDraft.objects.get()
    assert (draft.author, draft.enrollment) == (alice, enrollment)
    assert draft.data["note"] == "Talked through the school meet"


def test_it_keeps_one_draft_per_author_and_client(client, alice, enrollment, frozen) -> None:
    client.force_login(alice)
    client.post(draft_url(enrollment.client_id), _typed(enrollment))
    client.post(draft_url(enrollment.client_id), _typed(enrollment, note="Talked it through."))
    assert list(ContactDraft.objects.values_list("data__note", flat=True)) == ["Talked it through."]


def test_it_offers_the_draft_back_when_the_modal_reopens(client, alice, enrollment, kept) -> None:
    client.force_login(alice)
    response = client.get(modal_url(enrollment.client_id), HTTP_HX_REQUEST="true")
    assert "Restore your unsaved note from 10:42?" in response.content.decode()


def test_it_restores_the_draft_into_the_form(client, alice, enrollment, kept) -> None:
    client.force_login(alice)
    response = client.get(
        modal_url(enrollment.client_id) + "?draft=restore", HTTP_HX_REQUEST="true"
    )
    assert response.context["form"]["note"].value() == "Talked through the school meet"
    assert "Restore your unsaved note" not in response.content.decode()


@pytest.fixture
def planned(enrollment, frozen):
    """A home visit of this morning, to be recorded from the schedule."""
    return factories.PlannedVisitFactory(
        enrollment=enrollment,
        scheduled_start=dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.UTC),
    )


def test_a_draft_restored_from_a_visit_keeps_the_visit(client, alice, enrollment, kept, planned):
    client.force_login(alice)
    opened = client.get(
        modal_url(enrollment.client_id) + f"?visit={planned.pk}", HTTP_HX_REQUEST="true"
    )
    restored = client.get(opened.context["restore_url"], HTTP_HX_REQUEST="true")
    assert restored.context["action"] == modal_url(enrollment.client_id) + f"?visit={planned.pk}"


def test_a_restored_draft_wins_over_the_visits_pre_fill(client, alice, enrollment, kept, planned):
    client.force_login(alice)
    url = modal_url(enrollment.client_id) + f"?visit={planned.pk}&draft=restore"
    form = client.get(url, HTTP_HX_REQUEST="true").context["form"]
    assert form["contact_type"].value() == Contact.Type.PHONE
    assert form["note"].value() == "Talked through the school meet"


def test_it_does_not_offer_another_authors_draft(client, bob, enrollment, kept) -> None:
    enrollment.case_manager = bob
    enrollment.save(update_fields=["case_manager"])
    client.force_login(bob)
    response = client.get(modal_url(enrollment.client_id), HTTP_HX_REQUEST="true")
    assert response.context["draft"] is None


def test_it_ignores_a_draft_older_than_24_hours(alice, enrollment, kept, frozen) -> None:
    frozen.shift(dt.timedelta(hours=24, seconds=1))
    assert contact_draft_for(author=alice, client=enrollment.client) is None


def test_it_deletes_the_draft_when_the_contact_is_saved(client, alice, enrollment, kept) -> None:
    client.force_login(alice)
    response = client.post(
        modal_url(enrollment.client_id),
        _typed(enrollment, note="Talked through the school meeting."),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert not ContactDraft.objects.exists()


def test_it_keeps_the_draft_when_the_save_fails(client, alice, enrollment, kept) -> None:
    client.force_login(alice)
    client.post(
        modal_url(enrollment.client_id), _typed(enrollment, note=""), HTTP_HX_REQUEST="true"
    )
    assert ContactDraft.objects.exists()


def test_it_discards_the_draft_on_request(client, alice, enrollment, kept) -> None:
    client.force_login(alice)
    response = client.post(draft_url(enrollment.client_id), {"discard": "1"})
    assert response.status_code == 200
    assert not ContactDraft.objects.exists()


def test_it_purges_drafts_older_than_24_hours(alice, enrollment, kept, frozen) -> None:
    frozen.shift(dt.timedelta(hours=25))
    fresh = factories.EnrollmentFactory(case_manager=alice)
    contact_draft_save(author=alice, client=fresh.client, enrollment=fresh, data={})
    assert contact_drafts_purge(now=dt.datetime.now(dt.UTC)) == 1
    assert list(ContactDraft.objects.values_list("client", flat=True)) == [fresh.client_id]


def test_the_purge_task_is_safe_to_run_twice(enrollment, kept, frozen) -> None:
    frozen.shift(dt.timedelta(hours=25))
    assert purge_contact_drafts() == {"deleted": 1}
    assert purge_contact_drafts() == {"deleted": 0}


def test_the_purge_is_scheduled() -> None:
    entry = app.conf.beat_schedule["purge-contact-drafts-hourly"]
    assert entry["task"] == purge_contact_drafts.name


# --- Scope and bad input ----------------------------------------------------------------------


def test_it_answers_404_for_a_client_of_another_team(client, alice, other_enrollment) -> None:
    client.force_login(alice)
    response = client.post(draft_url(other_enrollment.client_id), _typed(other_enrollment))
    assert response.status_code == 404
    assert not ContactDraft.objects.exists()


def test_it_answers_404_for_a_teammates_client(client, alice, bob) -> None:
    bobs = factories.EnrollmentFactory(case_manager=bob)
    client.force_login(alice)
    response = client.post(draft_url(bobs.client_id), _typed(bobs))
    assert response.status_code == 404


def test_it_refuses_an_oversized_draft(client, alice, enrollment) -> None:
    client.force_login(alice)
    response = client.post(draft_url(enrollment.client_id), _typed(enrollment, note="x" * 70_000))
    assert response.status_code == 400
    assert not ContactDraft.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("note", "a\x00b"), ("contact_type", "telepathy"), ("goals", "first")],
)
def test_it_refuses_input_the_form_would_not_send(client, alice, enrollment, field, value) -> None:
    client.force_login(alice)
    response = client.post(draft_url(enrollment.client_id), _typed(enrollment, **{field: value}))
    assert response.status_code == 400
    assert not ContactDraft.objects.exists()


def test_it_refuses_an_enrollment_of_another_client(client, alice, enrollment) -> None:
    elsewhere = factories.EnrollmentFactory(case_manager=alice)
    client.force_login(alice)
    response = client.post(
        draft_url(enrollment.client_id), _typed(enrollment, enrollment=elsewhere.pk)
    )
    assert response.status_code == 400


def test_it_answers_405_to_a_get(client, alice, enrollment) -> None:
    client.force_login(alice)
    assert client.get(draft_url(enrollment.client_id)).status_code == 405


def test_drafts_are_not_in_the_api(api, alice, enrollment, kept) -> None:
    api.force_login(alice)
    paths = api.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert not [path for path in paths if "draft" in path]
