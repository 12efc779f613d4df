"""Service plans: versions, goals, objectives and interventions, approval and review."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceplans import services
from serviceplans.models import Barrier, Goal, GoalProgress, PlanAction, PlanReview, ServicePlan
from tests import factories

pytestmark = pytest.mark.django_db


def _ready_plan(enrollment, **kwargs) -> ServicePlan:
    """A draft that meets every condition of approval."""
    today = timezone.localdate()
    plan = factories.ServicePlanFactory(
        enrollment=enrollment, rationale_explained_on=today, client_signed_on=today, **kwargs
    )
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


def _action_fields(**overrides) -> dict:
    fields = {
        "kind": PlanAction.Kind.INTERVENTION,
        "responsible": PlanAction.Responsible.CASE_MANAGER,
        "responsible_name": "",
        "what": "Drive to the first intake appointment.",
        "when": "Once, next Tuesday",
        "where": "Community clinic",
        "why": "Transport is the barrier to the first appointment.",
        "due_date": timezone.localdate() + dt.timedelta(days=7),
    }
    return {**fields, **overrides}


# --- Starting versions ------------------------------------------------------------------------


def test_it_starts_the_first_version_as_a_draft(alice, enrollment):
    plan = services.plan_start(actor=alice, enrollment=enrollment)
    assert (plan.version, plan.status, plan.previous, plan.author) == (1, "draft", None, alice)
    assert plan.start_date == timezone.localdate()


def test_it_copies_goals_actions_and_unresolved_barriers_into_a_new_version(alice, enrollment):
    active = factories.ServicePlanFactory(enrollment=enrollment, active=True, version=1)
    goal = factories.GoalFactory(plan=active, client_words="I want my own place.")
    factories.PlanActionFactory(goal=goal, what="Apply for the housing voucher.")
    factories.BarrierFactory(plan=active, kind=Barrier.Kind.COST)
    factories.BarrierFactory(
        plan=active, kind=Barrier.Kind.TRANSPORT, resolved_on=active.start_date
    )

    draft = services.plan_start(actor=alice, enrollment=enrollment)

    assert (draft.version, draft.previous) == (2, active)
    [copy] = draft.goals.all()
    assert (copy.client_words, copy.carried_from) == ("I want my own place.", goal)
    assert [a.what for a in copy.actions.all()] == ["Apply for the housing voucher."]
    assert [b.kind for b in draft.barriers.all()] == [Barrier.Kind.COST]


def test_it_leaves_the_active_plan_unchanged_until_the_new_version_is_approved(alice, enrollment):
    active = factories.ServicePlanFactory(enrollment=enrollment, active=True, version=1)
    goal = factories.GoalFactory(plan=active)
    draft = services.plan_start(actor=alice, enrollment=enrollment)
    services.goal_update(actor=alice, goal=draft.goals.get(), client_words="Changed in the draft.")

    active.refresh_from_db()
    goal.refresh_from_db()
    assert active.status == ServicePlan.Status.ACTIVE
    assert goal.client_words == "I want to go back to school every day."


def test_it_refuses_a_second_draft(alice, enrollment):
    services.plan_start(actor=alice, enrollment=enrollment)
    with pytest.raises(ValidationError, match="already open"):
        services.plan_start(actor=alice, enrollment=enrollment)
    assert ServicePlan.objects.count() == 1


def test_it_supersedes_the_previous_active_plan_on_approval(alice, sam, enrollment):
    active = factories.ServicePlanFactory(enrollment=enrollment, active=True, version=1)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=active))
    draft = services.plan_start(actor=alice, enrollment=enrollment)
    services.plan_update(
        actor=alice,
        plan=draft,
        rationale_explained_on=timezone.localdate(),
        client_signed_on=timezone.localdate(),
    )

    services.plan_approve(actor=sam, plan=draft)

    active.refresh_from_db()
    draft.refresh_from_db()
    assert (active.status, draft.status) == ("superseded", "active")
    assert (draft.approved_by, draft.approved_on) == (sam, timezone.localdate())


# --- Editing ----------------------------------------------------------------------------------


def test_it_refuses_to_edit_an_active_plan(alice, enrollment):
    active = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    with pytest.raises(ValidationError, match="never edited"):
        services.plan_update(actor=alice, plan=active, client_signed_on=timezone.localdate())


def test_it_refuses_a_goal_on_an_active_plan(alice, enrollment):
    active = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    with pytest.raises(ValidationError, match="never edited"):
        services.goal_add(
            actor=alice,
            plan=active,
            client_words="I want a job.",
            life_domain="education_employment",
            target_date=active.start_date + dt.timedelta(days=30),
        )
    assert not Goal.objects.exists()


def test_it_refuses_a_goal_target_before_the_plan_start(alice, enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment)
    with pytest.raises(ValidationError) as refused:
        services.goal_add(
            actor=alice,
            plan=plan,
            client_words="I want a job.",
            life_domain="education_employment",
            target_date=plan.start_date - dt.timedelta(days=1),
        )
    assert "target_date" in refused.value.message_dict
    assert not Goal.objects.exists()


def test_it_refuses_an_action_with_no_responsible_party(alice, enrollment):
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    with pytest.raises(ValidationError) as refused:
        services.action_add(actor=alice, goal=goal, **_action_fields(responsible=""))
    assert refused.value.message_dict["responsible"] == ["Say who does it."]
    assert not PlanAction.objects.exists()


def test_it_refuses_a_provider_action_without_a_name(alice, enrollment):
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    with pytest.raises(ValidationError) as refused:
        services.action_add(
            actor=alice, goal=goal, **_action_fields(responsible=PlanAction.Responsible.PROVIDER)
        )
    assert "responsible_name" in refused.value.message_dict
    assert not PlanAction.objects.exists()


def test_it_adds_a_provider_action_with_a_name(alice, enrollment):
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    action = services.action_add(
        actor=alice,
        goal=goal,
        **_action_fields(responsible="provider", responsible_name="Valley Housing Coalition"),
    )
    assert action.responsible_name == "Valley Housing Coalition"


def test_it_refuses_family_participants_of_another_client(alice, enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment)
    stranger = factories.FamilyMemberFactory()
    with pytest.raises(ValidationError):
        services.plan_update(actor=alice, plan=plan, family_participants=[stranger])
    assert not plan.family_participants.exists()


# --- Approval ---------------------------------------------------------------------------------


def test_it_refuses_approval_by_the_author(sam, enrollment):
    plan = _ready_plan(enrollment, author=sam)
    with pytest.raises(PermissionDenied, match="other than its author"):
        services.plan_approve(actor=sam, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.DRAFT


def test_it_refuses_approval_by_a_supervisor_of_another_team(other_team, enrollment):
    outsider = factories.SupervisorFactory(team=other_team)
    plan = _ready_plan(enrollment)
    with pytest.raises(PermissionDenied, match="supervisor of the client's team"):
        services.plan_approve(actor=outsider, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.DRAFT


def test_it_refuses_approval_by_a_case_manager(bob, enrollment):
    plan = _ready_plan(enrollment)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=bob, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.DRAFT


def test_it_refuses_approval_without_goals(sam, enrollment):
    today = timezone.localdate()
    plan = factories.ServicePlanFactory(
        enrollment=enrollment, rationale_explained_on=today, client_signed_on=today
    )
    with pytest.raises(ValidationError) as refused:
        services.plan_approve(actor=sam, plan=plan)
    assert refused.value.message_dict == {"goals": ["Add at least one goal."]}


def test_it_refuses_approval_with_a_goal_without_action(sam, enrollment):
    plan = _ready_plan(enrollment)
    factories.GoalFactory(plan=plan)
    with pytest.raises(ValidationError) as refused:
        services.plan_approve(actor=sam, plan=plan)
    assert refused.value.message_dict == {
        "goals": ["Every goal needs at least one objective or intervention."]
    }


def test_it_refuses_approval_without_the_rationale_date(sam, enrollment):
    plan = _ready_plan(enrollment)
    ServicePlan.objects.filter(pk=plan.pk).update(rationale_explained_on=None)
    with pytest.raises(ValidationError) as refused:
        services.plan_approve(actor=sam, plan=plan)
    assert list(refused.value.message_dict) == ["rationale_explained_on"]


def test_it_refuses_approval_without_the_client_signature(sam, enrollment):
    plan = _ready_plan(enrollment)
    ServicePlan.objects.filter(pk=plan.pk).update(client_signed_on=None)
    with pytest.raises(ValidationError) as refused:
        services.plan_approve(actor=sam, plan=plan)
    assert list(refused.value.message_dict) == ["client_signed_on"]


# --- Review -----------------------------------------------------------------------------------


def test_it_needs_progress_on_every_goal(alice, enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    first = factories.GoalFactory(plan=plan)
    factories.GoalFactory(plan=plan)
    with pytest.raises(ValidationError, match="every goal"):
        services.plan_review_record(
            actor=alice,
            plan=plan,
            reviewed_on=timezone.localdate(),
            progress={first.pk: {"rating": "good", "note": ""}},
        )
    assert not PlanReview.objects.exists()


def test_it_marks_achieved_goals_achieved(alice, enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    achieved = factories.GoalFactory(plan=plan)
    going = factories.GoalFactory(plan=plan)
    review = services.plan_review_record(
        actor=alice,
        plan=plan,
        reviewed_on=timezone.localdate(),
        progress={
            achieved.pk: {"rating": "achieved", "note": "Back at school full time."},
            going.pk: {"rating": "some", "note": ""},
        },
    )
    achieved.refresh_from_db()
    going.refresh_from_db()
    assert (achieved.status, going.status) == (Goal.Status.ACHIEVED, Goal.Status.ACTIVE)
    assert review.progress.count() == 2
    assert GoalProgress.objects.get(goal=achieved).note == "Back at school full time."


# --- History ----------------------------------------------------------------------------------


def test_it_keeps_every_change_of_a_plan_in_history(alice, sam, enrollment):
    plan = _ready_plan(enrollment)
    services.plan_approve(actor=sam, plan=plan)
    events = ServicePlan.pgh_event_model.objects.filter(pgh_obj=plan).order_by("pgh_id")  # type: ignore[attr-defined]
    assert [(e.pgh_label, e.status) for e in events] == [
        ("insert", "draft"),
        ("update", "active"),
    ]


def test_it_keeps_goal_and_action_changes_in_history(alice, enrollment):
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    action = factories.PlanActionFactory(goal=goal)
    services.goal_update(actor=alice, goal=goal, client_words="I want to finish the year.")
    services.action_update(actor=alice, action=action, status="in_progress")
    goal_events = Goal.pgh_event_model.objects.filter(pgh_obj=goal).order_by("pgh_id")  # type: ignore[attr-defined]
    action_events = PlanAction.pgh_event_model.objects.filter(pgh_obj=action).order_by("pgh_id")  # type: ignore[attr-defined]
    assert [e.client_words for e in goal_events][-1] == "I want to finish the year."
    assert [(e.pgh_label, e.status) for e in action_events] == [
        ("insert", "not_started"),
        ("update", "in_progress"),
    ]
