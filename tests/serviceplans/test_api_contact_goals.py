"""/api/v1/contacts/ with goals: a contact serves the active plan's goals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import Contact, Enrollment
from serviceplans.models import ContactGoal, Goal, ServicePlan
from tests import factories
from tests.helpers import assert_list_queries_constant

pytestmark = pytest.mark.django_db

CONTACTS_URL = reverse("contact-list")


def phone_call(*, enrollment: Enrollment, **overrides: object) -> dict[str, object]:
    return {
        "enrollment": enrollment.pk,
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "contact_type": Contact.Type.PHONE,
        "duration_minutes": 15,
        "note": "Talked through the housing application.",
        **overrides,
    }


@pytest.fixture
def draft(enrollment: Enrollment) -> ServicePlan:
    """alice's draft plan, starting on the application date."""
    return factories.ServicePlanFactory(enrollment=enrollment)


@pytest.fixture
def goal(draft: ServicePlan) -> Goal:
    return factories.GoalFactory(plan=draft)


@pytest.fixture
def active(enrollment: Enrollment) -> ServicePlan:
    """The enrollment's approved plan, with a goal and an intervention."""
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


@pytest.fixture
def other_plan(other_enrollment: Enrollment) -> ServicePlan:
    return factories.ServicePlanFactory(enrollment=other_enrollment)


# --- Contacts serve the active plan's goals ---------------------------------------------------


def test_it_links_a_contact_to_the_goals_it_served(
    api: APIClient, alice: User, enrollment: Enrollment, active: ServicePlan
) -> None:
    goal = active.goals.get()
    api.force_login(alice)
    response = api.post(
        CONTACTS_URL, phone_call(enrollment=enrollment, goals=[goal.pk]), format="json"
    )
    assert response.status_code == 201
    assert response.json()["goals"] == [goal.pk]
    assert list(ContactGoal.objects.values_list("contact_id", "goal_id")) == [
        (response.json()["id"], goal.pk)
    ]


def test_it_requires_a_goal_on_a_clinical_contact_once_a_plan_is_active(
    api: APIClient, alice: User, enrollment: Enrollment, active: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(CONTACTS_URL, phone_call(enrollment=enrollment), format="json")
    assert response.status_code == 400
    assert "goals" in response.json()
    assert not Contact.objects.exists()


def test_it_rejects_a_goal_of_a_draft_plan_on_a_contact(
    api: APIClient, alice: User, enrollment: Enrollment, active: ServicePlan, goal: Goal
) -> None:
    api.force_login(alice)
    response = api.post(
        CONTACTS_URL, phone_call(enrollment=enrollment, goals=[goal.pk]), format="json"
    )
    assert response.status_code == 400
    assert "goals" in response.json()
    assert not Contact.objects.exists()


def test_it_rejects_another_teams_goal_on_a_contact(
    api: APIClient, alice: User, enrollment: Enrollment, other_plan: ServicePlan
) -> None:
    theirs = factories.GoalFactory(plan=other_plan)
    api.force_login(alice)
    response = api.post(
        CONTACTS_URL, phone_call(enrollment=enrollment, goals=[theirs.pk]), format="json"
    )
    assert response.status_code == 400
    assert "goals" in response.json()
    assert not Contact.objects.exists()


def test_it_shows_the_goals_a_listed_contact_served(
    api: APIClient, alice: User, enrollment: Enrollment, active: ServicePlan
) -> None:
    goal = active.goals.get()
    contact = factories.ContactFactory(enrollment=enrollment)
    ContactGoal.objects.create(contact=contact, goal=goal)
    api.force_login(alice)
    response = api.get(CONTACTS_URL)
    assert [row["goals"] for row in response.json()["results"]] == [[goal.pk]]


def test_it_lists_contacts_with_their_goals_in_a_constant_number_of_queries(
    api: APIClient, alice: User, enrollment: Enrollment, active: ServicePlan
) -> None:
    goal = active.goals.get()
    api.force_login(alice)

    def record(count: int) -> None:
        for contact in factories.ContactFactory.create_batch(count, enrollment=enrollment):
            ContactGoal.objects.create(contact=contact, goal=goal)

    assert_list_queries_constant(api, CONTACTS_URL, record)
