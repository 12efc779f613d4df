"""The pages of a draft plan's goals and of their objectives and interventions."""

import datetime as dt

import pytest
from django.urls import reverse

from serviceplans.models import PlanAction
from tests import factories

pytestmark = pytest.mark.django_db


def _plan_url(plan) -> str:
    return reverse("serviceplans:plan_detail", args=[plan.pk])


def _errors(response) -> str:
    return str(response.context["form"].errors)


@pytest.fixture
def plan(enrollment):
    """alice's draft, with a goal and an intervention."""
    plan = factories.ServicePlanFactory(enrollment=enrollment)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


def _goal_data(plan, **overrides) -> dict:
    return {
        "client_words": "I want to sleep through the night.",
        "life_domain": "mental_health",
        "target_date": (plan.start_date + dt.timedelta(days=60)).isoformat(),
        **overrides,
    }


def _action_data(goal, **overrides) -> dict:
    return {
        "kind": "intervention",
        "responsible": "provider",
        "responsible_name": "Dr. Okafor, Riverside Clinic",
        "what": "Medication review.",
        "when": "Monthly",
        "where": "Riverside Clinic",
        "why": "Sleep medication side effects.",
        "due_date": goal.target_date.isoformat(),
        "status": "not_started",
        **overrides,
    }


# --- Goals ------------------------------------------------------------------------------------


def test_it_adds_a_goal(client, alice, plan):
    client.force_login(alice)
    response = client.post(reverse("serviceplans:goal_add", args=[plan.pk]), _goal_data(plan))
    goal = plan.goals.get(client_words="I want to sleep through the night.")
    assert response.status_code == 302
    assert response.url == f"{_plan_url(plan)}#goal-{goal.pk}"


def test_it_refuses_a_goal_target_before_the_plan_start(client, alice, plan):
    client.force_login(alice)
    before = (plan.start_date - dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("serviceplans:goal_add", args=[plan.pk]), _goal_data(plan, target_date=before)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["target_date"] == [
        "The target date cannot be before the plan's start."
    ]
    assert plan.goals.count() == 1


def test_it_refuses_a_goal_without_the_clients_words(client, alice, plan):
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:goal_add", args=[plan.pk]), _goal_data(plan, client_words=" ")
    )
    assert response.status_code == 400
    assert "client_words" in response.context["form"].errors
    assert plan.goals.count() == 1


def test_it_edits_a_goal(client, alice, plan):
    goal = plan.goals.get()
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:goal_edit", args=[goal.pk]),
        _goal_data(plan, client_words="I want to go to school three days a week.", status="active"),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.client_words == "I want to go to school three days a week."


def test_it_answers_403_to_a_teammate_adding_a_goal(client, bob, plan):
    client.force_login(bob)
    response = client.post(reverse("serviceplans:goal_add", args=[plan.pk]), _goal_data(plan))
    assert response.status_code == 403
    assert plan.goals.count() == 1


def test_it_answers_404_to_another_team_editing_a_goal(client, charlie, plan):
    goal = plan.goals.get()
    client.force_login(charlie)
    response = client.post(
        reverse("serviceplans:goal_edit", args=[goal.pk]), _goal_data(plan, status="active")
    )
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.client_words == "I want to go back to school every day."


# --- Objectives and interventions -------------------------------------------------------------


def test_it_adds_an_intervention_to_a_goal(client, alice, plan):
    goal = plan.goals.get()
    client.force_login(alice)
    response = client.post(reverse("serviceplans:action_add", args=[goal.pk]), _action_data(goal))
    assert response.status_code == 302
    action = goal.actions.get(what="Medication review.")
    assert (action.responsible, action.responsible_name) == (
        "provider",
        "Dr. Okafor, Riverside Clinic",
    )


def test_it_refuses_a_provider_intervention_without_a_name(client, alice, plan):
    goal = plan.goals.get()
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:action_add", args=[goal.pk]),
        _action_data(goal, responsible_name=""),
    )
    assert response.status_code == 400
    assert "Name the family member, provider or person" in _errors(response)
    assert goal.actions.count() == 1


def test_it_refuses_an_intervention_with_no_one_responsible(client, alice, plan):
    goal = plan.goals.get()
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:action_add", args=[goal.pk]), _action_data(goal, responsible="")
    )
    assert response.status_code == 400
    assert "responsible" in response.context["form"].errors
    assert goal.actions.count() == 1


def test_it_edits_an_intervention(client, alice, plan):
    action = PlanAction.objects.get(goal__plan=plan)
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:action_edit", args=[action.pk]),
        _action_data(action.goal, status="in_progress"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_it_answers_403_to_a_teammate_editing_an_intervention(client, bob, plan):
    action = PlanAction.objects.get(goal__plan=plan)
    client.force_login(bob)
    response = client.post(
        reverse("serviceplans:action_edit", args=[action.pk]),
        _action_data(action.goal, status="done"),
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "not_started"
