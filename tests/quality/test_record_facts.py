"""quality.benchmarks.record_facts: what the rules read of one enrollment, from the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quality.benchmarks import record_facts
from serviceplans.models import RiskAlert
from tests import factories

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 2, 28)


@pytest.fixture
def enrollment(frozen, alice):
    return factories.EnrollmentFactory(case_manager=alice, application_date=dt.date(2026, 1, 1))


def test_it_reads_completed_assessments_up_to_the_day(enrollment) -> None:
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=dt.date(2026, 1, 20)
    )
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=dt.date(2026, 3, 1)
    )
    factories.AssessmentFactory(enrollment=enrollment)  # a draft
    assert record_facts(enrollment, AS_OF).assessments_completed_on == (dt.date(2026, 1, 20),)


def test_it_reads_the_plan_in_force_with_its_goals_actions(enrollment) -> None:
    plan = factories.ServicePlanFactory(
        enrollment=enrollment, active=True, start_date=dt.date(2026, 1, 25)
    )
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan), where="")
    factories.ServicePlanFactory(enrollment=enrollment)  # a draft is not yet a plan
    facts = record_facts(enrollment, AS_OF)
    assert facts.plan is not None
    assert (facts.plan.version, facts.plan.goals[0].actions[0].where) == (plan.version, "")


def test_it_counts_contacts_by_their_local_day_and_leaves_attempts_out(enrollment) -> None:
    late_evening = timezone.make_aware(dt.datetime(2026, 2, 1, 23, 30))
    factories.ContactFactory(enrollment=enrollment, occurred_at=late_evening)
    factories.ContactFactory(
        enrollment=enrollment, occurred_at=late_evening, contact_type="attempted"
    )
    assert record_facts(enrollment, AS_OF).contact_days == (dt.date(2026, 2, 1),)


def test_it_reads_positive_screens_and_the_day_a_supervisor_reviewed_them(enrollment, sam) -> None:
    screen = factories.RiskScreenFactory(
        enrollment=enrollment, screened_on=dt.date(2026, 2, 2), crisis=True, positive=True
    )
    RiskAlert.objects.create(
        risk_screen=screen,
        team=enrollment.team,
        reviewed_at=timezone.make_aware(dt.datetime(2026, 2, 3, 9)),
        reviewed_by=sam,
    )
    factories.RiskScreenFactory(enrollment=enrollment, screened_on=dt.date(2026, 2, 4))
    facts = record_facts(enrollment, AS_OF)
    assert [(s.screened_on, s.reviewed_on) for s in facts.positive_screens] == [
        (dt.date(2026, 2, 2), dt.date(2026, 2, 3))
    ]


def test_it_reads_sent_referrals_and_whether_they_have_a_consent(enrollment) -> None:
    factories.ReferralFactory(
        enrollment=enrollment, status="sent", follow_up_due_on=dt.date(2026, 2, 10)
    )
    referral = record_facts(enrollment, AS_OF).referrals[0]
    assert (referral.status, referral.has_consent) == ("sent", False)


def test_it_reads_a_record_in_a_fixed_number_of_queries(enrollment) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            record_facts(enrollment, AS_OF)
        return len(captured)

    before = queries()
    for day in range(1, 6):
        factories.ContactFactory(
            enrollment=enrollment, occurred_at=timezone.make_aware(dt.datetime(2026, 2, day, 10))
        )
        factories.ReferralFactory(enrollment=enrollment, status="sent")
    assert queries() == before
