"""Case conferences: participants (staff, family, providers, the client, others), the goals
and objectives agreed, who performs each task, and tasks added to the service plan (CFP
bulletin 18B-08: "determine goals/objectives, activities and who will perform needed tasks").
The services; the pages are in test_views_conferences and test_views_notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from clients.models import Enrollment, FamilyMember
from referrals.models import Provider
from serviceplans.models import Goal, PlanAction, ServicePlan
from supervision import services
from supervision.models import ConferenceParticipant, FollowUpTask, SupervisionNote
from tests import factories

pytestmark = pytest.mark.django_db

CONFERENCE = SupervisionNote.Kind.CASE_CONFERENCE
Kind = ConferenceParticipant.Kind


def _conference(actor: User, enrollment: Enrollment, **fields: object) -> SupervisionNote:
    fields.setdefault("held_on", timezone.localdate())
    fields.setdefault("discussion", "Transition to outpatient therapy; the family's worries.")
    return services.note_write(actor=actor, kind=CONFERENCE, enrollment=enrollment, **fields)  # type: ignore[arg-type]


# --- Participants -----------------------------------------------------------------------------


def test_it_records_participants_of_every_kind(
    sam: User, alice: User, enrollment: Enrollment, mother: FamilyMember, provider: Provider
) -> None:
    note = _conference(
        sam,
        enrollment,
        participants=[
            {"kind": Kind.STAFF, "staff": alice, "role": "case manager"},
            {"kind": Kind.FAMILY, "family_member": mother},
            {"kind": Kind.PROVIDER, "provider": provider, "role": "therapist"},
            {"kind": Kind.CLIENT},
            {"kind": Kind.OTHER, "name": "Ms Okafor", "role": "school counselor"},
        ],
    )
    rows = list(note.participants.order_by("id"))
    assert [(p.kind, p.staff, p.family_member, p.provider, p.name) for p in rows] == [
        ("staff", alice, None, None, ""),
        ("family", None, mother, None, ""),
        ("provider", None, None, provider, ""),
        ("client", None, None, None, ""),
        ("other", None, None, None, "Ms Okafor"),
    ]


def test_it_records_the_goals_agreed_and_who_performs_each_task(
    sam: User, enrollment: Enrollment
) -> None:
    note = _conference(
        sam,
        enrollment,
        agreed_goals="Weekly therapy at Riverside; back at school three days a week.",
        tasks=[
            {
                "description": "Drive Ana to the first two appointments.",
                "due_on": timezone.localdate() + dt.timedelta(days=14),
                "responsible": PlanAction.Responsible.FAMILY_MEMBER,
                "responsible_name": "Rosa (mother)",
            }
        ],
    )
    assert note.agreed_goals.startswith("Weekly therapy")
    task = note.tasks.get()
    assert (task.responsible, task.responsible_name) == ("family_member", "Rosa (mother)")


def test_it_refuses_a_family_member_of_another_client_and_saves_nothing(
    sam: User, enrollment: Enrollment
) -> None:
    stranger = factories.FamilyMemberFactory()
    with pytest.raises(ValidationError) as refused:
        _conference(
            sam, enrollment, participants=[{"kind": Kind.FAMILY, "family_member": stranger}]
        )
    assert refused.value.message_dict["participants"] == [
        "Participant 1: choose a member of the client's family."
    ]
    assert not SupervisionNote.objects.exists()
    assert not ConferenceParticipant.objects.exists()


def test_it_refuses_an_inactive_provider(sam: User, enrollment: Enrollment) -> None:
    closed = factories.ProviderFactory(is_active=False)
    with pytest.raises(ValidationError) as refused:
        _conference(sam, enrollment, participants=[{"kind": Kind.PROVIDER, "provider": closed}])
    assert "active provider" in refused.value.message_dict["participants"][0]


def test_it_refuses_someone_else_without_a_name(sam: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _conference(sam, enrollment, participants=[{"kind": Kind.OTHER, "role": "neighbour"}])
    assert refused.value.message_dict["participants"] == ["Participant 1: give the person's name."]


def test_it_refuses_a_conference_without_a_client(sam: User, alice: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.note_write(
            actor=sam,
            kind=CONFERENCE,
            staff_supervised=alice,
            held_on=timezone.localdate(),
            discussion="Team case review.",
        )
    assert "enrollment" in refused.value.message_dict


# --- Tasks into the service plan --------------------------------------------------------------


def test_it_adds_a_task_to_a_new_draft_started_from_the_active_plan(
    sam: User,
    enrollment: Enrollment,
    active_plan: ServicePlan,
    active_goal: Goal,
    task: FollowUpTask,
) -> None:
    action = services.task_add_to_plan(actor=sam, task=task, goal=active_goal)

    draft = ServicePlan.objects.get(enrollment=enrollment, status=ServicePlan.Status.DRAFT)
    assert (draft.version, draft.previous) == (2, active_plan)
    assert action.goal.plan == draft
    assert action.goal.carried_from == active_goal
    assert (action.kind, action.what, action.due_date) == (
        PlanAction.Kind.INTERVENTION,
        "Family session on safety planning.",
        task.due_on,
    )
    assert (action.responsible, action.responsible_name) == ("provider", "Riverside Mental Health")
    assert action.why.startswith("Agreed at the case conference of ")
    task.refresh_from_db()
    assert task.plan_action == action


def test_it_leaves_the_active_plan_untouched(
    sam: User, active_goal: Goal, task: FollowUpTask
) -> None:
    services.task_add_to_plan(actor=sam, task=task, goal=active_goal)
    assert not active_goal.actions.exists()


def test_it_adds_a_task_under_a_goal_of_the_existing_draft(
    sam: User, enrollment: Enrollment, task: FollowUpTask
) -> None:
    draft = factories.ServicePlanFactory(enrollment=enrollment)
    goal = factories.GoalFactory(plan=draft)
    action = services.task_add_to_plan(actor=sam, task=task, goal=goal)
    assert action.goal == goal
    assert ServicePlan.objects.filter(enrollment=enrollment).count() == 1


def test_the_case_manager_of_the_client_adds_a_task_to_the_plan(
    alice: User, active_goal: Goal, task: FollowUpTask
) -> None:
    action = services.task_add_to_plan(actor=alice, task=task, goal=active_goal)
    assert action.pk is not None


def test_it_refuses_adding_a_task_twice(sam: User, active_goal: Goal, task: FollowUpTask) -> None:
    services.task_add_to_plan(actor=sam, task=task, goal=active_goal)
    with pytest.raises(ValidationError) as refused:
        services.task_add_to_plan(actor=sam, task=task, goal=active_goal)
    assert refused.value.messages == ["This task is already in the service plan."]
    assert PlanAction.objects.count() == 1


def test_it_refuses_a_goal_of_another_enrollment(
    sam: User, alice: User, task: FollowUpTask
) -> None:
    other = factories.EnrollmentFactory(case_manager=alice)
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=other))
    with pytest.raises(ValidationError) as refused:
        services.task_add_to_plan(actor=sam, task=task, goal=goal)
    assert "goal" in refused.value.message_dict
    assert not PlanAction.objects.exists()


def test_it_refuses_a_goal_no_longer_active(
    sam: User, enrollment: Enrollment, task: FollowUpTask
) -> None:
    draft = factories.ServicePlanFactory(enrollment=enrollment)
    goal = factories.GoalFactory(plan=draft, status=Goal.Status.ACHIEVED)
    with pytest.raises(ValidationError) as refused:
        services.task_add_to_plan(actor=sam, task=task, goal=goal)
    assert "goal" in refused.value.message_dict


def test_it_refuses_someone_who_cannot_write_the_client(
    ada: User, active_goal: Goal, task: FollowUpTask
) -> None:
    with pytest.raises(PermissionDenied):
        services.task_add_to_plan(actor=ada, task=task, goal=active_goal)
    assert not ServicePlan.objects.filter(status=ServicePlan.Status.DRAFT).exists()


def test_it_refuses_a_task_of_a_clinical_session(sam: User, alice: User, active_goal: Goal) -> None:
    note = services.note_write(
        actor=sam,
        kind=SupervisionNote.Kind.CLINICAL_SESSION,
        staff_supervised=alice,
        held_on=timezone.localdate(),
        discussion="Caseload review.",
        tasks=[{"description": "Read the TIP chapter.", "due_on": timezone.localdate()}],
    )
    with pytest.raises(ValidationError):
        services.task_add_to_plan(actor=sam, task=note.tasks.get(), goal=active_goal)
