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
def barrier(draft_plan: ServicePlan) -> Barrier:
    return factories.BarrierFactory(plan=draft_plan)


@pytest.fixture
def ready(draft_plan: ServicePlan, draft_action: PlanAction) -> ServicePlan:
    """alice's draft with a goal and an intervention, explained to and signed by the client:
    ready for a supervisor's approval."""
    draft_plan.rationale_explained_on = draft_plan.start_date
    draft_plan.client_signed_on = draft_plan.start_date
    draft_plan.save()
    return draft_plan


# --- Plans: list and retrieve -----------------------------------------------------------------


def test_it_lists_the_plans_of_the_own_team(
    api: APIClient, bob: User, draft_plan: ServicePlan
) -> None:
    api.force_login(bob)
    response = api.get(PLANS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {draft_plan.pk}


def test_it_hides_another_teams_plans(
    api: APIClient, charlie: User, draft_plan: ServicePlan, other_plan: ServicePlan
) -> None:
    api.force_login(charlie)
    response = api.get(PLANS_URL)
    assert listed_ids(response) == {other_plan.pk}


def test_it_lists_every_plan_for_a_qa_reviewer(
    api: APIClient, quinn: User, draft_plan: ServicePlan, other_plan: ServicePlan
) -> None:
    api.force_login(quinn)
    response = api.get(PLANS_URL)
    assert listed_ids(response) == {draft_plan.pk, other_plan.pk}


def test_it_filters_plans_by_enrollment(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    elsewhere = factories.ServicePlanFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice)
    )
    api.force_login(alice)
    response = api.get(PLANS_URL, {"enrollment": elsewhere.enrollment_id})
    assert listed_ids(response) == {elsewhere.pk}


def test_it_filters_plans_by_status(
    api: APIClient, alice: User, draft_plan: ServicePlan, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.get(PLANS_URL, {"status": ServicePlan.Status.ACTIVE})
    assert listed_ids(response) == {approved_plan.pk}


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
    api: APIClient, alice: User, draft_plan: ServicePlan, draft_action: PlanAction
) -> None:
    api.force_login(alice)
    response = api.get(plan_url(draft_plan))
    assert response.status_code == 200
    [goal] = response.json()["goals"]
    assert [row["id"] for row in goal["actions"]] == [draft_action.pk]


def test_it_retrieves_a_plan_with_its_barriers(
    api: APIClient, alice: User, draft_plan: ServicePlan, barrier: Barrier
) -> None:
    api.force_login(alice)
    response = api.get(plan_url(draft_plan))
    assert [row["id"] for row in response.json()["barriers"]] == [barrier.pk]


def test_it_retrieves_a_plan_with_the_family_who_took_part(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    mother = factories.FamilyMemberFactory(client=draft_plan.enrollment.client, first_name="Rosa")
    draft_plan.family_participants.add(mother)
    api.force_login(alice)
    response = api.get(plan_url(draft_plan))
    assert [row["first_name"] for row in response.json()["family_participants"]] == ["Rosa"]


def test_it_retrieves_a_plan_with_its_reviews_and_progress(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    goal = approved_plan.goals.get()
    review = PlanReview.objects.create(plan=approved_plan, reviewer=alice, reviewed_on=today())
    GoalProgress.objects.create(review=review, goal=goal, rating="good")
    api.force_login(alice)
    response = api.get(plan_url(approved_plan))
    [row] = response.json()["reviews"]
    assert row["progress"] == [{"goal": goal.pk, "rating": "good", "note": ""}]


def test_it_shows_when_the_active_plan_is_due_for_review(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.get(plan_url(approved_plan))
    interval = approved_plan.enrollment.program.plan_review_interval_days
    due = approved_plan.approved_on + dt.timedelta(days=interval)
    assert response.json()["review_due_on"] == due.isoformat()


def test_it_shows_no_review_date_on_a_draft(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.get(plan_url(draft_plan))
    assert response.json()["review_due_on"] is None


def test_it_logs_a_denied_row_for_another_teams_plan(
    api: APIClient, charlie: User, draft_plan: ServicePlan
) -> None:
    api.force_login(charlie)
    api.get(plan_url(draft_plan))
    assert AccessLog.objects.filter(
        user=charlie, action=AccessLog.Action.DENIED, path=plan_url(draft_plan)
    ).exists()


def test_it_does_not_delete_a_plan(api: APIClient, alice: User, draft_plan: ServicePlan) -> None:
    api.force_login(alice)
    response = api.delete(plan_url(draft_plan))
    assert response.status_code == 405
    assert ServicePlan.objects.filter(pk=draft_plan.pk).exists()


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
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(PLANS_URL, {"enrollment": approved_plan.enrollment_id}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["previous"], body["version"]) == (approved_plan.pk, approved_plan.version + 1)
    assert [goal["carried_from"] for goal in body["goals"]] == [approved_plan.goals.get().pk]


def test_it_refuses_a_second_draft_plan(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(PLANS_URL, {"enrollment": draft_plan.enrollment_id}, format="json")
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
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.patch(
        plan_url(draft_plan),
        {"rationale_explained_on": today(), "client_signed_on": today()},
        format="json",
    )
    assert response.status_code == 200
    draft_plan.refresh_from_db()
    assert (draft_plan.rationale_explained_on, draft_plan.client_signed_on) == (today(), today())


def test_it_records_the_family_who_took_part(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    mother = factories.FamilyMemberFactory(client=draft_plan.enrollment.client)
    api.force_login(alice)
    response = api.patch(plan_url(draft_plan), {"family_participants": [mother.pk]}, format="json")
    assert response.status_code == 200
    assert list(draft_plan.family_participants.all()) == [mother]


def test_it_rejects_a_participant_from_another_clients_family(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    stranger = factories.FamilyMemberFactory(
        client=factories.EnrollmentFactory(case_manager=alice).client
    )
    api.force_login(alice)
    response = api.patch(
        plan_url(draft_plan),
        {"family_participants": [stranger.pk], "rationale_explained_on": today()},
        format="json",
    )
    assert response.status_code == 400
    assert "family_participants" in response.json()
    draft_plan.refresh_from_db()
    assert (draft_plan.rationale_explained_on, list(draft_plan.family_participants.all())) == (
        None,
        [],
    )


def test_it_rejects_a_signature_date_in_the_future(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)
    tomorrow = today() + dt.timedelta(days=1)
    response = api.patch(plan_url(draft_plan), {"client_signed_on": tomorrow}, format="json")
    assert response.status_code == 400
    assert "client_signed_on" in response.json()
    draft_plan.refresh_from_db()
    assert draft_plan.client_signed_on is None


def test_it_rejects_a_start_date_after_a_goals_target(
    api: APIClient, alice: User, draft_plan: ServicePlan, draft_goal: Goal
) -> None:
    api.force_login(alice)
    later = draft_goal.target_date + dt.timedelta(days=1)
    response = api.patch(plan_url(draft_plan), {"start_date": later}, format="json")
    assert response.status_code == 400
    assert "start_date" in response.json()
    draft_plan.refresh_from_db()
    assert draft_plan.start_date < later


def test_it_refuses_to_edit_an_active_plan(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.patch(plan_url(approved_plan), {"client_participated": False}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    approved_plan.refresh_from_db()
    assert approved_plan.client_participated


def test_it_forbids_a_teammate_editing_a_plan(
    api: APIClient, bob: User, draft_plan: ServicePlan
) -> None:
    api.force_login(bob)
    response = api.patch(plan_url(draft_plan), {"client_participated": False}, format="json")
    assert response.status_code == 403
    draft_plan.refresh_from_db()
    assert draft_plan.client_participated


def test_it_answers_404_to_an_edit_of_another_teams_plan(
    api: APIClient, charlie: User, draft_plan: ServicePlan
) -> None:
    api.force_login(charlie)
    response = api.patch(plan_url(draft_plan), {"client_participated": False}, format="json")
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
    api: APIClient, sam: User, approved_plan: ServicePlan, ready: ServicePlan
) -> None:
    api.force_login(sam)
    api.post(approve_url(ready), {}, format="json")
    approved_plan.refresh_from_db()
    assert approved_plan.status == ServicePlan.Status.SUPERSEDED


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
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    second = factories.GoalFactory(plan=approved_plan)
    first = approved_plan.goals.exclude(pk=second.pk).get()
    api.force_login(alice)
    response = api.post(
        reviews_url(approved_plan),
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
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    goal = approved_plan.goals.get()
    api.force_login(alice)
    api.post(
        reviews_url(approved_plan),
        {"reviewed_on": today(), "progress": [{"goal": goal.pk, "rating": "achieved"}]},
        format="json",
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED


def test_it_refuses_a_review_missing_a_goal(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    factories.GoalFactory(plan=approved_plan)
    api.force_login(alice)
    response = api.post(
        reviews_url(approved_plan),
        {
            "reviewed_on": today(),
            "progress": [{"goal": approved_plan.goals.first().pk, "rating": "some"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "progress" in response.json()
    assert not PlanReview.objects.exists()


def test_it_rejects_another_teams_goal_in_a_review(
    api: APIClient, alice: User, approved_plan: ServicePlan, other_plan: ServicePlan
) -> None:
    theirs = factories.GoalFactory(plan=other_plan)
    api.force_login(alice)
    response = api.post(
        reviews_url(approved_plan),
        {"reviewed_on": today(), "progress": [{"goal": theirs.pk, "rating": "some"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "progress" in response.json()
    assert not PlanReview.objects.exists()


def test_it_refuses_a_review_of_a_draft(
    api: APIClient, alice: User, draft_plan: ServicePlan, draft_goal: Goal
) -> None:
    api.force_login(alice)
    response = api.post(
        reviews_url(draft_plan),
        {"reviewed_on": today(), "progress": [{"goal": draft_goal.pk, "rating": "some"}]},
        format="json",
    )
    assert response.status_code == 400
    assert not PlanReview.objects.exists()


def test_it_refuses_a_review_dated_in_the_future(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    goal = approved_plan.goals.get()
    api.force_login(alice)
    response = api.post(
        reviews_url(approved_plan),
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
