"""The supervision note pages: a new note (pre-filled from a positive risk screen), the note
with its acknowledgement and tasks, the note list, and the notes on the client page and the
risk screen page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import AccessLog, Enrollment
from referrals.models import Provider
from serviceplans.models import Goal, RiskAlert
from serviceplans.services import risk_screen_record
from supervision import services
from supervision.compliance import compliance_evaluate
from supervision.models import (
    ConferenceParticipant,
    Flag,
    FlagRule,
    FollowUpTask,
    SupervisionNote,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(alice: User, enrollment: Enrollment) -> RiskAlert:
    screen = risk_screen_record(
        actor=alice,
        enrollment=enrollment,
        screened_on=timezone.localdate(),
        suicidal_ideation=True,
        crisis=True,
        notes="Said she sometimes wishes she would not wake up.",
    )
    return RiskAlert.objects.get(risk_screen=screen)


@pytest.fixture
def note(sam: User, enrollment: Enrollment) -> SupervisionNote:
    return factories.SupervisionNoteFactory(enrollment=enrollment, author=sam)


def _new_url(**query: object) -> str:
    url = reverse("supervision:note_create")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _note_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "case_specific",
        "held_on": timezone.localdate().isoformat(),
        "discussion": "Safety plan reviewed; crisis line numbers given to the family.",
        "recommendations": "Home visit within 48 hours.",
        "tasks-TOTAL_FORMS": "2",
        "tasks-INITIAL_FORMS": "0",
        "tasks-0-description": "Home visit to check the safety plan.",
        "tasks-0-due_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "tasks-0-responsible": "case_manager",
        "tasks-1-responsible": "case_manager",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _checked_concerns(html: str) -> set[str]:
    return set(re.findall(r'name="concerns" value="(\w+)"[^>]*checked', html))


# --- New note ---------------------------------------------------------------------------------


def test_it_shows_the_form_to_the_teams_supervisor(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.get(_new_url(enrollment=enrollment.pk))
    assert response.status_code == 200
    assert enrollment.client.display_name in response.content.decode()


def test_a_client_outside_the_team_is_not_found_and_logged(
    client: HttpClient, sam: User, other_enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.get(_new_url(enrollment=other_enrollment.pk))
    assert response.status_code == 404
    assert AccessLog.objects.filter(
        user=sam, client=other_enrollment.client, action=AccessLog.Action.DENIED
    ).exists()


def test_the_risk_screen_prefills_the_staff_member_and_concerns(
    client: HttpClient, sam: User, alice: User, enrollment: Enrollment, alert: RiskAlert
) -> None:
    client.force_login(sam)
    response = client.get(_new_url(enrollment=enrollment.pk, risk_alert=alert.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert _checked_concerns(html) == {"suicidal_ideation", "crisis"}
    assert re.search(rf'<option value="{alice.pk}" selected>', html)
    assert 'id="note-risk-screen"' in html
    assert "Said she sometimes wishes she would not wake up." in html


def test_a_risk_screen_of_another_enrollment_is_not_found(
    client: HttpClient, sam: User, alice: User, alert: RiskAlert
) -> None:
    other = factories.EnrollmentFactory(case_manager=alice)
    client.force_login(sam)
    response = client.get(_new_url(enrollment=other.pk, risk_alert=alert.pk))
    assert response.status_code == 404


def test_it_saves_a_note_with_its_task_and_shows_it(
    client: HttpClient, sam: User, alice: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.post(_new_url(enrollment=enrollment.pk), _note_data())
    note = SupervisionNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:note_detail", args=[note.pk])
    assert (note.enrollment, note.staff_supervised, note.author) == (enrollment, alice, sam)
    assert note.tasks.get().description == "Home visit to check the safety plan."


def test_the_client_can_be_chosen_on_the_form(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.post(_new_url(), _note_data(enrollment=enrollment.pk))
    assert response.status_code == 302
    assert SupervisionNote.objects.get().enrollment == enrollment


def test_a_refused_note_keeps_the_chosen_client_in_the_forms_address(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.post(_new_url(), _note_data(enrollment=enrollment.pk, discussion=""))
    assert response.status_code == 400
    assert f'action="{_new_url(enrollment=enrollment.pk)}"' in response.content.decode()


def test_a_note_posted_on_a_client_outside_the_team_is_not_found_and_nothing_saved(
    client: HttpClient, sam: User, other_enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.post(_new_url(), _note_data(enrollment=other_enrollment.pk))
    assert response.status_code == 404
    assert not SupervisionNote.objects.exists()
    assert not FollowUpTask.objects.exists()


def test_a_note_posted_by_a_case_manager_is_refused_and_nothing_saved(
    client: HttpClient, alice: User, enrollment: Enrollment
) -> None:
    client.force_login(alice)
    response = client.post(_new_url(enrollment=enrollment.pk), _note_data())
    assert response.status_code == 403
    assert not SupervisionNote.objects.exists()


def test_a_date_in_the_future_is_refused_on_the_form(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        _new_url(enrollment=enrollment.pk), _note_data(held_on=tomorrow.isoformat())
    )
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert not SupervisionNote.objects.exists()


def test_a_task_due_before_the_note_is_refused_beside_the_tasks(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    held_on = timezone.localdate() - dt.timedelta(days=5)
    response = client.post(
        _new_url(enrollment=enrollment.pk),
        _note_data(
            **{
                "held_on": held_on.isoformat(),
                "tasks-0-due_on": (held_on - dt.timedelta(days=1)).isoformat(),
            }
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Follow-up task 1: it cannot be due before the supervision was held." in html
    assert not SupervisionNote.objects.exists()
    assert not FollowUpTask.objects.exists()


def test_a_task_without_a_due_date_is_refused_on_its_row(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.post(_new_url(enrollment=enrollment.pk), _note_data(**{"tasks-0-due_on": ""}))
    assert response.status_code == 400
    assert "Give the date it is due." in response.content.decode()
    assert not SupervisionNote.objects.exists()


def test_the_risk_note_marks_the_screen_reviewed_and_resolves_its_flag(
    client: HttpClient, sam: User, enrollment: Enrollment, alert: RiskAlert
) -> None:
    compliance_evaluate(as_of=timezone.localdate(), enrollment_ids=[enrollment.pk])
    assert Flag.objects.open().filter(rule=FlagRule.RISK_SCREEN_UNREVIEWED).exists()
    client.force_login(sam)
    response = client.post(
        _new_url(enrollment=enrollment.pk, risk_alert=alert.pk),
        _note_data(risk_alert=alert.pk, concerns=["suicidal_ideation"]),
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.reviewed_by == sam
    assert not Flag.objects.open().filter(rule=FlagRule.RISK_SCREEN_UNREVIEWED).exists()
    assert SupervisionNote.objects.get().risk_alert == alert


def test_a_risk_screen_already_reviewed_is_refused_with_a_message(
    client: HttpClient, sam: User, enrollment: Enrollment, alert: RiskAlert
) -> None:
    client.force_login(sam)
    url = _new_url(enrollment=enrollment.pk, risk_alert=alert.pk)
    client.post(url, _note_data(risk_alert=alert.pk))
    response = client.post(url, _note_data(risk_alert=alert.pk))
    assert response.status_code == 400
    assert "This risk screen was already reviewed on" in response.content.decode()
    assert SupervisionNote.objects.count() == 1


# --- One note ---------------------------------------------------------------------------------


def test_the_staff_member_sees_the_acknowledge_button(
    client: HttpClient, alice: User, note: SupervisionNote
) -> None:
    client.force_login(alice)
    response = client.get(reverse("supervision:note_detail", args=[note.pk]))
    assert response.status_code == 200
    assert ">Acknowledge</button>" in response.content.decode()


def test_the_supervisor_does_not_see_the_acknowledge_button(
    client: HttpClient, sam: User, note: SupervisionNote
) -> None:
    client.force_login(sam)
    response = client.get(reverse("supervision:note_detail", args=[note.pk]))
    assert ">Acknowledge</button>" not in response.content.decode()


def test_a_teammate_does_not_read_a_colleagues_supervision(
    client: HttpClient, bob: User, note: SupervisionNote
) -> None:
    client.force_login(bob)
    response = client.get(reverse("supervision:note_detail", args=[note.pk]))
    assert response.status_code == 404


def test_reading_a_note_is_a_read_of_the_client_record(
    client: HttpClient, sam: User, note: SupervisionNote
) -> None:
    client.force_login(sam)
    client.get(reverse("supervision:note_detail", args=[note.pk]))
    assert AccessLog.objects.filter(
        user=sam, client=note.enrollment.client, action=AccessLog.Action.VIEWED
    ).exists()


def test_the_staff_member_acknowledges_the_note(
    client: HttpClient, alice: User, note: SupervisionNote
) -> None:
    client.force_login(alice)
    response = client.post(reverse("supervision:note_acknowledge", args=[note.pk]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.acknowledged_on == timezone.localdate()


def test_an_acknowledgement_by_the_supervisor_is_refused(
    client: HttpClient, sam: User, note: SupervisionNote
) -> None:
    client.force_login(sam)
    response = client.post(reverse("supervision:note_acknowledge", args=[note.pk]))
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.acknowledged_on is None


def test_a_second_acknowledgement_is_refused_with_the_date(
    client: HttpClient, alice: User, note: SupervisionNote
) -> None:
    client.force_login(alice)
    client.post(reverse("supervision:note_acknowledge", args=[note.pk]))
    response = client.post(reverse("supervision:note_acknowledge", args=[note.pk]))
    assert response.status_code == 400
    assert f"You acknowledged this note on {timezone.localdate():%Y-%m-%d}." in (
        response.content.decode()
    )


def test_the_staff_member_marks_a_task_done(
    client: HttpClient, alice: User, note: SupervisionNote
) -> None:
    task = factories.FollowUpTaskFactory(note=note)
    client.force_login(alice)
    response = client.post(reverse("supervision:task_done", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()


def test_a_task_done_twice_is_refused_on_the_page(
    client: HttpClient, alice: User, note: SupervisionNote
) -> None:
    task = factories.FollowUpTaskFactory(note=note, done_on=timezone.localdate())
    client.force_login(alice)
    response = client.post(reverse("supervision:task_done", args=[task.pk]))
    assert response.status_code == 400


# --- The note list ----------------------------------------------------------------------------


def test_the_case_manager_sees_the_notes_to_acknowledge_first_with_their_count(
    client: HttpClient, sam: User, alice: User, enrollment: Enrollment
) -> None:
    today = timezone.localdate()
    acknowledged = factories.SupervisionNoteFactory(
        enrollment=enrollment,
        author=sam,
        held_on=today,
        acknowledged_on=today,
        acknowledged_at=timezone.now(),
    )
    waiting = factories.SupervisionNoteFactory(
        enrollment=enrollment, author=sam, held_on=today - dt.timedelta(days=30)
    )
    client.force_login(alice)
    response = client.get(reverse("supervision:note_list"))
    assert [n.pk for n in response.context["notes"]] == [waiting.pk, acknowledged.pk]
    assert response.context["awaiting"] == 1
    assert "1</span> note to acknowledge" in response.content.decode()


def test_a_case_manager_sees_only_the_notes_to_them(
    client: HttpClient, bob: User, note: SupervisionNote
) -> None:
    client.force_login(bob)
    response = client.get(reverse("supervision:note_list"))
    assert list(response.context["notes"]) == []


def test_the_supervisor_sees_the_teams_notes_and_not_another_teams(
    client: HttpClient, sam: User, note: SupervisionNote, other_enrollment: Enrollment
) -> None:
    factories.SupervisionNoteFactory(enrollment=other_enrollment)
    client.force_login(sam)
    response = client.get(reverse("supervision:note_list"))
    assert [n.pk for n in response.context["notes"]] == [note.pk]


def test_the_list_filters_by_acknowledgement(
    client: HttpClient, sam: User, enrollment: Enrollment, note: SupervisionNote
) -> None:
    factories.SupervisionNoteFactory(
        enrollment=enrollment,
        author=sam,
        acknowledged_on=timezone.localdate(),
        acknowledged_at=timezone.now(),
    )
    client.force_login(sam)
    response = client.get(reverse("supervision:note_list"), {"acknowledged": "no"})
    assert [n.pk for n in response.context["notes"]] == [note.pk]


def test_the_list_counts_the_open_tasks(
    client: HttpClient, alice: User, note: SupervisionNote
) -> None:
    factories.FollowUpTaskFactory(note=note)
    factories.FollowUpTaskFactory(note=note, done_on=timezone.localdate())
    client.force_login(alice)
    response = client.get(reverse("supervision:note_list"))
    assert response.context["notes"][0].open_tasks == 1


def _queries_for_the_list(client: HttpClient, user: User) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("supervision:note_list"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["alice", "sam"])
def test_the_list_uses_the_same_number_of_queries_at_2_and_10_notes(
    client: HttpClient, request: pytest.FixtureRequest, viewer: str, sam: User, alice: User
) -> None:
    user = request.getfixturevalue(viewer)

    def add(n: int) -> None:
        for _ in range(n):
            enrollment = factories.EnrollmentFactory(case_manager=alice)
            note = factories.SupervisionNoteFactory(
                enrollment=enrollment, author=sam, concerns=["crisis"]
            )
            factories.FollowUpTaskFactory(note=note)

    add(2)
    at_two = _queries_for_the_list(client, user)
    add(8)
    assert _queries_for_the_list(client, user) == at_two


# --- The client page and the risk screen page -------------------------------------------------


def test_the_client_page_lists_the_clients_notes(
    client: HttpClient, alice: User, note: SupervisionNote
) -> None:
    client.force_login(alice)
    page = client.get(reverse("workspace:client", args=[note.enrollment.client_id]))
    card = reverse("workspace:supervision_card", args=[note.enrollment.client_id])
    assert card in page.content.decode()  # the notes arrive after the page
    response = client.get(card, headers={"HX-Request": "true"})
    assert [n.pk for n in response.context["supervision_notes"]] == [note.pk]
    assert reverse("supervision:note_detail", args=[note.pk]) in response.content.decode()


def test_the_client_page_hides_a_colleagues_supervision(
    client: HttpClient, bob: User, note: SupervisionNote
) -> None:
    client.force_login(bob)
    response = client.get(
        reverse("workspace:supervision_card", args=[note.enrollment.client_id]),
        headers={"HX-Request": "true"},
    )
    assert response.context["supervision_notes"] == []


def test_the_client_page_offers_the_supervisor_a_new_note(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    client.force_login(sam)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert f"{reverse('supervision:note_create')}?enrollment={enrollment.pk}" in (
        response.content.decode()
    )


def _queries_for_the_client_page(client: HttpClient, enrollment: Enrollment) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert response.status_code == 200
    return len(queries)


def test_the_client_page_uses_the_same_number_of_queries_at_2_and_10_notes(
    client: HttpClient, sam: User, enrollment: Enrollment
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            factories.FollowUpTaskFactory(
                note=factories.SupervisionNoteFactory(enrollment=enrollment, author=sam)
            )

    client.force_login(sam)
    add(2)
    at_two = _queries_for_the_client_page(client, enrollment)
    add(8)
    assert _queries_for_the_client_page(client, enrollment) == at_two


def test_the_risk_screen_page_offers_the_supervisor_a_note(
    client: HttpClient, sam: User, enrollment: Enrollment, alert: RiskAlert
) -> None:
    client.force_login(sam)
    response = client.get(reverse("serviceplans:risk_screen_detail", args=[alert.risk_screen_id]))
    assert (
        f"{reverse('supervision:note_create')}?enrollment={enrollment.pk}&amp;risk_alert={alert.pk}"
        in response.content.decode()
    )


def test_the_risk_screen_page_does_not_offer_the_case_manager_a_note(
    client: HttpClient, alice: User, alert: RiskAlert
) -> None:
    client.force_login(alice)
    response = client.get(reverse("serviceplans:risk_screen_detail", args=[alert.risk_screen_id]))
    assert "Write supervision note" not in response.content.decode()


def test_the_risk_screen_page_shows_its_review(
    client: HttpClient, sam: User, alice: User, enrollment: Enrollment, alert: RiskAlert
) -> None:
    client.force_login(sam)
    client.post(
        _new_url(enrollment=enrollment.pk, risk_alert=alert.pk), _note_data(risk_alert=alert.pk)
    )
    note = SupervisionNote.objects.get()
    client.force_login(alice)
    response = client.get(reverse("serviceplans:risk_screen_detail", args=[alert.risk_screen_id]))
    review = re.search(r'id="risk-review">(.*?)</div>', response.content.decode(), re.S)
    assert review is not None
    assert f"by {sam}" in review.group(1)
    assert reverse("supervision:note_detail", args=[note.pk]) in review.group(1)
    assert "Write supervision note" not in review.group(1)


# --- A conference note and its tasks ---------------------------------------------------------


def test_the_note_page_lists_the_participants(
    client: HttpClient, sam: User, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    note = services.note_write(
        actor=sam,
        kind=SupervisionNote.Kind.CASE_CONFERENCE,
        enrollment=enrollment,
        held_on=timezone.localdate(),
        discussion="Transition to outpatient therapy.",
        participants=[{"kind": ConferenceParticipant.Kind.PROVIDER, "provider": provider}],
    )
    client.force_login(alice)
    response = client.get(reverse("supervision:note_detail", args=[note.pk]))
    assert "Riverside Mental Health" in response.content.decode()


def test_a_task_is_added_to_the_plan_from_the_note_page(
    client: HttpClient, sam: User, active_goal: Goal, task: FollowUpTask
) -> None:
    client.force_login(sam)
    page = client.get(reverse("supervision:note_detail", args=[task.note_id])).content.decode()
    assert "Add to plan" in page
    response = client.post(
        reverse("supervision:task_add_to_plan", args=[task.pk]), {"goal": active_goal.pk}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.plan_action is not None
    assert task.plan_action.goal.carried_from == active_goal


def test_adding_a_task_without_a_goal_says_so(
    client: HttpClient, sam: User, active_goal: Goal, task: FollowUpTask
) -> None:
    client.force_login(sam)
    response = client.post(reverse("supervision:task_add_to_plan", args=[task.pk]), {})
    assert response.status_code == 400
    assert "Choose the goal of the service plan it serves." in response.content.decode()


def test_adding_a_task_twice_is_refused_on_the_page(
    client: HttpClient, sam: User, active_goal: Goal, task: FollowUpTask
) -> None:
    services.task_add_to_plan(actor=sam, task=task, goal=active_goal)
    client.force_login(sam)
    response = client.post(
        reverse("supervision:task_add_to_plan", args=[task.pk]), {"goal": active_goal.pk}
    )
    assert response.status_code == 400
    assert "This task is already in the service plan." in response.content.decode()
