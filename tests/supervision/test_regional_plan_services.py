"""Regional service-delivery plans (Idaho CMH clinical case management standard 12): started
by a supervisor of the region, goals with a timeline, submitted, approved or returned with
comments, and revised after a return."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Region, User
from supervision import services
from supervision.models import RegionalPlan, RegionalPlanGoal
from supervision.services import RegionalGoalInput
from tests import factories

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def region(sam: User) -> Region:
    return sam.team.region


@pytest.fixture
def plan(sam: User, region: Region) -> RegionalPlan:
    return services.regional_plan_create(actor=sam, region=region, year=THIS_YEAR)


def _goal(
    words: str = "Every child assessed within 30 days.", **kwargs: object
) -> RegionalGoalInput:
    fields: dict = {
        "goal": words,
        "measure": "Share on time",
        "target_on": dt.date(THIS_YEAR, 12, 31),
    }
    fields.update(kwargs)
    return RegionalGoalInput(**fields)


def _submitted(sam: User, plan: RegionalPlan) -> RegionalPlan:
    services.regional_plan_update(actor=sam, plan=plan, summary="", goals=[_goal()])
    return services.regional_plan_submit(actor=sam, plan=plan)


# --- Starting ---------------------------------------------------------------------------------


def test_a_supervisor_starts_the_regions_plan(sam: User, plan: RegionalPlan) -> None:
    assert (plan.status, plan.prepared_by, plan.year) == ("draft", sam, THIS_YEAR)


def test_it_refuses_a_second_plan_for_the_region_and_year(
    sam: User, region: Region, plan: RegionalPlan
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.regional_plan_create(actor=sam, region=region, year=THIS_YEAR)
    assert excinfo.value.message_dict == {
        "year": [f"{region} already has a service-delivery plan for {THIS_YEAR}."]
    }


def test_it_allows_the_next_years_plan(sam: User, region: Region, plan: RegionalPlan) -> None:
    assert services.regional_plan_create(actor=sam, region=region, year=THIS_YEAR + 1).pk


def test_it_refuses_a_year_far_away(sam: User, region: Region) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.regional_plan_create(actor=sam, region=region, year=1999)
    assert "year" in excinfo.value.message_dict


def test_it_refuses_a_region_the_supervisor_has_no_team_in(sam: User) -> None:
    elsewhere = factories.RegionFactory(name="Far North")
    with pytest.raises(ValidationError) as excinfo:
        services.regional_plan_create(actor=sam, region=elsewhere, year=THIS_YEAR)
    assert excinfo.value.message_dict == {"region": ["You supervise no team in this region."]}


@pytest.mark.parametrize("who", ["alice", "ada", "quinn"])
def test_only_a_supervisor_starts_a_plan(
    request: pytest.FixtureRequest, who: str, region: Region
) -> None:
    with pytest.raises(PermissionDenied):
        services.regional_plan_create(
            actor=request.getfixturevalue(who), region=region, year=THIS_YEAR
        )


# --- Goals ------------------------------------------------------------------------------------


def test_it_adds_goals_with_their_timeline(sam: User, plan: RegionalPlan) -> None:
    services.regional_plan_update(
        actor=sam,
        plan=plan,
        summary="Timely assessments and monitoring.",
        goals=[
            _goal(),
            _goal("Monthly contact for every child.", target_on=dt.date(THIS_YEAR, 6, 30)),
        ],
    )
    plan.refresh_from_db()
    assert plan.summary == "Timely assessments and monitoring."
    assert [(g.goal, g.target_on) for g in plan.goals.all()] == [
        ("Monthly contact for every child.", dt.date(THIS_YEAR, 6, 30)),
        ("Every child assessed within 30 days.", dt.date(THIS_YEAR, 12, 31)),
    ]


def test_it_changes_an_existing_goal(sam: User, plan: RegionalPlan) -> None:
    services.regional_plan_update(actor=sam, plan=plan, summary="", goals=[_goal()])
    goal = plan.goals.get()
    services.regional_plan_update(
        actor=sam, plan=plan, summary="", goals=[_goal("Reworded.", goal_id=goal.pk)]
    )
    assert list(plan.goals.values_list("goal", flat=True)) == ["Reworded."]


def test_it_refuses_a_goal_of_another_plan(sam: User, region: Region, plan: RegionalPlan) -> None:
    other = factories.RegionalPlanFactory(region=region, year=THIS_YEAR - 1, prepared_by=sam)
    foreign = RegionalPlanGoal.objects.create(
        plan=other, goal="Theirs.", target_on=dt.date(THIS_YEAR, 1, 31)
    )
    with pytest.raises(ValidationError):
        services.regional_plan_update(
            actor=sam, plan=plan, summary="", goals=[_goal(goal_id=foreign.pk)]
        )
    foreign.refresh_from_db()
    assert foreign.goal == "Theirs."


def test_it_refuses_a_goal_without_words(sam: User, plan: RegionalPlan) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.regional_plan_update(actor=sam, plan=plan, summary="", goals=[_goal("  ")])
    assert excinfo.value.message_dict == {"goals": ["Goal 1: say what the goal is."]}


def test_it_refuses_a_target_before_the_plans_year(sam: User, plan: RegionalPlan) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.regional_plan_update(
            actor=sam, plan=plan, summary="", goals=[_goal(target_on=dt.date(THIS_YEAR - 1, 12, 1))]
        )
    assert "goals" in excinfo.value.message_dict
    assert not plan.goals.exists()


def test_a_case_manager_may_not_change_the_plan(alice: User, plan: RegionalPlan) -> None:
    with pytest.raises(PermissionDenied):
        services.regional_plan_update(actor=alice, plan=plan, summary="", goals=[_goal()])


def test_a_supervisor_of_another_region_may_not_change_it(plan: RegionalPlan) -> None:
    other = factories.SupervisorFactory()
    with pytest.raises(PermissionDenied):
        services.regional_plan_update(actor=other, plan=plan, summary="", goals=[_goal()])


def test_a_submitted_plan_is_not_changed(sam: User, plan: RegionalPlan) -> None:
    _submitted(sam, plan)
    with pytest.raises(ValidationError):
        services.regional_plan_update(actor=sam, plan=plan, summary="Later.", goals=[])
    plan.refresh_from_db()
    assert plan.summary == ""


# --- Submitting and deciding ------------------------------------------------------------------


def test_it_submits_a_plan_with_goals(sam: User, plan: RegionalPlan) -> None:
    submitted = _submitted(sam, plan)
    assert submitted.status == RegionalPlan.Status.SUBMITTED
    assert submitted.submitted_at is not None


def test_it_refuses_to_submit_a_plan_without_goals(sam: User, plan: RegionalPlan) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.regional_plan_submit(actor=sam, plan=plan)
    assert excinfo.value.message_dict == {
        "goals": ["Add at least one goal before submitting the plan."]
    }


def test_it_refuses_to_submit_twice(sam: User, plan: RegionalPlan) -> None:
    _submitted(sam, plan)
    with pytest.raises(ValidationError):
        services.regional_plan_submit(actor=sam, plan=plan)


def test_an_administrator_approves_a_submitted_plan(
    sam: User, ada: User, plan: RegionalPlan
) -> None:
    _submitted(sam, plan)
    approved = services.regional_plan_decide(actor=ada, plan=plan, approve=True)
    assert (approved.status, approved.decided_by) == ("approved", ada)
    assert approved.decided_at is not None


def test_returning_a_plan_needs_comments(sam: User, ada: User, plan: RegionalPlan) -> None:
    _submitted(sam, plan)
    with pytest.raises(ValidationError) as excinfo:
        services.regional_plan_decide(actor=ada, plan=plan, approve=False, comments="")
    assert excinfo.value.message_dict == {"comments": ["Say what the region should change."]}


def test_a_returned_plan_is_revised_and_submitted_again(
    sam: User, ada: User, plan: RegionalPlan
) -> None:
    _submitted(sam, plan)
    services.regional_plan_decide(
        actor=ada, plan=plan, approve=False, comments="Add a monitoring goal."
    )
    services.regional_plan_update(
        actor=sam, plan=plan, summary="Revised.", goals=[_goal("Monthly contact.")]
    )
    assert services.regional_plan_submit(actor=sam, plan=plan).status == "submitted"
    assert plan.goals.count() == 2


def test_only_a_submitted_plan_is_decided(ada: User, plan: RegionalPlan) -> None:
    with pytest.raises(ValidationError):
        services.regional_plan_decide(actor=ada, plan=plan, approve=True)


@pytest.mark.parametrize("who", ["sam", "alice", "quinn"])
def test_only_an_administrator_decides_a_plan(
    request: pytest.FixtureRequest, who: str, sam: User, plan: RegionalPlan
) -> None:
    _submitted(sam, plan)
    with pytest.raises(PermissionDenied):
        services.regional_plan_decide(actor=request.getfixturevalue(who), plan=plan, approve=True)
    plan.refresh_from_db()
    assert plan.status == RegionalPlan.Status.SUBMITTED
