"""Supervision notes, their follow-up tasks and acknowledgement, and reviewing a positive risk
screen by a note (supervision.services; CFP bulletin 18B-08: case-specific supervision and
crisis guidance by the clinical case manager/supervisor)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from clients.models import Enrollment
from serviceplans.models import PlanAction, RiskAlert
from serviceplans.services import risk_screen_record
from supervision import services
from supervision.compliance import compliance_evaluate
from supervision.models import (
    ConcernCategory,
    Flag,
    FlagRule,
    FollowUpTask,
    SupervisionNote,
)
from tests import factories

pytestmark = pytest.mark.django_db

CASE_SPECIFIC = SupervisionNote.Kind.CASE_SPECIFIC
FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 in America/Boise


def _write(actor: User, **fields: object) -> SupervisionNote:
    fields.setdefault("kind", CASE_SPECIFIC)
    fields.setdefault("held_on", timezone.localdate())
    fields.setdefault("discussion", "Talked through the school plan and the missed visits.")
    return services.note_write(actor=actor, **fields)  # type: ignore[arg-type]


def _positive_screen(actor: User, enrollment: Enrollment, **items: bool) -> RiskAlert:
    items = items or {"suicidal_ideation": True}
    screen = risk_screen_record(
        actor=actor, enrollment=enrollment, screened_on=timezone.localdate(), **items
    )
    return RiskAlert.objects.get(risk_screen=screen)


def _task(**fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "description": "Call the school counselor about the timetable.",
        "due_on": timezone.localdate() + dt.timedelta(days=7),
    }
    row.update(fields)
    return row


# --- Writing a note ---------------------------------------------------------------------------


def test_it_writes_a_case_specific_note_to_the_enrollments_case_manager(
    sam: User, alice: User, enrollment: Enrollment
) -> None:
    note = _write(sam, enrollment=enrollment, recommendations="Weekly home visits for a month.")
    fresh = SupervisionNote.objects.get(pk=note.pk)
    assert (fresh.team_id, fresh.staff_supervised, fresh.author, fresh.enrollment) == (
        enrollment.team_id,
        alice,
        sam,
        enrollment,
    )
    assert fresh.recommendations == "Weekly home visits for a month."
    assert fresh.acknowledged_on is None


def test_it_writes_the_follow_up_tasks_with_the_note(sam: User, enrollment: Enrollment) -> None:
    note = _write(
        sam,
        enrollment=enrollment,
        tasks=[
            _task(),
            _task(
                description="Ask the clinic about an earlier appointment.",
                responsible=PlanAction.Responsible.PROVIDER,
                responsible_name="Riverside Clinic",
            ),
        ],
    )
    tasks = list(note.tasks.order_by("id"))
    assert [t.description for t in tasks] == [
        "Call the school counselor about the timetable.",
        "Ask the clinic about an earlier appointment.",
    ]
    assert (tasks[1].responsible, tasks[1].responsible_name) == ("provider", "Riverside Clinic")


def test_it_keeps_the_concerns_given(sam: User, enrollment: Enrollment) -> None:
    note = _write(
        sam,
        enrollment=enrollment,
        concerns=[ConcernCategory.DOMESTIC_VIOLENCE, ConcernCategory.DOMESTIC_VIOLENCE],
    )
    assert note.concerns == [ConcernCategory.DOMESTIC_VIOLENCE]


def test_it_writes_a_clinical_session_about_a_case_manager_alone(sam: User, alice: User) -> None:
    note = _write(sam, kind=SupervisionNote.Kind.CLINICAL_SESSION, staff_supervised=alice)
    assert (note.enrollment, note.team_id, note.staff_supervised) == (None, alice.team_id, alice)


def test_it_lets_the_supervisor_name_another_case_manager_of_the_team(
    sam: User, bob: User, enrollment: Enrollment
) -> None:
    note = _write(sam, enrollment=enrollment, staff_supervised=bob)
    assert note.staff_supervised == bob


def test_it_refuses_a_note_by_a_case_manager(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(PermissionDenied):
        _write(alice, enrollment=enrollment)
    assert not SupervisionNote.objects.exists()


def test_it_refuses_a_note_by_an_administrator(ada: User, enrollment: Enrollment) -> None:
    with pytest.raises(PermissionDenied):
        _write(ada, enrollment=enrollment)
    assert not SupervisionNote.objects.exists()


def test_it_refuses_a_note_on_a_client_outside_the_team_and_saves_nothing(
    sam: User, other_enrollment: Enrollment
) -> None:
    with pytest.raises(PermissionDenied):
        _write(sam, enrollment=other_enrollment, tasks=[_task()])
    assert not SupervisionNote.objects.exists()
    assert not FollowUpTask.objects.exists()


def test_it_refuses_a_case_specific_note_without_a_client(sam: User, alice: User) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, staff_supervised=alice)
    assert "enrollment" in refused.value.message_dict
    assert not SupervisionNote.objects.exists()


def test_it_refuses_a_clinical_session_without_a_case_manager(sam: User) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, kind=SupervisionNote.Kind.CLINICAL_SESSION)
    assert "staff_supervised" in refused.value.message_dict


def test_it_refuses_a_clinical_session_of_another_teams_case_manager(
    sam: User, charlie: User
) -> None:
    with pytest.raises(PermissionDenied):
        _write(sam, kind=SupervisionNote.Kind.CLINICAL_SESSION, staff_supervised=charlie)
    assert not SupervisionNote.objects.exists()


def test_it_refuses_a_staff_member_who_is_not_a_case_manager_of_the_team(
    sam: User, charlie: User, enrollment: Enrollment
) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, staff_supervised=charlie)
    assert "staff_supervised" in refused.value.message_dict


def test_it_refuses_the_supervisor_as_the_staff_member_supervised(
    sam: User, enrollment: Enrollment
) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, staff_supervised=sam)
    assert "staff_supervised" in refused.value.message_dict


def test_it_refuses_a_date_in_the_future(sam: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, held_on=timezone.localdate() + dt.timedelta(days=1))
    assert refused.value.message_dict["held_on"] == ["The date cannot be in the future."]


def test_it_accepts_a_note_held_today(sam: User, enrollment: Enrollment) -> None:
    with time_machine.travel(FROZEN, tick=False):
        note = _write(sam, enrollment=enrollment, held_on=dt.date(2026, 3, 2))
    assert note.held_on == dt.date(2026, 3, 2)


def test_it_refuses_an_empty_discussion(sam: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, discussion="   ")
    assert "discussion" in refused.value.message_dict


def test_it_refuses_an_unknown_concern(sam: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, concerns=["gambling"])
    assert "concerns" in refused.value.message_dict


def test_it_refuses_a_task_due_before_the_note_and_saves_nothing(
    sam: User, enrollment: Enrollment
) -> None:
    held_on = timezone.localdate() - dt.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        _write(
            sam,
            enrollment=enrollment,
            held_on=held_on,
            tasks=[_task(), _task(due_on=held_on - dt.timedelta(days=1))],
        )
    assert refused.value.message_dict["tasks"] == [
        "Follow-up task 2: it cannot be due before the supervision was held."
    ]
    assert not SupervisionNote.objects.exists()
    assert not FollowUpTask.objects.exists()


def test_it_accepts_a_task_due_the_day_of_the_note(sam: User, enrollment: Enrollment) -> None:
    note = _write(sam, enrollment=enrollment, tasks=[_task(due_on=timezone.localdate())])
    assert note.tasks.get().due_on == timezone.localdate()


def test_it_refuses_a_task_without_a_description(sam: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, tasks=[_task(description=" ")])
    assert refused.value.message_dict["tasks"] == ["Follow-up task 1: say what is to be done."]


def test_it_refuses_a_task_for_a_provider_without_a_name(sam: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(
            sam, enrollment=enrollment, tasks=[_task(responsible=PlanAction.Responsible.PROVIDER)]
        )
    assert "name the family member, provider or person" in refused.value.message_dict["tasks"][0]


def test_it_refuses_goals_agreed_outside_a_case_conference(
    sam: User, enrollment: Enrollment
) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, agreed_goals="Back at school full time by May.")
    assert "agreed_goals" in refused.value.message_dict


def test_it_refuses_participants_outside_a_case_conference(
    sam: User, enrollment: Enrollment
) -> None:
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, participants=[{"kind": "client"}])
    assert "participants" in refused.value.message_dict


# --- Reviewing a positive risk screen -----------------------------------------------------------


def test_the_note_marks_the_risk_screen_reviewed(
    alice: User, sam: User, enrollment: Enrollment
) -> None:
    alert = _positive_screen(alice, enrollment)
    with time_machine.travel(FROZEN, tick=False):
        note = _write(sam, enrollment=enrollment, risk_alert=alert)
    alert.refresh_from_db()
    assert (alert.reviewed_at, alert.reviewed_by) == (FROZEN, sam)
    assert note.risk_alert == alert


def test_the_note_resolves_the_risk_screen_flag_at_once(
    alice: User, sam: User, enrollment: Enrollment
) -> None:
    alert = _positive_screen(alice, enrollment)
    compliance_evaluate(as_of=timezone.localdate(), enrollment_ids=[enrollment.pk])
    flag = Flag.objects.open().get(enrollment=enrollment, rule=FlagRule.RISK_SCREEN_UNREVIEWED)

    _write(sam, enrollment=enrollment, risk_alert=alert)

    flag.refresh_from_db()
    assert (flag.resolved_on, flag.resolution) == (
        timezone.localdate(),
        "Risk screen reviewed by a supervisor.",
    )


def test_the_risk_note_takes_the_screens_items_as_concerns_when_none_are_given(
    alice: User, sam: User, enrollment: Enrollment
) -> None:
    alert = _positive_screen(alice, enrollment, suicidal_ideation=True, domestic_violence=True)
    note = _write(sam, enrollment=enrollment, risk_alert=alert)
    assert note.concerns == [ConcernCategory.SUICIDAL_IDEATION, ConcernCategory.DOMESTIC_VIOLENCE]


def test_it_refuses_a_risk_screen_of_another_enrollment(
    alice: User, sam: User, enrollment: Enrollment
) -> None:
    other = factories.EnrollmentFactory(case_manager=alice)
    alert = _positive_screen(alice, other)
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, risk_alert=alert)
    assert "risk_alert" in refused.value.message_dict
    assert not SupervisionNote.objects.exists()
    alert.refresh_from_db()
    assert alert.reviewed_at is None


def test_it_refuses_a_risk_screen_already_reviewed(
    alice: User, sam: User, enrollment: Enrollment
) -> None:
    alert = _positive_screen(alice, enrollment)
    _write(sam, enrollment=enrollment, risk_alert=alert)
    with pytest.raises(ValidationError) as refused:
        _write(sam, enrollment=enrollment, risk_alert=alert)
    assert "already reviewed" in refused.value.message_dict["risk_alert"][0]
    assert SupervisionNote.objects.count() == 1


def test_a_refused_risk_note_leaves_the_flag_open(
    alice: User, sam: User, enrollment: Enrollment
) -> None:
    alert = _positive_screen(alice, enrollment)
    compliance_evaluate(as_of=timezone.localdate(), enrollment_ids=[enrollment.pk])
    with pytest.raises(ValidationError):
        _write(sam, enrollment=enrollment, risk_alert=alert, tasks=[_task(due_on=None)])
    assert Flag.objects.open().filter(rule=FlagRule.RISK_SCREEN_UNREVIEWED).count() == 1
    alert.refresh_from_db()
    assert alert.reviewed_at is None


# --- Acknowledgement --------------------------------------------------------------------------


@pytest.fixture
def note(sam: User, enrollment: Enrollment) -> SupervisionNote:
    return factories.SupervisionNoteFactory(enrollment=enrollment, author=sam)


def test_the_case_manager_acknowledges_the_note_dated(alice: User, note: SupervisionNote) -> None:
    with time_machine.travel(FROZEN, tick=False):
        services.note_acknowledge(actor=alice, note=note)
    note.refresh_from_db()
    assert (note.acknowledged_on, note.acknowledged_at) == (dt.date(2026, 3, 2), FROZEN)


def test_it_refuses_an_acknowledgement_by_the_supervisor(sam: User, note: SupervisionNote) -> None:
    with pytest.raises(PermissionDenied):
        services.note_acknowledge(actor=sam, note=note)
    note.refresh_from_db()
    assert note.acknowledged_on is None


def test_it_refuses_an_acknowledgement_by_a_teammate(bob: User, note: SupervisionNote) -> None:
    with pytest.raises(PermissionDenied):
        services.note_acknowledge(actor=bob, note=note)
    note.refresh_from_db()
    assert note.acknowledged_on is None


def test_it_refuses_a_second_acknowledgement(alice: User, note: SupervisionNote) -> None:
    with time_machine.travel(FROZEN, tick=False):
        services.note_acknowledge(actor=alice, note=note)
    with pytest.raises(ValidationError) as refused:
        services.note_acknowledge(actor=alice, note=note)
    assert refused.value.message_dict["acknowledged_on"] == [
        "You acknowledged this note on 2026-03-02."
    ]
    note.refresh_from_db()
    assert note.acknowledged_at == FROZEN


# --- Follow-up tasks done ---------------------------------------------------------------------


@pytest.fixture
def task(note: SupervisionNote) -> FollowUpTask:
    return factories.FollowUpTaskFactory(note=note)


def test_the_case_manager_marks_a_task_done(alice: User, task: FollowUpTask) -> None:
    services.task_done(actor=alice, task=task)
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()


def test_the_supervisor_marks_a_task_done(sam: User, task: FollowUpTask) -> None:
    services.task_done(actor=sam, task=task)
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()


def test_it_refuses_a_task_done_by_a_teammate(bob: User, task: FollowUpTask) -> None:
    with pytest.raises(PermissionDenied):
        services.task_done(actor=bob, task=task)
    task.refresh_from_db()
    assert task.done_on is None


def test_it_refuses_a_task_done_twice(alice: User, task: FollowUpTask) -> None:
    services.task_done(actor=alice, task=task)
    with pytest.raises(ValidationError) as refused:
        services.task_done(actor=alice, task=task)
    assert "done_on" in refused.value.message_dict
