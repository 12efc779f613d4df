"""/api/v1/plans/: versioned plans, their drafts, approval and reviews. (Another team's 404 on
a plan is a row of tests/test_url_matrix.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Team, User
from clients.models import AccessLog, Enrollment
from serviceplans.models import Barrier, Goal, GoalProgress, PlanAction, PlanReview, ServicePlan
from tests import factories
from tests.helpers import assert_list_queries_constant, listed_ids, today

pytestmark = pytest.mark.django_db

PLANS_URL = reverse("plan-list")


def plan_url(plan: ServicePlan) -> str:
    return reverse("plan-detail", args=[plan.pk])


def approve_url(plan: ServicePlan) -> str:
    return reverse("plan-approve", args=[plan.pk])


def reviews_url(plan: ServicePlan) -> str:
    return reverse("plan-reviews", args=[plan.pk])


@pytest.fixture
def draft(enrollment: Enrollment) -> ServicePlan:
    """alice's draft plan, starting on the application date."""
    return factories.ServicePlanFactory(enrollment=enrollment)


@pytest.fixture
def goal(draft: ServicePlan) -> Goal:
    return factories.GoalFactory(plan=draft)


@pytest.fixture
def plan_action(goal: Goal) -> PlanAction:
    return factories.PlanActionFactory(goal=goal)


@pytest.fixture
def barrier(draft: ServicePlan) -> Barrier:
    return factories.BarrierFactory(plan=draft)


@pytest.fixture
def ready(draft: ServicePlan, plan_action: PlanAction) -> ServicePlan:
    """alice's draft with a goal and an intervention, explained to and signed by the client:
    ready for a supervisor's approval."""
    draft.rationale_explained_on = draft.start_date
    draft.client_signed_on = draft.start_date
    draft.save()
    return draft


@pytest.fixture
def active(enrollment: Enrollment) -> ServicePlan:
    """The enrollment's approved plan, with a goal and an intervention."""
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


@pytest.fixture
def other_plan(other_enrollment: Enrollment) -> ServicePlan:
    return factories.ServicePlanFactory(enrollment=other_enrollment)


# --- Plans: list and retrieve -----------------------------------------------------------------


def test_it_lists_the_plans_of_the_own_team(api: APIClient, bob: User, draft: ServicePlan) -> None:
    api.force_login(bob)
    response = api.get(PLANS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {draft.pk}


def test_it_hides_another_teams_plans(
    api: APIClient, charlie: User, draft: ServicePlan, other_plan: ServicePlan
) -> None:
    api.force_login(charlie)
    response = api.get(PLANS_URL)
    assert listed_ids(response) == {other_plan.pk}


def test_it_lists_every_plan_for_a_qa_reviewer(
    api: APIClient, quinn: User, draft: ServicePlan, other_plan: ServicePlan
) -> None:
    api.force_login(quinn)
    response = api.get(PLANS_URL)
    assert listed_ids(response) == {draft.pk, other_plan.pk}


def test_it_filters_plans_by_enrollment(api: APIClient, alice: User, draft: ServicePlan) -> None:
    elsewhere = factories.ServicePlanFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice)
    )
    api.force_login(alice)
    response = api.get(PLANS_URL, {"enrollment": elsewhere.enrollment_id})
    assert listed_ids(response) == {elsewhere.pk}


def test_it_filters_plans_by_status(
    api: APIClient, alice: User, draft: ServicePlan, active: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.get(PLANS_URL, {"status": ServicePlan.Status.ACTIVE})
    assert listed_ids(response) == {active.pk}


def test_it_lists_plans_in_a_constant_number_of_queries(api: APIClient, alice: User) -> None:
    api.force_login(alice)

    def record(count: int) -> None:
        for _ in range(count):
            enrollment = factories.EnrollmentFactory(case_manager=alice)
            plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
            plan.family_participants.add(factories.FamilyMemberFactory(client=enrollment.client))
            goal = factories.GoalFactory(plan=plan)
            factories.PlanActionFactory(goal=goal)
            factories.BarrierFactory(plan=plan)
            review = PlanReview.objects.create(plan=plan, reviewer=alice, reviewed_on=today())
            GoalProgress.objects.create(review=review, goal=goal, rating="some")

    assert_list_queries_constant(api, PLANS_URL, record)


def test_it_retrieves_a_plan_with_its_goals_and_their_actions(
    api: APIClient, alice: User, draft: ServicePlan, plan_action: PlanAction
) -> None:
    api.force_login(alice)
    response = api.get(plan_url(draft))
    assert response.status_code == 200
    [goal] = response.json()["goals"]
    assert [row["id"] for row in goal["actions"]] == [plan_action.pk]


def test_it_retrieves_a_plan_with_its_barriers(
    api: APIClient, alice: User, draft: ServicePlan, barrier: Barrier
) -> None:
    api.force_login(alice)
    response = api.get(plan_url(draft))
    assert [row["id"] for row in response.json()["barriers"]] == [barrier.pk]


def test_it_retrieves_a_plan_with_the_family_who_took_part(
    api: APIClient, alice: User, draft: ServicePlan
) -> None:
    mother = factories.FamilyMemberFactory(client=draft.enrollment.client, first_name="Rosa")
    draft.family_participants.add(mother)
    api.force_login(alice)
    response = api.get(plan_url(draft))
    assert [row["first_name"] for row in response.json()["family_participants"]] == ["Rosa"]


def test_it_retrieves_a_plan_with_its_reviews_and_progress(
    api: APIClient, alice: User, active: ServicePlan
) -> None:
    goal = active.goals.get()
    review = PlanReview.objects.create(plan=active, reviewer=alice, reviewed_on=today())
    GoalProgress.objects.create(review=review, goal=goal, rating="good")
    api.force_login(alice)
    response = api.get(plan_url(active))
    [row] = response.json()["reviews"]
    assert row["progress"] == [{"goal": goal.pk, "rating": "good", "note": ""}]


def test_it_shows_when_the_active_plan_is_due_for_review(
    api: APIClient, alice: User, active: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.get(plan_url(active))
    interval = active.enrollment.program.plan_review_interval_days
    due = active.approved_on + dt.timedelta(days=interval)
    assert response.json()["review_due_on"] == due.isoformat()


def test_it_shows_no_review_date_on_a_draft(
    api: APIClient, alice: User, draft: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.get(plan_url(draft))
    assert response.json()["review_due_on"] is None


def test_it_logs_a_denied_row_for_another_teams_plan(
    api: APIClient, charlie: User, draft: ServicePlan
) -> None:
    api.force_login(charlie)
    api.get(plan_url(draft))
    assert AccessLog.objects.filter(
        user=charlie, action=AccessLog.Action.DENIED, path=plan_url(draft)
    ).exists()


def test_it_does_not_delete_a_plan(api: APIClient, alice: User, draft: ServicePlan) -> None:
    api.force_login(alice)
    response = api.delete(plan_url(draft))
    assert response.status_code == 405
    assert ServicePlan.objects.filter(pk=draft.pk).exists()


# --- Plans: start, edit the draft -------------------------------------------------------------


def test_it_starts_a_first_plan(api: APIClient, alice: User, enrollment: Enrollment) -> None:
    api.force_login(alice)
    response = api.post(PLANS_URL, {"enrollment": enrollment.pk}, format="json")
    assert response.status_code == 201
    plan = ServicePlan.objects.get(pk=response.json()["id"])
    assert (plan.version, plan.status, plan.start_date) == (1, ServicePlan.Status.DRAFT, today())


def test_it_starts_a_plan_on_a_given_date(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        PLANS_URL,
        {"enrollment": enrollment.pk, "start_date": enrollment.application_date},
        format="json",
    )
    assert response.json()["start_date"] == enrollment.application_date.isoformat()


def test_it_starts_a_new_version_from_the_active_plan(
    api: APIClient, alice: User, active: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(PLANS_URL, {"enrollment": active.enrollment_id}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["previous"], body["version"]) == (active.pk, active.version + 1)
    assert [goal["carried_from"] for goal in body["goals"]] == [active.goals.get().pk]


def test_it_refuses_a_second_draft_plan(api: APIClient, alice: User, draft: ServicePlan) -> None:
    api.force_login(alice)
    response = api.post(PLANS_URL, {"enrollment": draft.enrollment_id}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert ServicePlan.objects.count() == 1


def test_it_rejects_a_plan_for_another_teams_enrollment(
    api: APIClient, alice: User, other_enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(PLANS_URL, {"enrollment": other_enrollment.pk}, format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert not ServicePlan.objects.exists()


def test_it_forbids_a_teammate_starting_a_plan(
    api: APIClient, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(bob)
    response = api.post(PLANS_URL, {"enrollment": enrollment.pk}, format="json")
    assert response.status_code == 403
    assert not ServicePlan.objects.exists()


def test_it_records_the_rationale_and_signature_dates_on_a_draft(
    api: APIClient, alice: User, draft: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.patch(
        plan_url(draft),
        {"rationale_explained_on": today(), "client_signed_on": today()},
        format="json",
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.rationale_explained_on, draft.client_signed_on) == (today(), today())


def test_it_records_the_family_who_took_part(
    api: APIClient, alice: User, draft: ServicePlan
) -> None:
    mother = factories.FamilyMemberFactory(client=draft.enrollment.client)
    api.force_login(alice)
    response = api.patch(plan_url(draft), {"family_participants": [mother.pk]}, format="json")
    assert response.status_code == 200
    assert list(draft.family_participants.all()) == [mother]


def test_it_rejects_a_participant_from_another_clients_family(
    api: APIClient, alice: User, draft: ServicePlan
) -> None:
    stranger = factories.FamilyMemberFactory(
        client=factories.EnrollmentFactory(case_manager=alice).client
    )
    api.force_login(alice)
    response = api.patch(
        plan_url(draft),
        {"family_participants": [stranger.pk], "rationale_explained_on": today()},
        format="json",
    )
    assert response.status_code == 400
    assert "family_participants" in response.json()
    draft.refresh_from_db()
    assert (draft.rationale_explained_on, list(draft.family_participants.all())) == (None, [])


def test_it_rejects_a_signature_date_in_the_future(
    api: APIClient, alice: User, draft: ServicePlan
) -> None:
    api.force_login(alice)
    tomorrow = today() + dt.timedelta(days=1)
    response = api.patch(plan_url(draft), {"client_signed_on": tomorrow}, format="json")
    assert response.status_code == 400
    assert "client_signed_on" in response.json()
    draft.refresh_from_db()
    assert draft.client_signed_on is None


def test_it_rejects_a_start_date_after_a_goals_target(
    api: APIClient, alice: User, draft: ServicePlan, goal: Goal
) -> None:
    api.force_login(alice)
    later = goal.target_date + dt.timedelta(days=1)
    response = api.patch(plan_url(draft), {"start_date": later}, format="json")
    assert response.status_code == 400
    assert "start_date" in response.json()
    draft.refresh_from_db()
    assert draft.start_date < later


def test_it_refuses_to_edit_an_active_plan(
    api: APIClient, alice: User, active: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.patch(plan_url(active), {"client_participated": False}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    active.refresh_from_db()
    assert active.client_participated


def test_it_forbids_a_teammate_editing_a_plan(
    api: APIClient, bob: User, draft: ServicePlan
) -> None:
    api.force_login(bob)
    response = api.patch(plan_url(draft), {"client_participated": False}, format="json")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.client_participated


def test_it_answers_404_to_an_edit_of_another_teams_plan(
    api: APIClient, charlie: User, draft: ServicePlan
) -> None:
    api.force_login(charlie)
    response = api.patch(plan_url(draft), {"client_participated": False}, format="json")
    assert response.status_code == 404


# --- Plans: approval --------------------------------------------------------------------------


def test_it_lets_the_supervisor_approve_a_ready_plan(
    api: APIClient, sam: User, ready: ServicePlan
) -> None:
    api.force_login(sam)
    response = api.post(approve_url(ready), {}, format="json")
    assert response.status_code == 200
    ready.refresh_from_db()
    assert (ready.status, ready.approved_by, ready.approved_on) == (
        ServicePlan.Status.ACTIVE,
        sam,
        today(),
    )


def test_it_answers_an_approval_with_the_review_date(
    api: APIClient, sam: User, ready: ServicePlan
) -> None:
    api.force_login(sam)
    response = api.post(approve_url(ready), {}, format="json")
    interval = ready.enrollment.program.plan_review_interval_days
    assert response.json()["review_due_on"] == (today() + dt.timedelta(days=interval)).isoformat()


def test_it_supersedes_the_active_plan_on_approval(
    api: APIClient, sam: User, active: ServicePlan, ready: ServicePlan
) -> None:
    api.force_login(sam)
    api.post(approve_url(ready), {}, format="json")
    active.refresh_from_db()
    assert active.status == ServicePlan.Status.SUPERSEDED


def test_it_forbids_the_case_manager_approving_a_plan(
    api: APIClient, alice: User, ready: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(approve_url(ready), {}, format="json")
    assert response.status_code == 403
    ready.refresh_from_db()
    assert ready.status == ServicePlan.Status.DRAFT


def test_it_forbids_the_author_approving_their_own_plan(
    api: APIClient, sam: User, enrollment: Enrollment
) -> None:
    plan = factories.ServicePlanFactory(
        enrollment=enrollment,
        author=sam,
        rationale_explained_on=enrollment.application_date,
        client_signed_on=enrollment.application_date,
    )
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    api.force_login(sam)
    response = api.post(approve_url(plan), {}, format="json")
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.DRAFT


def test_it_hides_a_plan_from_a_supervisor_of_another_team(
    api: APIClient, other_team: Team, ready: ServicePlan
) -> None:
    # Another team's supervisor cannot see the plan at all, so the approval answers 404
    # (like any id outside one's scope) rather than 403.
    api.force_login(factories.SupervisorFactory(team=other_team))
    response = api.post(approve_url(ready), {}, format="json")
    assert response.status_code == 404
    ready.refresh_from_db()
    assert ready.status == ServicePlan.Status.DRAFT


def test_it_refuses_to_approve_a_goal_without_an_intervention(
    api: APIClient, sam: User, ready: ServicePlan
) -> None:
    factories.GoalFactory(plan=ready)
    api.force_login(sam)
    response = api.post(approve_url(ready), {}, format="json")
    assert response.status_code == 400
    assert "goals" in response.json()
    ready.refresh_from_db()
    assert ready.status == ServicePlan.Status.DRAFT


def test_it_refuses_to_approve_before_the_rationale_is_explained(
    api: APIClient, sam: User, ready: ServicePlan
) -> None:
    ServicePlan.objects.filter(pk=ready.pk).update(rationale_explained_on=None)
    api.force_login(sam)
    response = api.post(approve_url(ready), {}, format="json")
    assert response.status_code == 400
    assert "rationale_explained_on" in response.json()


def test_it_refuses_an_approval_dated_in_the_future(
    api: APIClient, sam: User, ready: ServicePlan
) -> None:
    api.force_login(sam)
    tomorrow = today() + dt.timedelta(days=1)
    response = api.post(approve_url(ready), {"approved_on": tomorrow}, format="json")
    assert response.status_code == 400
    assert "approved_on" in response.json()


# --- Plans: reviews ---------------------------------------------------------------------------


def test_it_records_a_review_with_progress_on_every_goal(
    api: APIClient, alice: User, active: ServicePlan
) -> None:
    second = factories.GoalFactory(plan=active)
    first = active.goals.exclude(pk=second.pk).get()
    api.force_login(alice)
    response = api.post(
        reviews_url(active),
        {
            "reviewed_on": today(),
            "summary": "Steady progress.",
            "progress": [
                {"goal": first.pk, "rating": "good", "note": "Three days a week now."},
                {"goal": second.pk, "rating": "none"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201
    review = PlanReview.objects.get(pk=response.json()["id"])
    assert sorted(review.progress.values_list("goal_id", "rating")) == sorted(
        [(first.pk, "good"), (second.pk, "none")]
    )


def test_it_marks_a_goal_achieved_in_a_review(
    api: APIClient, alice: User, active: ServicePlan
) -> None:
    goal = active.goals.get()
    api.force_login(alice)
    api.post(
        reviews_url(active),
        {"reviewed_on": today(), "progress": [{"goal": goal.pk, "rating": "achieved"}]},
        format="json",
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED


def test_it_refuses_a_review_missing_a_goal(
    api: APIClient, alice: User, active: ServicePlan
) -> None:
    factories.GoalFactory(plan=active)
    api.force_login(alice)
    response = api.post(
        reviews_url(active),
        {"reviewed_on": today(), "progress": [{"goal": active.goals.first().pk, "rating": "some"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "progress" in response.json()
    assert not PlanReview.objects.exists()


def test_it_rejects_another_teams_goal_in_a_review(
    api: APIClient, alice: User, active: ServicePlan, other_plan: ServicePlan
) -> None:
    theirs = factories.GoalFactory(plan=other_plan)
    api.force_login(alice)
    response = api.post(
        reviews_url(active),
        {"reviewed_on": today(), "progress": [{"goal": theirs.pk, "rating": "some"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "progress" in response.json()
    assert not PlanReview.objects.exists()


def test_it_refuses_a_review_of_a_draft(
    api: APIClient, alice: User, draft: ServicePlan, goal: Goal
) -> None:
    api.force_login(alice)
    response = api.post(
        reviews_url(draft),
        {"reviewed_on": today(), "progress": [{"goal": goal.pk, "rating": "some"}]},
        format="json",
    )
    assert response.status_code == 400
    assert not PlanReview.objects.exists()


def test_it_refuses_a_review_dated_in_the_future(
    api: APIClient, alice: User, active: ServicePlan
) -> None:
    goal = active.goals.get()
    api.force_login(alice)
    response = api.post(
        reviews_url(active),
        {
            "reviewed_on": today() + dt.timedelta(days=1),
            "progress": [{"goal": goal.pk, "rating": "some"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "reviewed_on" in response.json()
    assert not PlanReview.objects.exists()


# --- Schema -----------------------------------------------------------------------------------


def test_it_publishes_the_plan_endpoints_in_the_schema(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert {
        "/api/v1/plans/",
        "/api/v1/plans/{id}/",
        "/api/v1/plans/{id}/approve/",
        "/api/v1/plans/{id}/reviews/",
        "/api/v1/goals/{id}/",
        "/api/v1/plan-actions/{id}/",
        "/api/v1/barriers/{id}/",
    } <= set(paths)


def test_it_logs_the_client_of_a_plan_reached_out_of_scope(api, charlie, enrollment) -> None:
    plan = factories.ServicePlanFactory(enrollment=enrollment)
    api.force_login(charlie)
    api.get(reverse("plan-detail", args=[plan.pk]))
    row = AccessLog.objects.get(action=AccessLog.Action.DENIED)
    assert row.client_id == enrollment.client_id
