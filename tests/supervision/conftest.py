from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from clients.models import Enrollment, FamilyMember
from referrals.models import Provider
from serviceplans.models import Goal, PlanAction, ServicePlan
from supervision import services
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule, FollowUpTask, SupervisionNote
from tests import factories


@pytest.fixture
def overdue(alice: User) -> Enrollment:
    """alice's enrollment, applied 40 days ago: the initial assessment is 10 days overdue,
    and flagged."""
    today = timezone.localdate()
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=today - dt.timedelta(days=40)
    )
    compliance_evaluate(as_of=today, enrollment_ids=[enrollment.pk])
    return enrollment


@pytest.fixture
def flag(overdue: Enrollment) -> Flag:
    """The open initial-assessment flag of ``overdue``."""
    return Flag.objects.open().get(enrollment=overdue, rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)


@pytest.fixture
def mother(enrollment: Enrollment) -> FamilyMember:
    return factories.FamilyMemberFactory(client=enrollment.client, first_name="Rosa")


@pytest.fixture
def provider() -> Provider:
    return factories.ProviderFactory(name="Riverside Mental Health")


@pytest.fixture
def active_plan(enrollment: Enrollment) -> ServicePlan:
    return factories.ServicePlanFactory(enrollment=enrollment, active=True, version=1)


@pytest.fixture
def active_goal(active_plan: ServicePlan) -> Goal:
    return factories.GoalFactory(plan=active_plan, client_words="I want to feel safe at home.")


@pytest.fixture
def task(sam: User, enrollment: Enrollment) -> FollowUpTask:
    note = services.note_write(
        actor=sam,
        kind=SupervisionNote.Kind.CASE_CONFERENCE,
        enrollment=enrollment,
        held_on=timezone.localdate(),
        discussion="Transition to outpatient therapy; the family's worries.",
        tasks=[
            {
                "description": "Family session on safety planning.",
                "due_on": timezone.localdate() + dt.timedelta(days=21),
                "responsible": PlanAction.Responsible.PROVIDER,
                "responsible_name": "Riverside Mental Health",
            }
        ],
    )
    return note.tasks.get()
