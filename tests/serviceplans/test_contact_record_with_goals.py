"""serviceplans.services.contact_record_with_goals: a contact (clients.services.contact_record)
and the goals of the active plan it served, recorded together or not at all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from clients.models import Contact, Enrollment
from serviceplans.models import ContactGoal, Goal
from serviceplans.services import contact_record_with_goals
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(enrollment: Enrollment) -> Goal:
    return factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=enrollment, active=True)
    )


def record(actor: User, enrollment: Enrollment, **overrides: object) -> Contact:
    values: dict[str, object] = {
        "occurred_at": timezone.now() - dt.timedelta(hours=1),
        "contact_type": Contact.Type.PHONE,
        "duration_minutes": 10,
        "note": "Talked through the morning routine.",
    }
    values.update(overrides)
    return contact_record_with_goals(actor=actor, enrollment=enrollment, **values)


def test_it_records_the_contact_with_the_goals_it_served(alice, enrollment, goal) -> None:
    contact = record(alice, enrollment, goals=[goal])
    assert [link.goal for link in ContactGoal.objects.filter(contact=contact)] == [goal]


def test_it_reports_a_missing_note_and_a_missing_goal_together(alice, enrollment, goal) -> None:
    with pytest.raises(ValidationError) as caught:
        record(alice, enrollment, note="")
    assert {"note", "goals"} <= set(caught.value.message_dict)


def test_it_saves_no_contact_when_the_goals_are_refused(alice, enrollment, goal) -> None:
    with pytest.raises(ValidationError) as caught:
        record(alice, enrollment)
    assert set(caught.value.message_dict) == {"goals"}
    assert not Contact.objects.exists()


def test_it_answers_an_enrollment_off_the_caseload_alone(bob, enrollment, goal) -> None:
    with pytest.raises(ValidationError) as caught:
        record(bob, enrollment, note="")
    assert set(caught.value.message_dict) == {"enrollment"}
    assert not Contact.objects.exists()
