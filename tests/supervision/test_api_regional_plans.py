"""/api/v1/regional-plans/: everyone reads; a supervisor of the region creates, changes and
submits; administrators decide."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from supervision.models import RegionalPlan, RegionalPlanGoal
from tests import factories
from tests.helpers import listed_ids

pytestmark = pytest.mark.django_db

PLANS_URL = reverse("regional-plan-list")
THIS_YEAR = timezone.localdate().year


def _url(plan: RegionalPlan, action: str = "detail") -> str:
    return reverse(f"regional-plan-{action}", args=[plan.pk])


def _goal(words: str = "Every child assessed within 30 days.", **kwargs: Any) -> dict[str, Any]:
    return {"goal": words, "measure": "Share on time", "target_on": f"{THIS_YEAR}-12-31", **kwargs}


@pytest.fixture
def plan(sam: User) -> RegionalPlan:
    return factories.RegionalPlanFactory(region=sam.team.region, prepared_by=sam)


def test_everyone_lists_the_plans(api: APIClient, charlie: User, plan: RegionalPlan) -> None:
    api.force_authenticate(charlie)
    assert listed_ids(api.get(PLANS_URL)) == {plan.pk}


def test_a_supervisor_creates_a_plan_with_goals(api: APIClient, sam: User) -> None:
    api.force_authenticate(sam)
    response = api.post(
        PLANS_URL,
        {"region": sam.team.region_id, "year": THIS_YEAR, "goals": [_goal()]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], len(body["goals"])) == ("draft", 1)


def test_a_duplicate_plan_is_a_400_on_the_year(
    api: APIClient, sam: User, plan: RegionalPlan
) -> None:
    api.force_authenticate(sam)
    response = api.post(PLANS_URL, {"region": sam.team.region_id, "year": plan.year}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_a_bad_goal_leaves_no_plan_behind(api: APIClient, sam: User) -> None:
    api.force_authenticate(sam)
    response = api.post(
        PLANS_URL,
        {"region": sam.team.region_id, "year": THIS_YEAR, "goals": [_goal("  ")]},
        format="json",
    )
    assert response.status_code == 400
    assert not RegionalPlan.objects.exists()


def test_a_case_manager_gets_403_creating(api: APIClient, alice: User) -> None:
    api.force_authenticate(alice)
    response = api.post(
        PLANS_URL, {"region": alice.team.region_id, "year": THIS_YEAR}, format="json"
    )
    assert response.status_code == 403


def test_a_supervisor_changes_the_goals(api: APIClient, sam: User, plan: RegionalPlan) -> None:
    goal = RegionalPlanGoal.objects.create(plan=plan, goal="Old.", target_on=f"{THIS_YEAR}-06-30")
    api.force_authenticate(sam)
    response = api.patch(
        _url(plan), {"goals": [_goal("New words.", id=goal.pk), _goal("Another.")]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert sorted(plan.goals.values_list("goal", flat=True)) == ["Another.", "New words."]


def test_a_plan_stays_with_its_year(api: APIClient, sam: User, plan: RegionalPlan) -> None:
    api.force_authenticate(sam)
    response = api.patch(_url(plan), {"year": plan.year + 1}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_submit_and_approve(api: APIClient, sam: User, ada: User, plan: RegionalPlan) -> None:
    RegionalPlanGoal.objects.create(plan=plan, goal="Goal.", target_on=f"{THIS_YEAR}-06-30")
    api.force_authenticate(sam)
    assert api.post(_url(plan, "submit")).json()["status"] == "submitted"
    api.force_authenticate(ada)
    response = api.post(_url(plan, "decide"), {"approve": True}, format="json")
    assert response.json()["status"] == "approved"


def test_returning_without_comments_is_a_400(api: APIClient, ada: User, plan: RegionalPlan) -> None:
    RegionalPlan.objects.filter(pk=plan.pk).update(status=RegionalPlan.Status.SUBMITTED)
    api.force_authenticate(ada)
    response = api.post(_url(plan, "decide"), {"approve": False}, format="json")
    assert response.status_code == 400
    assert response.json() == {"comments": ["Say what the region should change."]}


def test_a_supervisor_gets_403_deciding(api: APIClient, sam: User, plan: RegionalPlan) -> None:
    RegionalPlan.objects.filter(pk=plan.pk).update(status=RegionalPlan.Status.SUBMITTED)
    api.force_authenticate(sam)
    assert api.post(_url(plan, "decide"), {"approve": True}, format="json").status_code == 403
