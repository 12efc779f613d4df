"""/api/v1/goals/ and plan-actions/: a draft plan's goals and their objectives and interventions.
(Another team's 404 on a goal or an action is a row of tests/test_url_matrix.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog
from serviceplans.models import Goal, LifeDomain, PlanAction, ServicePlan
from tests import factories
from tests.helpers import assert_list_queries_constant, listed_ids

pytestmark = pytest.mark.django_db

GOALS_URL = reverse("goal-list")
ACTIONS_URL = reverse("plan-action-list")


def goal_url(draft_goal: Goal) -> str:
    return reverse("goal-detail", args=[draft_goal.pk])


def action_url(action: PlanAction) -> str:
    return reverse("plan-action-detail", args=[action.pk])


def goal_body(*, plan: ServicePlan, **overrides: object) -> dict[str, object]:
    return {
        "plan": plan.pk,
        "client_words": "I want my own place.",
        "life_domain": LifeDomain.HOUSING,
        "target_date": (plan.start_date + dt.timedelta(days=60)).isoformat(),
        **overrides,
    }


def action_body(*, goal: Goal, **overrides: object) -> dict[str, object]:
    return {
        "goal": goal.pk,
        "kind": PlanAction.Kind.OBJECTIVE,
        "responsible": PlanAction.Responsible.CLIENT,
        "what": "Fill in the housing application.",
        "when": "By the end of the month",
        "where": "Housing office",
        "why": "The waiting list is long.",
        "due_date": goal.target_date.isoformat(),
        **overrides,
    }


# --- Goals ------------------------------------------------------------------------------------


def test_it_lists_the_goals_of_the_own_team(api: APIClient, bob: User, draft_goal: Goal) -> None:
    api.force_login(bob)
    response = api.get(GOALS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {draft_goal.pk}


def test_it_hides_another_teams_goals(
    api: APIClient, charlie: User, draft_goal: Goal, other_plan: ServicePlan
) -> None:
    theirs = factories.GoalFactory(plan=other_plan)
    api.force_login(charlie)
    response = api.get(GOALS_URL)
    assert listed_ids(response) == {theirs.pk}


def test_it_filters_goals_by_plan(
    api: APIClient, alice: User, draft_goal: Goal, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.get(GOALS_URL, {"plan": approved_plan.pk})
    assert listed_ids(response) == {approved_plan.goals.get().pk}


def test_it_lists_goals_in_a_constant_number_of_queries(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)

    def record(count: int) -> None:
        for goal in factories.GoalFactory.create_batch(count, plan=draft_plan):
            factories.PlanActionFactory(goal=goal)

    assert_list_queries_constant(api, GOALS_URL, record)


def test_it_logs_a_denied_row_for_another_teams_goal(
    api: APIClient, charlie: User, draft_goal: Goal
) -> None:
    api.force_login(charlie)
    api.get(goal_url(draft_goal))
    assert AccessLog.objects.filter(
        user=charlie, action=AccessLog.Action.DENIED, path=goal_url(draft_goal)
    ).exists()


def test_it_adds_a_goal_to_a_draft(api: APIClient, alice: User, draft_plan: ServicePlan) -> None:
    api.force_login(alice)
    response = api.post(GOALS_URL, goal_body(plan=draft_plan), format="json")
    assert response.status_code == 201
    goal = Goal.objects.get(pk=response.json()["id"])
    assert (goal.plan, goal.client_words) == (draft_plan, "I want my own place.")


def test_it_rejects_a_goal_target_before_the_plans_start(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)
    day_before = draft_plan.start_date - dt.timedelta(days=1)
    response = api.post(
        GOALS_URL, goal_body(plan=draft_plan, target_date=day_before.isoformat()), format="json"
    )
    assert response.status_code == 400
    assert "target_date" in response.json()
    assert not Goal.objects.exists()


def test_it_rejects_a_goal_without_the_clients_words(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(GOALS_URL, goal_body(plan=draft_plan, client_words=""), format="json")
    assert response.status_code == 400
    assert "client_words" in response.json()
    assert not Goal.objects.exists()


def test_it_refuses_a_goal_on_an_active_plan(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(GOALS_URL, goal_body(plan=approved_plan), format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert approved_plan.goals.count() == 1


def test_it_rejects_a_goal_on_another_teams_plan(
    api: APIClient, alice: User, other_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(GOALS_URL, goal_body(plan=other_plan), format="json")
    assert response.status_code == 400
    assert "plan" in response.json()
    assert not Goal.objects.exists()


def test_it_forbids_a_teammate_adding_a_goal(
    api: APIClient, bob: User, draft_plan: ServicePlan
) -> None:
    api.force_login(bob)
    response = api.post(GOALS_URL, goal_body(plan=draft_plan), format="json")
    assert response.status_code == 403
    assert not Goal.objects.exists()


def test_it_changes_a_goal_on_a_draft(api: APIClient, alice: User, draft_goal: Goal) -> None:
    api.force_login(alice)
    response = api.patch(goal_url(draft_goal), {"client_words": "Go to school."}, format="json")
    assert response.status_code == 200
    draft_goal.refresh_from_db()
    assert draft_goal.client_words == "Go to school."


def test_it_refuses_to_move_a_goal_to_another_plan(
    api: APIClient, alice: User, draft_goal: Goal
) -> None:
    elsewhere = factories.ServicePlanFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice)
    )
    api.force_login(alice)
    response = api.patch(goal_url(draft_goal), {"plan": elsewhere.pk}, format="json")
    assert response.status_code == 400
    assert "plan" in response.json()
    draft_goal.refresh_from_db()
    assert draft_goal.plan_id != elsewhere.pk


def test_it_refuses_to_change_a_goal_of_an_active_plan(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    goal = approved_plan.goals.get()
    api.force_login(alice)
    response = api.patch(goal_url(goal), {"client_words": "Changed."}, format="json")
    assert response.status_code == 400
    goal.refresh_from_db()
    assert goal.client_words != "Changed."


def test_it_does_not_delete_a_goal(api: APIClient, alice: User, draft_goal: Goal) -> None:
    api.force_login(alice)
    response = api.delete(goal_url(draft_goal))
    assert response.status_code == 405
    assert Goal.objects.filter(pk=draft_goal.pk).exists()


# --- Objectives and interventions -------------------------------------------------------------


def test_it_lists_the_actions_of_the_own_team(
    api: APIClient, bob: User, draft_action: PlanAction
) -> None:
    api.force_login(bob)
    response = api.get(ACTIONS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {draft_action.pk}


def test_it_hides_another_teams_actions(
    api: APIClient, charlie: User, draft_action: PlanAction, other_plan: ServicePlan
) -> None:
    theirs = factories.PlanActionFactory(goal=factories.GoalFactory(plan=other_plan))
    api.force_login(charlie)
    response = api.get(ACTIONS_URL)
    assert listed_ids(response) == {theirs.pk}


def test_it_filters_actions_by_goal(
    api: APIClient, alice: User, draft_action: PlanAction, draft_plan: ServicePlan
) -> None:
    other = factories.PlanActionFactory(goal=factories.GoalFactory(plan=draft_plan))
    api.force_login(alice)
    response = api.get(ACTIONS_URL, {"goal": other.goal_id})
    assert listed_ids(response) == {other.pk}


def test_it_lists_actions_in_a_constant_number_of_queries(
    api: APIClient, alice: User, draft_goal: Goal
) -> None:
    api.force_login(alice)

    def record(count: int) -> None:
        factories.PlanActionFactory.create_batch(count, goal=draft_goal)

    assert_list_queries_constant(api, ACTIONS_URL, record)


def test_it_adds_an_objective_to_a_goal(api: APIClient, alice: User, draft_goal: Goal) -> None:
    api.force_login(alice)
    response = api.post(ACTIONS_URL, action_body(goal=draft_goal), format="json")
    assert response.status_code == 201
    action = PlanAction.objects.get(pk=response.json()["id"])
    assert (action.goal, action.responsible) == (draft_goal, PlanAction.Responsible.CLIENT)


def test_it_rejects_an_objective_with_no_responsible_party(
    api: APIClient, alice: User, draft_goal: Goal
) -> None:
    body = action_body(goal=draft_goal)
    del body["responsible"]
    api.force_login(alice)
    response = api.post(ACTIONS_URL, body, format="json")
    assert response.status_code == 400
    assert "responsible" in response.json()
    assert not PlanAction.objects.exists()


def test_it_rejects_an_objective_with_a_blank_responsible_party(
    api: APIClient, alice: User, draft_goal: Goal
) -> None:
    api.force_login(alice)
    response = api.post(ACTIONS_URL, action_body(goal=draft_goal, responsible=""), format="json")
    assert response.status_code == 400
    assert "responsible" in response.json()
    assert not PlanAction.objects.exists()


def test_it_rejects_a_provider_who_is_not_named(
    api: APIClient, alice: User, draft_goal: Goal
) -> None:
    api.force_login(alice)
    response = api.post(
        ACTIONS_URL,
        action_body(
            goal=draft_goal, responsible=PlanAction.Responsible.PROVIDER, responsible_name=""
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "responsible_name" in response.json()
    assert not PlanAction.objects.exists()


def test_it_rejects_an_action_on_another_teams_goal(
    api: APIClient, alice: User, other_plan: ServicePlan
) -> None:
    theirs = factories.GoalFactory(plan=other_plan)
    api.force_login(alice)
    response = api.post(ACTIONS_URL, action_body(goal=theirs), format="json")
    assert response.status_code == 400
    assert "goal" in response.json()
    assert not PlanAction.objects.exists()


def test_it_refuses_an_action_on_an_active_plan(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(ACTIONS_URL, action_body(goal=approved_plan.goals.get()), format="json")
    assert response.status_code == 400
    assert PlanAction.objects.count() == 1


def test_it_changes_an_actions_status(
    api: APIClient, alice: User, draft_action: PlanAction
) -> None:
    api.force_login(alice)
    response = api.patch(
        action_url(draft_action), {"status": PlanAction.Status.IN_PROGRESS}, format="json"
    )
    assert response.status_code == 200
    draft_action.refresh_from_db()
    assert draft_action.status == PlanAction.Status.IN_PROGRESS


def test_it_refuses_to_change_an_action_of_an_active_plan(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    action = PlanAction.objects.get(goal__plan=approved_plan)
    api.force_login(alice)
    response = api.patch(action_url(action), {"what": "Something else."}, format="json")
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.what != "Something else."


def test_it_does_not_delete_an_action(
    api: APIClient, alice: User, draft_action: PlanAction
) -> None:
    api.force_login(alice)
    response = api.delete(action_url(draft_action))
    assert response.status_code == 405
    assert PlanAction.objects.filter(pk=draft_action.pk).exists()
