"""The pages of a draft plan's barriers to engagement."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def _errors(response) -> str:
    return str(response.context["form"].errors)


@pytest.fixture
def plan(enrollment):
    """alice's draft, with a goal and an intervention."""
    plan = factories.ServicePlanFactory(enrollment=enrollment)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


# --- Barriers ---------------------------------------------------------------------------------


def test_it_adds_a_barrier(client, alice, plan):
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:barrier_add", args=[plan.pk]),
        {"kind": "language", "description": "Spanish only", "strategy": "Interpreter booked."},
    )
    assert response.status_code == 302
    assert plan.barriers.get().strategy == "Interpreter booked."


def test_it_refuses_a_barrier_resolved_in_the_future(client, alice, plan):
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:barrier_add", args=[plan.pk]),
        {
            "kind": "cost",
            "strategy": "Sliding scale.",
            "resolved_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "cannot be in the future" in _errors(response)
    assert not plan.barriers.exists()


def test_it_records_when_a_barrier_was_resolved(client, alice, plan):
    barrier = factories.BarrierFactory(plan=plan)
    today = timezone.localdate()
    client.force_login(alice)
    client.post(
        reverse("serviceplans:barrier_edit", args=[barrier.pk]),
        {"kind": barrier.kind, "strategy": barrier.strategy, "resolved_on": today.isoformat()},
    )
    barrier.refresh_from_db()
    assert barrier.resolved_on == today
