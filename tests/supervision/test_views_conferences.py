"""The case conference page (supervision.views.conferences): the client's family and the
directory offered, participants and tasks saved, refusals shown on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import Enrollment, FamilyMember
from referrals.models import Provider
from supervision.models import SupervisionNote
from tests import factories

pytestmark = pytest.mark.django_db

CONFERENCE = SupervisionNote.Kind.CASE_CONFERENCE


def _url(enrollment: Enrollment | None = None) -> str:
    url = reverse("supervision:conference_create")
    return f"{url}?enrollment={enrollment.pk}" if enrollment else url


def _post_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "held_on": timezone.localdate().isoformat(),
        "discussion": "Transition to outpatient therapy.",
        "agreed_goals": "Weekly therapy; school three days a week.",
        "tasks-TOTAL_FORMS": "1",
        "tasks-INITIAL_FORMS": "0",
        "tasks-0-description": "Book the first therapy session.",
        "tasks-0-due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "tasks-0-responsible": "case_manager",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-0-kind": "client",
        "participants-1-kind": "",
    }
    data.update(overrides)
    return data


def test_the_page_offers_the_clients_family_and_the_directory(
    client: HttpClient, sam: User, enrollment: Enrollment, mother: FamilyMember, provider: Provider
) -> None:
    client.force_login(sam)
    response = client.get(_url(enrollment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rosa" in page
    assert "Riverside Mental Health" in page


def test_without_a_client_the_page_asks_for_one(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.get(_url())
    assert response.status_code == 200
    assert enrollment.client.display_name in response.content.decode()
    assert 'id="conference-choose"' in response.content.decode()


def test_it_saves_a_conference_with_its_participants_and_tasks(
    client: HttpClient, sam: User, enrollment: Enrollment, mother: FamilyMember, provider: Provider
) -> None:
    client.force_login(sam)
    response = client.post(
        _url(enrollment),
        _post_data(
            **{
                "participants-TOTAL_FORMS": "3",
                "participants-1-kind": "family",
                "participants-1-family_member": str(mother.pk),
                "participants-2-kind": "provider",
                "participants-2-provider": str(provider.pk),
                "participants-2-role": "therapist",
            }
        ),
    )
    note = SupervisionNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:note_detail", args=[note.pk])
    assert note.kind == CONFERENCE
    assert [p.kind for p in note.participants.order_by("id")] == ["client", "family", "provider"]
    assert note.tasks.get().description == "Book the first therapy session."


def test_a_family_member_of_another_client_is_refused_on_the_page(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    stranger = factories.FamilyMemberFactory()
    client.force_login(sam)
    response = client.post(
        _url(enrollment),
        _post_data(
            **{"participants-1-kind": "family", "participants-1-family_member": str(stranger.pk)}
        ),
    )
    assert response.status_code == 400
    assert not SupervisionNote.objects.exists()


def test_a_participant_row_without_who_is_refused_with_its_message(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.post(_url(enrollment), _post_data(**{"participants-1-kind": "other"}))
    assert response.status_code == 400
    assert "Give the person&#x27;s name." in response.content.decode()
    assert not SupervisionNote.objects.exists()
