"""The regional service-delivery plan pages: the list, starting a plan, editing its goals,
submitting it, and the administrator's decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from supervision.models import RegionalPlan, RegionalPlanGoal
from tests import factories

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
LIST_URL = reverse("supervision:regional_plan_list")
CREATE_URL = reverse("supervision:regional_plan_create")


@pytest.fixture
def plan(sam: User) -> RegionalPlan:
    return factories.RegionalPlanFactory(region=sam.team.region, prepared_by=sam)


def _url(name: str, plan: RegionalPlan) -> str:
    return reverse(f"supervision:regional_plan_{name}", args=[plan.pk])


def _goals(*rows: dict[str, Any], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "summary": "Timely assessments.",
        "goals-TOTAL_FORMS": str(len(rows)),
        "goals-INITIAL_FORMS": str(initial),
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"goals-{i}-{key}"] = value
    return data


def _row(goal: str = "Every child assessed within 30 days.", **kwargs: Any) -> dict[str, Any]:
    return {
        "goal_id": "",
        "goal": goal,
        "measure": "Share assessed on time",
        "target_on": f"{THIS_YEAR}-12-31",
        **kwargs,
    }


def _with_a_goal(plan: RegionalPlan) -> RegionalPlanGoal:
    return RegionalPlanGoal.objects.create(
        plan=plan, goal="Monthly contact.", target_on=dt.date(THIS_YEAR, 6, 30)
    )


# --- List and start ---------------------------------------------------------------------------


def test_everyone_reads_the_list(client: WebClient, charlie: User, plan: RegionalPlan) -> None:
    client.force_login(charlie)
    response = client.get(LIST_URL)
    assert list(response.context["plans"]) == [plan]
    assert response.context["can_create"] is False


def test_the_list_uses_the_same_number_of_queries_at_2_and_10_plans(
    client: WebClient, alice: User
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            made = factories.RegionalPlanFactory()
            _with_a_goal(made)

    def queries() -> int:
        client.force_login(alice)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    add(2)
    at_two = queries()
    add(8)
    assert queries() == at_two


def test_a_supervisor_starts_a_plan_and_goes_on_to_its_goals(client: WebClient, sam: User) -> None:
    client.force_login(sam)
    response = client.post(
        CREATE_URL, {"region": sam.team.region_id, "year": THIS_YEAR, "summary": "Goals."}
    )
    plan = RegionalPlan.objects.get()
    assert response.url == _url("edit", plan)
    assert (plan.region, plan.year, plan.prepared_by) == (sam.team.region, THIS_YEAR, sam)


def test_a_duplicate_plan_is_a_field_error(
    client: WebClient, sam: User, plan: RegionalPlan
) -> None:
    client.force_login(sam)
    response = client.post(CREATE_URL, {"region": sam.team.region_id, "year": THIS_YEAR})
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == [
        f"{sam.team.region} already has a service-delivery plan for {THIS_YEAR}."
    ]


def test_the_form_offers_only_the_supervisors_regions(client: WebClient, sam: User) -> None:
    factories.RegionFactory(name="Far North")
    client.force_login(sam)
    response = client.get(CREATE_URL)
    assert list(response.context["form"].fields["region"].queryset) == [sam.team.region]


# --- Edit -------------------------------------------------------------------------------------


def test_it_adds_goals_through_the_formset(
    client: WebClient, sam: User, plan: RegionalPlan
) -> None:
    client.force_login(sam)
    response = client.post(
        _url("edit", plan), _goals(_row(), _row(goal="", measure="", target_on=""))
    )
    assert response.status_code == 302
    assert list(plan.goals.values_list("goal", "target_on")) == [
        ("Every child assessed within 30 days.", dt.date(THIS_YEAR, 12, 31))
    ]


def test_it_changes_a_goal_in_place(client: WebClient, sam: User, plan: RegionalPlan) -> None:
    goal = _with_a_goal(plan)
    client.force_login(sam)
    client.post(
        _url("edit", plan), _goals(_row("Fortnightly contact.", goal_id=goal.pk), initial=1)
    )
    goal.refresh_from_db()
    assert goal.goal == "Fortnightly contact."
    assert plan.goals.count() == 1


def test_a_goal_needs_a_target_date(client: WebClient, sam: User, plan: RegionalPlan) -> None:
    client.force_login(sam)
    response = client.post(_url("edit", plan), _goals(_row(target_on="")))
    assert response.status_code == 400
    assert response.context["formset"].errors[0]["target_on"] == [
        "Give the date the goal is to be achieved by."
    ]
    assert not plan.goals.exists()


def test_a_target_before_the_year_is_refused_on_the_form(
    client: WebClient, sam: User, plan: RegionalPlan
) -> None:
    client.force_login(sam)
    response = client.post(_url("edit", plan), _goals(_row(target_on=f"{THIS_YEAR - 1}-01-01")))
    assert response.status_code == 400
    assert f"before {THIS_YEAR}" in response.content.decode()


def test_a_submitted_plan_is_not_edited(client: WebClient, sam: User, plan: RegionalPlan) -> None:
    RegionalPlan.objects.filter(pk=plan.pk).update(status=RegionalPlan.Status.SUBMITTED)
    client.force_login(sam)
    response = client.get(_url("edit", plan))
    assert response.url == _url("detail", plan)


# --- Submit and decide ------------------------------------------------------------------------


def test_a_supervisor_submits_a_plan_with_goals(
    client: WebClient, sam: User, plan: RegionalPlan
) -> None:
    _with_a_goal(plan)
    client.force_login(sam)
    response = client.post(_url("submit", plan))
    assert response.url == _url("detail", plan)
    plan.refresh_from_db()
    assert plan.status == RegionalPlan.Status.SUBMITTED


def test_a_plan_without_goals_is_not_submitted(
    client: WebClient, sam: User, plan: RegionalPlan
) -> None:
    client.force_login(sam)
    response = client.post(_url("submit", plan))
    assert response.status_code == 400
    assert "Add at least one goal before submitting the plan." in response.content.decode()


def test_an_administrator_approves_a_submitted_plan(
    client: WebClient, ada: User, plan: RegionalPlan
) -> None:
    _with_a_goal(plan)
    RegionalPlan.objects.filter(pk=plan.pk).update(status=RegionalPlan.Status.SUBMITTED)
    client.force_login(ada)
    assert client.get(_url("detail", plan)).context["can_decide"] is True
    client.post(_url("decide", plan), {"approve": "approve", "comments": ""})
    plan.refresh_from_db()
    assert (plan.status, plan.decided_by) == ("approved", ada)


def test_returning_a_plan_needs_comments_on_the_form(
    client: WebClient, ada: User, plan: RegionalPlan
) -> None:
    RegionalPlan.objects.filter(pk=plan.pk).update(status=RegionalPlan.Status.SUBMITTED)
    client.force_login(ada)
    response = client.post(_url("decide", plan), {"approve": "deny", "comments": ""})
    assert response.status_code == 400
    assert response.context["decide_form"].errors["comments"] == [
        "Say what the region should change."
    ]


def test_a_returned_plan_shows_the_comments_when_edited(
    client: WebClient, ada: User, sam: User, plan: RegionalPlan
) -> None:
    RegionalPlan.objects.filter(pk=plan.pk).update(status=RegionalPlan.Status.SUBMITTED)
    client.force_login(ada)
    client.post(_url("decide", plan), {"approve": "deny", "comments": "Add a monitoring goal."})
    client.force_login(sam)
    response = client.get(_url("edit", plan))
    assert response.status_code == 200
    assert "Add a monitoring goal." in response.content.decode()


def test_a_supervisor_may_not_decide(client: WebClient, sam: User, plan: RegionalPlan) -> None:
    RegionalPlan.objects.filter(pk=plan.pk).update(status=RegionalPlan.Status.SUBMITTED)
    client.force_login(sam)
    response = client.post(_url("decide", plan), {"approve": "approve"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == RegionalPlan.Status.SUBMITTED
