"""/api/v1/supervision-notes/ and follow-up-tasks/: the same scope and services as the pages
(visible_to for reads, note_write, note_acknowledge, task_done, task_add_to_plan), bad input
as 400 with field errors, out of scope as 404 (or "not found" in a request body: 400)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import Enrollment
from serviceplans.models import RiskAlert
from serviceplans.services import risk_screen_record
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule, FollowUpTask, SupervisionNote
from tests import factories
from tests.helpers import listed_ids

pytestmark = pytest.mark.django_db

NOTES_URL = reverse("supervision-note-list")
TASKS_URL = reverse("follow-up-task-list")


def _body(enrollment: Enrollment | None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "case_specific",
        "enrollment": enrollment.pk if enrollment else None,
        "held_on": timezone.localdate().isoformat(),
        "discussion": "Reviewed the safety plan.",
        "concerns": ["suicidal_ideation"],
        "tasks": [
            {
                "description": "Home visit within 48 hours.",
                "due_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            }
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def note(sam: User, enrollment: Enrollment) -> SupervisionNote:
    return factories.SupervisionNoteFactory(enrollment=enrollment, author=sam)


@pytest.fixture
def alert(alice: User, enrollment: Enrollment) -> RiskAlert:
    screen = risk_screen_record(
        actor=alice, enrollment=enrollment, screened_on=timezone.localdate(), crisis=True
    )
    return RiskAlert.objects.get(risk_screen=screen)


# --- Writing ----------------------------------------------------------------------------------


def test_a_supervisor_writes_a_note_with_its_tasks(
    api: APIClient, sam: User, alice: User, enrollment: Enrollment
) -> None:
    api.force_authenticate(sam)
    response = api.post(NOTES_URL, _body(enrollment), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["staff_supervised"], data["author"], data["team"]) == (
        alice.pk,
        sam.pk,
        enrollment.team_id,
    )
    assert [t["description"] for t in data["tasks"]] == ["Home visit within 48 hours."]
    assert data["is_acknowledged"] is False


def test_a_case_manager_is_refused(api: APIClient, alice: User, enrollment: Enrollment) -> None:
    api.force_authenticate(alice)
    response = api.post(NOTES_URL, _body(enrollment), format="json")
    assert response.status_code == 403
    assert not SupervisionNote.objects.exists()


def test_a_client_outside_the_team_is_not_found_and_nothing_saved(
    api: APIClient, sam: User, other_enrollment: Enrollment
) -> None:
    api.force_authenticate(sam)
    response = api.post(NOTES_URL, _body(other_enrollment), format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert not SupervisionNote.objects.exists()
    assert not FollowUpTask.objects.exists()


def test_a_client_kind_without_a_client_is_a_field_error(api: APIClient, sam: User) -> None:
    api.force_authenticate(sam)
    response = api.post(NOTES_URL, _body(None), format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()


def test_a_date_in_the_future_is_a_field_error(
    api: APIClient, sam: User, enrollment: Enrollment
) -> None:
    api.force_authenticate(sam)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = api.post(NOTES_URL, _body(enrollment, held_on=tomorrow.isoformat()), format="json")
    assert response.status_code == 400
    assert response.json()["held_on"] == ["The date cannot be in the future."]


def test_a_task_due_before_the_note_is_a_field_error_and_nothing_saved(
    api: APIClient, sam: User, enrollment: Enrollment
) -> None:
    api.force_authenticate(sam)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    body = _body(enrollment, tasks=[{"description": "Call.", "due_on": yesterday.isoformat()}])
    response = api.post(NOTES_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["tasks"] == [
        "Follow-up task 1: it cannot be due before the supervision was held."
    ]
    assert not SupervisionNote.objects.exists()


def test_an_unknown_concern_is_a_field_error(
    api: APIClient, sam: User, enrollment: Enrollment
) -> None:
    api.force_authenticate(sam)
    response = api.post(NOTES_URL, _body(enrollment, concerns=["gambling"]), format="json")
    assert response.status_code == 400
    assert "concerns" in response.json()


def test_the_risk_note_resolves_the_flag(
    api: APIClient, sam: User, enrollment: Enrollment, alert: RiskAlert
) -> None:
    compliance_evaluate(as_of=timezone.localdate(), enrollment_ids=[enrollment.pk])
    api.force_authenticate(sam)
    response = api.post(NOTES_URL, _body(enrollment, risk_alert=alert.pk), format="json")
    assert response.status_code == 201
    flag = Flag.objects.get(enrollment=enrollment, rule=FlagRule.RISK_SCREEN_UNREVIEWED)
    assert flag.resolution == "Risk screen reviewed by a supervisor."


def test_a_risk_screen_of_another_enrollment_is_a_field_error(
    api: APIClient, sam: User, alice: User, enrollment: Enrollment
) -> None:
    other = factories.EnrollmentFactory(case_manager=alice)
    screen = risk_screen_record(
        actor=alice, enrollment=other, screened_on=timezone.localdate(), crisis=True
    )
    api.force_authenticate(sam)
    response = api.post(NOTES_URL, _body(enrollment, risk_alert=screen.alert.pk), format="json")
    assert response.status_code == 400
    assert "risk_alert" in response.json()
    assert not SupervisionNote.objects.exists()


def test_a_case_conference_with_a_participant(
    api: APIClient, sam: User, enrollment: Enrollment
) -> None:
    mother = factories.FamilyMemberFactory(client=enrollment.client)
    api.force_authenticate(sam)
    body = _body(
        enrollment,
        kind="case_conference",
        agreed_goals="Weekly therapy.",
        participants=[{"kind": "family", "family_member": mother.pk, "role": "mother"}],
    )
    response = api.post(NOTES_URL, body, format="json")
    assert response.status_code == 201
    assert response.json()["participants"][0]["family_member"] == mother.pk


# --- Reading ----------------------------------------------------------------------------------


def test_the_staff_member_lists_the_notes_to_them(
    api: APIClient, alice: User, note: SupervisionNote
) -> None:
    api.force_authenticate(alice)
    assert listed_ids(api.get(NOTES_URL)) == {note.pk}


def test_a_teammate_does_not_list_a_colleagues_supervision(
    api: APIClient, bob: User, note: SupervisionNote
) -> None:
    api.force_authenticate(bob)
    assert listed_ids(api.get(NOTES_URL)) == set()


def test_the_list_filters_notes_awaiting_acknowledgement(
    api: APIClient, sam: User, enrollment: Enrollment, note: SupervisionNote
) -> None:
    factories.SupervisionNoteFactory(
        enrollment=enrollment,
        author=sam,
        acknowledged_on=timezone.localdate(),
        acknowledged_at=timezone.now(),
    )
    api.force_authenticate(sam)
    assert listed_ids(api.get(NOTES_URL, {"acknowledged": "false"})) == {note.pk}


def _queries_for_the_list(api: APIClient, user: User) -> int:
    # A fresh user each time: the teams a user reads are cached on the user object.
    api.force_authenticate(User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = api.get(NOTES_URL)
    assert response.status_code == 200
    return len(queries)


def test_the_list_uses_the_same_number_of_queries_at_2_and_10_notes(
    api: APIClient, sam: User, alice: User
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            note = factories.SupervisionNoteFactory(
                enrollment=factories.EnrollmentFactory(case_manager=alice), author=sam
            )
            factories.FollowUpTaskFactory(note=note)

    add(2)
    at_two = _queries_for_the_list(api, sam)
    add(8)
    assert _queries_for_the_list(api, sam) == at_two


# --- Acknowledging, tasks ---------------------------------------------------------------------


def test_the_staff_member_acknowledges(api: APIClient, alice: User, note: SupervisionNote) -> None:
    api.force_authenticate(alice)
    response = api.post(reverse("supervision-note-acknowledge", args=[note.pk]))
    assert response.status_code == 200
    assert response.json()["acknowledged_on"] == timezone.localdate().isoformat()


def test_an_acknowledgement_by_someone_else_is_refused(
    api: APIClient, sam: User, note: SupervisionNote
) -> None:
    api.force_authenticate(sam)
    response = api.post(reverse("supervision-note-acknowledge", args=[note.pk]))
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.acknowledged_on is None


def test_a_second_acknowledgement_is_a_field_error(
    api: APIClient, alice: User, note: SupervisionNote
) -> None:
    api.force_authenticate(alice)
    api.post(reverse("supervision-note-acknowledge", args=[note.pk]))
    response = api.post(reverse("supervision-note-acknowledge", args=[note.pk]))
    assert response.status_code == 400
    assert "acknowledged_on" in response.json()


def test_the_staff_member_marks_a_task_done(
    api: APIClient, alice: User, note: SupervisionNote
) -> None:
    task = factories.FollowUpTaskFactory(note=note)
    api.force_authenticate(alice)
    response = api.post(reverse("follow-up-task-done", args=[task.pk]))
    assert response.status_code == 200
    assert response.json()["done_on"] == timezone.localdate().isoformat()


def test_tasks_are_listed_by_note(api: APIClient, alice: User, note: SupervisionNote) -> None:
    task = factories.FollowUpTaskFactory(note=note)
    factories.FollowUpTaskFactory(note=factories.SupervisionNoteFactory(enrollment=note.enrollment))
    api.force_authenticate(alice)
    assert listed_ids(api.get(TASKS_URL, {"note": note.pk})) == {task.pk}


def test_a_task_is_added_to_the_plan(
    api: APIClient, sam: User, enrollment: Enrollment, note: SupervisionNote
) -> None:
    goal = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=enrollment, active=True)
    )
    task = factories.FollowUpTaskFactory(note=note)
    api.force_authenticate(sam)
    response = api.post(
        reverse("follow-up-task-add-to-plan", args=[task.pk]), {"goal": goal.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["plan_action"] is not None


def test_a_goal_of_another_team_is_not_found(
    api: APIClient, sam: User, note: SupervisionNote, other_enrollment: Enrollment
) -> None:
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=other_enrollment))
    task = factories.FollowUpTaskFactory(note=note)
    api.force_authenticate(sam)
    response = api.post(
        reverse("follow-up-task-add-to-plan", args=[task.pk]), {"goal": goal.pk}, format="json"
    )
    assert response.status_code == 400
    assert "goal" in response.json()
