"""serviceplans.views.plans: starting a plan, the plan page, the draft's details, approving
it, reviewing the active plan, and the plan card of the client page. (Another team's 404 on
the plan page is a row of tests/test_url_matrix.py.)"""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from serviceplans.models import Barrier, Goal, GoalProgress, PlanReview, ServicePlan
from tests import factories

pytestmark = pytest.mark.django_db


def _plan_url(plan) -> str:
    return reverse("serviceplans:plan_detail", args=[plan.pk])


def _errors(response) -> str:
    return str(response.context["form"].errors)


def _noon_on(day: dt.date) -> dt.datetime:
    """A moment on ``day`` in the agency's time zone (midnight UTC is the day before)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def plan(enrollment):
    """alice's draft, with a goal and an intervention."""
    plan = factories.ServicePlanFactory(enrollment=enrollment)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


@pytest.fixture
def ready_plan(plan):
    """alice's draft, ready for approval."""
    today = timezone.localdate()
    ServicePlan.objects.filter(pk=plan.pk).update(
        rationale_explained_on=today, client_signed_on=today
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def active_plan(enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


def _goal_data(plan, **overrides) -> dict:
    return {
        "client_words": "I want to sleep through the night.",
        "life_domain": "mental_health",
        "target_date": (plan.start_date + dt.timedelta(days=60)).isoformat(),
        **overrides,
    }


# --- Starting a plan --------------------------------------------------------------------------


def test_it_starts_a_plan_and_opens_it(client, alice, enrollment):
    client.force_login(alice)
    response = client.post(reverse("serviceplans:plan_start", args=[enrollment.pk]))
    plan = ServicePlan.objects.get()
    assert response.status_code == 302
    assert response.url == _plan_url(plan)
    assert (plan.version, plan.status, plan.author) == (1, "draft", alice)


def test_it_starts_a_plan_on_the_date_given(client, alice, enrollment):
    client.force_login(alice)
    start = enrollment.application_date + dt.timedelta(days=3)
    client.post(
        reverse("serviceplans:plan_start", args=[enrollment.pk]), {"start_date": start.isoformat()}
    )
    assert ServicePlan.objects.get().start_date == start


def test_it_refuses_a_second_draft(client, alice, enrollment, plan):
    client.force_login(alice)
    response = client.post(reverse("serviceplans:plan_start", args=[enrollment.pk]))
    assert response.status_code == 400
    assert "already open" in _errors(response)
    assert ServicePlan.objects.count() == 1


def test_it_starts_a_new_version_from_the_active_plan(client, alice, enrollment, active_plan):
    client.force_login(alice)
    client.post(reverse("serviceplans:plan_start", args=[enrollment.pk]))
    draft = ServicePlan.objects.get(status="draft")
    assert draft.previous == active_plan
    assert draft.goals.get().carried_from == active_plan.goals.get()
    active_plan.refresh_from_db()
    assert active_plan.status == ServicePlan.Status.ACTIVE


def test_it_answers_403_to_a_teammate_starting_a_plan(client, bob, enrollment):
    client.force_login(bob)
    response = client.post(reverse("serviceplans:plan_start", args=[enrollment.pk]))
    assert response.status_code == 403
    assert not ServicePlan.objects.exists()


def test_it_answers_404_to_another_team_starting_a_plan(client, charlie, enrollment):
    client.force_login(charlie)
    response = client.post(reverse("serviceplans:plan_start", args=[enrollment.pk]))
    assert response.status_code == 404
    assert not ServicePlan.objects.exists()


# --- The plan page ----------------------------------------------------------------------------


def test_it_shows_goals_in_the_clients_words_with_their_interventions(client, bob, plan):
    client.force_login(bob)
    response = client.get(_plan_url(plan))
    body = response.content.decode()
    assert response.status_code == 200
    assert "I want to go back to school every day." in body
    assert "Meet the school counselor to plan a shortened timetable." in body
    assert "So that attendance can build up gradually." in body


def test_it_shows_who_took_part_and_the_dates(client, alice, ready_plan):
    parent = factories.FamilyMemberFactory(client=ready_plan.enrollment.client, first_name="Rosa")
    ready_plan.family_participants.add(parent)
    client.force_login(alice)
    body = client.get(_plan_url(ready_plan)).content.decode()
    assert f"Rosa {parent.last_name}" in body
    assert ready_plan.rationale_explained_on.isoformat() in body


def test_it_shows_the_barriers_with_their_strategy(client, alice, plan):
    factories.BarrierFactory(plan=plan, kind=Barrier.Kind.CHILDCARE, strategy="Sitter rota.")
    client.force_login(alice)
    body = client.get(_plan_url(plan)).content.decode()
    assert "Childcare" in body
    assert "Sitter rota." in body


def test_it_shows_when_the_active_plans_review_is_due(client, alice, active_plan):
    with time_machine.travel(_noon_on(active_plan.approved_on + dt.timedelta(days=80))):
        client.force_login(alice)
        response = client.get(_plan_url(active_plan))
    assert response.context["review_due"].label == "due in 10 days"
    assert "due in 10 days" in response.content.decode()


@pytest.mark.parametrize(("days_after_approval", "tone"), [(76, "warning"), (75, "light")])
def test_it_shows_a_review_due_within_two_weeks_as_due_soon(
    client, alice, active_plan, days_after_approval, tone
):
    # Due 90 days after approval; due soon within due_dates.PLAN_REVIEW_DUE_SOON_DAYS (14).
    moment = _noon_on(active_plan.approved_on + dt.timedelta(days=days_after_approval))
    with time_machine.travel(moment):
        client.force_login(alice)
        response = client.get(_plan_url(active_plan))
    assert response.context["review_due"].tone == tone
    assert f'class="badge text-bg-{tone}"' in response.content.decode()


def test_it_shows_an_overdue_review(client, alice, active_plan):
    with time_machine.travel(_noon_on(active_plan.approved_on + dt.timedelta(days=93))):
        client.force_login(alice)
        response = client.get(_plan_url(active_plan))
    assert "overdue by 3 days" in response.content.decode()


def test_it_counts_the_next_review_from_the_last_one(client, alice, active_plan):
    review = PlanReview.objects.create(
        plan=active_plan, reviewer=alice, reviewed_on=active_plan.approved_on + dt.timedelta(30)
    )
    with time_machine.travel(_noon_on(review.reviewed_on + dt.timedelta(days=85))):
        client.force_login(alice)
        response = client.get(_plan_url(active_plan))
    assert response.context["review_due"].label == "due in 5 days"


def test_it_offers_the_draft_buttons_to_the_case_manager(client, alice, plan):
    client.force_login(alice)
    response = client.get(_plan_url(plan))
    body = response.content.decode()
    assert reverse("serviceplans:plan_edit", args=[plan.pk]) in body
    assert reverse("serviceplans:goal_add", args=[plan.pk]) in body
    assert reverse("serviceplans:action_add", args=[plan.goals.get().pk]) in body
    assert reverse("serviceplans:barrier_add", args=[plan.pk]) in body
    assert reverse("serviceplans:plan_approve", args=[plan.pk]) not in body


def test_it_shows_a_teammate_the_plan_without_buttons(client, bob, plan):
    client.force_login(bob)
    body = client.get(_plan_url(plan)).content.decode()
    assert reverse("serviceplans:plan_edit", args=[plan.pk]) not in body
    assert reverse("serviceplans:goal_add", args=[plan.pk]) not in body


def test_it_offers_approval_to_the_teams_supervisor(client, sam, plan):
    client.force_login(sam)
    body = client.get(_plan_url(plan)).content.decode()
    assert reverse("serviceplans:plan_approve", args=[plan.pk]) in body


def test_it_offers_no_editing_on_an_active_plan(client, alice, enrollment, active_plan):
    client.force_login(alice)
    body = client.get(_plan_url(active_plan)).content.decode()
    assert reverse("serviceplans:goal_add", args=[active_plan.pk]) not in body
    assert reverse("serviceplans:plan_review", args=[active_plan.pk]) in body
    assert reverse("serviceplans:plan_start", args=[enrollment.pk]) in body


def test_it_links_the_other_versions(client, alice, enrollment, active_plan):
    draft = factories.ServicePlanFactory(enrollment=enrollment, previous=active_plan)
    client.force_login(alice)
    body = client.get(_plan_url(draft)).content.decode()
    assert _plan_url(active_plan) in body


def test_it_links_the_print_stylesheet_for_print(client, alice, plan):
    client.force_login(alice)
    body = client.get(_plan_url(plan)).content.decode()
    assert 'href="/static/css/print.css" media="print"' in body


def test_it_logs_the_view_of_the_client_record(client, bob, plan):
    client.force_login(bob)
    client.get(_plan_url(plan))
    row = plan.enrollment.client.access_log.get()
    assert (row.user, row.action) == (bob, "viewed")


def _queries_for_plan_page(client, user, plan) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_plan_url(plan))
    assert response.status_code == 200
    return len(queries)


def test_it_uses_the_same_number_of_queries_at_5_and_20_goals(client, alice, enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)

    def add_goals(n):
        for _ in range(n):
            goal = factories.GoalFactory(plan=plan)
            factories.PlanActionFactory.create_batch(2, goal=goal)
            factories.BarrierFactory(plan=plan)
            member = factories.FamilyMemberFactory(client=enrollment.client)
            plan.family_participants.add(member)
        review = PlanReview.objects.create(plan=plan, reviewer=alice, reviewed_on=plan.start_date)
        GoalProgress.objects.bulk_create(
            GoalProgress(review=review, goal=g, rating="some") for g in plan.goals.all()
        )

    add_goals(5)
    at_five = _queries_for_plan_page(client, alice, plan)
    add_goals(15)
    assert plan.goals.count() == 20
    assert _queries_for_plan_page(client, alice, plan) == at_five


# --- Plan details -----------------------------------------------------------------------------


def test_it_saves_the_plan_details_and_who_took_part(client, alice, plan):
    parent = factories.FamilyMemberFactory(client=plan.enrollment.client)
    today = timezone.localdate()
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:plan_edit", args=[plan.pk]),
        {
            "start_date": plan.start_date.isoformat(),
            "client_participated": "on",
            "family_participants": [parent.pk],
            "rationale_explained_on": today.isoformat(),
            "client_signed_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.rationale_explained_on, plan.client_signed_on) == (today, today)
    assert list(plan.family_participants.all()) == [parent]


def test_it_offers_only_the_clients_family(client, alice, plan):
    parent = factories.FamilyMemberFactory(client=plan.enrollment.client)
    factories.FamilyMemberFactory()
    client.force_login(alice)
    response = client.get(reverse("serviceplans:plan_edit", args=[plan.pk]))
    choices = response.context["form"].fields["family_participants"].queryset
    assert list(choices) == [parent]


def test_it_refuses_a_family_member_of_another_client(client, alice, plan):
    stranger = factories.FamilyMemberFactory()
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:plan_edit", args=[plan.pk]),
        {"start_date": plan.start_date.isoformat(), "family_participants": [stranger.pk]},
    )
    assert response.status_code == 400
    assert "family_participants" in response.context["form"].errors
    assert not plan.family_participants.exists()


def test_it_refuses_a_signature_date_in_the_future(client, alice, plan):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:plan_edit", args=[plan.pk]),
        {"start_date": plan.start_date.isoformat(), "client_signed_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "cannot be in the future" in _errors(response)
    plan.refresh_from_db()
    assert plan.client_signed_on is None


def test_it_sends_the_editing_of_an_active_plan_back_to_the_plan(client, alice, active_plan):
    client.force_login(alice)
    response = client.get(reverse("serviceplans:plan_edit", args=[active_plan.pk]))
    assert response.status_code == 302
    assert response.url == _plan_url(active_plan)
    [message] = get_messages(response.wsgi_request)
    assert "never edited" in str(message)


def test_it_refuses_a_change_posted_to_an_active_plan(client, alice, active_plan):
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:goal_add", args=[active_plan.pk]), _goal_data(active_plan)
    )
    assert response.status_code == 400
    assert "never edited" in _errors(response)
    assert active_plan.goals.count() == 1


# --- Approval ---------------------------------------------------------------------------------


def test_it_approves_a_ready_plan(client, sam, ready_plan):
    client.force_login(sam)
    response = client.post(
        reverse("serviceplans:plan_approve", args=[ready_plan.pk]),
        {"approved_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    ready_plan.refresh_from_db()
    assert (ready_plan.status, ready_plan.approved_by) == ("active", sam)


def test_it_supersedes_the_active_plan_when_the_new_version_is_approved(
    client, sam, enrollment, active_plan
):
    today = timezone.localdate()
    draft = factories.ServicePlanFactory(
        enrollment=enrollment,
        previous=active_plan,
        rationale_explained_on=today,
        client_signed_on=today,
    )
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=draft))
    client.force_login(sam)
    client.post(
        reverse("serviceplans:plan_approve", args=[draft.pk]), {"approved_on": today.isoformat()}
    )
    active_plan.refresh_from_db()
    assert active_plan.status == ServicePlan.Status.SUPERSEDED


def test_it_says_why_a_plan_is_not_ready_for_approval(client, sam, enrollment):
    draft = factories.ServicePlanFactory(enrollment=enrollment)
    factories.GoalFactory(plan=draft)
    client.force_login(sam)
    response = client.post(
        reverse("serviceplans:plan_approve", args=[draft.pk]),
        {"approved_on": timezone.localdate().isoformat()},
    )
    errors = _errors(response)
    assert response.status_code == 400
    assert "Every goal needs at least one objective or intervention." in errors
    assert "Record when the rationale was explained to the client." in errors
    assert "Record the client&#x27;s signature date." in errors
    draft.refresh_from_db()
    assert draft.status == ServicePlan.Status.DRAFT


def test_it_refuses_approval_by_the_author(client, sam, enrollment):
    today = timezone.localdate()
    draft = factories.ServicePlanFactory(
        enrollment=enrollment, author=sam, rationale_explained_on=today, client_signed_on=today
    )
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=draft))
    client.force_login(sam)
    response = client.post(
        reverse("serviceplans:plan_approve", args=[draft.pk]), {"approved_on": today.isoformat()}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == ServicePlan.Status.DRAFT


def test_it_refuses_approval_by_a_case_manager(client, alice, ready_plan):
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:plan_approve", args=[ready_plan.pk]),
        {"approved_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    ready_plan.refresh_from_db()
    assert ready_plan.status == ServicePlan.Status.DRAFT


def test_it_hides_the_plan_from_a_supervisor_of_another_team(client, other_team, ready_plan):
    client.force_login(factories.SupervisorFactory(team=other_team))
    response = client.post(
        reverse("serviceplans:plan_approve", args=[ready_plan.pk]),
        {"approved_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    ready_plan.refresh_from_db()
    assert ready_plan.status == ServicePlan.Status.DRAFT


# --- Review -----------------------------------------------------------------------------------


def test_it_records_a_review_with_progress_on_every_goal(client, alice, active_plan):
    goal = active_plan.goals.get()
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:plan_review", args=[active_plan.pk]),
        {
            "reviewed_on": timezone.localdate().isoformat(),
            "summary": "Attending four days out of five.",
            f"rating_{goal.pk}": "good",
            f"note_{goal.pk}": "Much better since the timetable change.",
        },
    )
    assert response.status_code == 302
    progress = GoalProgress.objects.get()
    assert (progress.goal, progress.rating, progress.note) == (
        goal,
        "good",
        "Much better since the timetable change.",
    )


def test_it_marks_a_goal_achieved_in_a_review(client, alice, active_plan):
    goal = active_plan.goals.get()
    client.force_login(alice)
    client.post(
        reverse("serviceplans:plan_review", args=[active_plan.pk]),
        {"reviewed_on": timezone.localdate().isoformat(), f"rating_{goal.pk}": "achieved"},
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED


def test_it_refuses_a_review_with_a_goal_not_rated(client, alice, active_plan):
    factories.GoalFactory(plan=active_plan)
    first, second = active_plan.goals.all()
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:plan_review", args=[active_plan.pk]),
        {"reviewed_on": timezone.localdate().isoformat(), f"rating_{first.pk}": "some"},
    )
    assert response.status_code == 400
    assert "Rate the progress on this goal." in str(
        response.context["form"].errors[f"rating_{second.pk}"]
    )
    assert not PlanReview.objects.exists()


def test_it_sends_the_review_of_a_draft_back_to_the_plan(client, alice, plan):
    client.force_login(alice)
    response = client.get(reverse("serviceplans:plan_review", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url == _plan_url(plan)


# --- The client page --------------------------------------------------------------------------


def test_it_offers_to_start_a_plan_on_the_client_page(client, alice, client_record, enrollment):
    client.force_login(alice)
    body = client.get(reverse("workspace:client", args=[client_record.pk])).content.decode()
    assert reverse("serviceplans:plan_start", args=[enrollment.pk]) in body
    assert "Start plan" in body


def test_it_does_not_offer_a_teammate_to_start_a_plan(client, bob, client_record, enrollment):
    client.force_login(bob)
    body = client.get(reverse("workspace:client", args=[client_record.pk])).content.decode()
    assert reverse("serviceplans:plan_start", args=[enrollment.pk]) not in body


def test_it_links_the_active_plan_and_its_review_from_the_client_page(
    client, alice, client_record, active_plan
):
    with time_machine.travel(_noon_on(active_plan.approved_on + dt.timedelta(days=89))):
        client.force_login(alice)
        response = client.get(reverse("workspace:client", args=[client_record.pk]))
    body = response.content.decode()
    assert _plan_url(active_plan) in body
    assert "due in 1 day" in body
    assert "Start new version" in body


def test_it_links_the_draft_from_the_client_page(client, alice, client_record, plan):
    client.force_login(alice)
    body = client.get(reverse("workspace:client", args=[client_record.pk])).content.decode()
    assert _plan_url(plan) in body
    assert "Start plan" not in body


def _queries_for_client_page(client, user, client_record) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:client", args=[client_record.pk]))
    assert response.status_code == 200
    return len(queries)


def test_it_keeps_the_client_page_queries_constant_with_more_plans(
    client, alice, client_record, enrollment
):
    factories.ServicePlanFactory(enrollment=enrollment, active=True)
    at_one = _queries_for_client_page(client, alice, client_record)
    for _ in range(3):
        other = factories.EnrollmentFactory(client=client_record, case_manager=alice)
        active = factories.ServicePlanFactory(enrollment=other, active=True)
        PlanReview.objects.create(plan=active, reviewer=alice, reviewed_on=active.start_date)
        factories.ServicePlanFactory(enrollment=other, previous=active)
    assert _queries_for_client_page(client, alice, client_record) == at_one
