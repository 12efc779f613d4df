"""/api/v1/barriers/: a draft plan's barriers to engagement. (Another team's 404 on a
barrier is a row of tests/test_url_matrix.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from serviceplans.models import Barrier, ServicePlan
from tests import factories
from tests.helpers import assert_list_queries_constant, listed_ids, today

pytestmark = pytest.mark.django_db

BARRIERS_URL = reverse("barrier-list")


def barrier_url(barrier: Barrier) -> str:
    return reverse("barrier-detail", args=[barrier.pk])


@pytest.fixture
def barrier(draft_plan: ServicePlan) -> Barrier:
    return factories.BarrierFactory(plan=draft_plan)


# --- Barriers ---------------------------------------------------------------------------------


def test_it_lists_the_barriers_of_the_own_team(api: APIClient, bob: User, barrier: Barrier) -> None:
    api.force_login(bob)
    response = api.get(BARRIERS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {barrier.pk}


def test_it_hides_another_teams_barriers(
    api: APIClient, charlie: User, barrier: Barrier, other_plan: ServicePlan
) -> None:
    theirs = factories.BarrierFactory(plan=other_plan)
    api.force_login(charlie)
    response = api.get(BARRIERS_URL)
    assert listed_ids(response) == {theirs.pk}


def test_it_filters_barriers_by_plan(
    api: APIClient, alice: User, barrier: Barrier, approved_plan: ServicePlan
) -> None:
    theirs = factories.BarrierFactory(plan=approved_plan)
    api.force_login(alice)
    response = api.get(BARRIERS_URL, {"plan": approved_plan.pk})
    assert listed_ids(response) == {theirs.pk}


def test_it_lists_barriers_in_a_constant_number_of_queries(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)

    def record(count: int) -> None:
        factories.BarrierFactory.create_batch(count, plan=draft_plan)

    assert_list_queries_constant(api, BARRIERS_URL, record)


def test_it_adds_a_barrier_to_a_draft(api: APIClient, alice: User, draft_plan: ServicePlan) -> None:
    api.force_login(alice)
    response = api.post(
        BARRIERS_URL,
        {"plan": draft_plan.pk, "kind": Barrier.Kind.CHILDCARE, "strategy": "Sister babysits."},
        format="json",
    )
    assert response.status_code == 201
    assert Barrier.objects.get(pk=response.json()["id"]).kind == Barrier.Kind.CHILDCARE


def test_it_rejects_a_barrier_without_a_strategy(
    api: APIClient, alice: User, draft_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(
        BARRIERS_URL,
        {"plan": draft_plan.pk, "kind": Barrier.Kind.COST, "strategy": ""},
        format="json",
    )
    assert response.status_code == 400
    assert "strategy" in response.json()
    assert not Barrier.objects.exists()


def test_it_refuses_a_barrier_on_an_active_plan(
    api: APIClient, alice: User, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(
        BARRIERS_URL,
        {"plan": approved_plan.pk, "kind": Barrier.Kind.COST, "strategy": "Sliding scale."},
        format="json",
    )
    assert response.status_code == 400
    assert not Barrier.objects.exists()


def test_it_marks_a_barrier_resolved(api: APIClient, alice: User, barrier: Barrier) -> None:
    api.force_login(alice)
    response = api.patch(barrier_url(barrier), {"resolved_on": today()}, format="json")
    assert response.status_code == 200
    barrier.refresh_from_db()
    assert barrier.resolved_on == today()


def test_it_rejects_a_resolution_in_the_future(
    api: APIClient, alice: User, barrier: Barrier
) -> None:
    api.force_login(alice)
    tomorrow = today() + dt.timedelta(days=1)
    response = api.patch(barrier_url(barrier), {"resolved_on": tomorrow}, format="json")
    assert response.status_code == 400
    assert "resolved_on" in response.json()
    barrier.refresh_from_db()
    assert barrier.resolved_on is None


def test_it_forbids_a_teammate_changing_a_barrier(
    api: APIClient, bob: User, barrier: Barrier
) -> None:
    api.force_login(bob)
    response = api.patch(barrier_url(barrier), {"resolved_on": today()}, format="json")
    assert response.status_code == 403
    barrier.refresh_from_db()
    assert barrier.resolved_on is None


def test_it_does_not_delete_a_barrier(api: APIClient, alice: User, barrier: Barrier) -> None:
    api.force_login(alice)
    response = api.delete(barrier_url(barrier))
    assert response.status_code == 405
    assert Barrier.objects.filter(pk=barrier.pk).exists()
