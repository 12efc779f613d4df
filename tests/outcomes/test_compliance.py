"""The "outcome measures due" rule: registered with the engine, due on the day itself and
overdue from the next, raised and resolved by the evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from outcomes.compliance import OUTCOME_MEASURES_DUE, outcome_measures_overdue
from outcomes.models import Occasion, ProgramOutcomeSchedule
from supervision.compliance import compliance_evaluate
from supervision.models import Flag
from supervision.rules import is_registered, rule_for_code
from tests import factories
from tests.outcomes.conftest import TODAY, record_measures

pytestmark = pytest.mark.django_db


def _enrollment(alice, *, applied: dt.date):
    return factories.EnrollmentFactory(case_manager=alice, application_date=applied)


def _due(enrollment) -> list[tuple[int, dt.date]]:
    rows = outcome_measures_overdue(TODAY, type(enrollment).objects.filter(pk=enrollment.pk))
    return list(rows.values_list("pk", "due_on"))


def test_the_rule_is_registered_with_the_engine() -> None:
    assert is_registered(OUTCOME_MEASURES_DUE)
    assert rule_for_code(OUTCOME_MEASURES_DUE).label == "Outcome measures due"


def test_the_intake_is_not_overdue_on_its_due_day(alice, frozen) -> None:
    # Applied 2 February: the intake is due 30 days later, on 4 March (today).
    enrollment = _enrollment(alice, applied=TODAY - dt.timedelta(days=30))
    assert _due(enrollment) == []


def test_the_intake_is_overdue_the_day_after(alice, frozen) -> None:
    enrollment = _enrollment(alice, applied=TODAY - dt.timedelta(days=31))
    assert _due(enrollment) == [(enrollment.pk, TODAY - dt.timedelta(days=1))]


def test_the_follow_up_is_not_overdue_on_its_due_day(alice, frozen) -> None:
    enrollment = _enrollment(alice, applied=dt.date(2025, 11, 1))
    record_measures(
        enrollment, Occasion.INTAKE, TODAY - dt.timedelta(days=90), housing="Emergency shelter"
    )
    assert _due(enrollment) == []


def test_the_follow_up_is_overdue_the_day_after(alice, frozen) -> None:
    enrollment = _enrollment(alice, applied=dt.date(2025, 11, 1))
    record_measures(
        enrollment, Occasion.INTAKE, TODAY - dt.timedelta(days=91), housing="Emergency shelter"
    )
    assert _due(enrollment) == [(enrollment.pk, TODAY - dt.timedelta(days=1))]


def test_the_programs_own_interval_sets_the_follow_up(alice, frozen) -> None:
    enrollment = _enrollment(alice, applied=dt.date(2025, 11, 1))
    ProgramOutcomeSchedule.objects.create(program=enrollment.program, follow_up_interval_days=60)
    record_measures(
        enrollment, Occasion.INTAKE, TODAY - dt.timedelta(days=61), housing="Emergency shelter"
    )
    assert _due(enrollment) == [(enrollment.pk, TODAY - dt.timedelta(days=1))]


def test_the_programs_own_intake_days_set_the_intake(alice, frozen) -> None:
    enrollment = _enrollment(alice, applied=TODAY - dt.timedelta(days=15))
    ProgramOutcomeSchedule.objects.create(program=enrollment.program, intake_within_days=14)
    assert _due(enrollment) == [(enrollment.pk, TODAY - dt.timedelta(days=1))]


def test_a_measurement_after_the_day_asked_does_not_count(alice, frozen) -> None:
    enrollment = _enrollment(alice, applied=dt.date(2025, 11, 1))
    record_measures(enrollment, Occasion.INTAKE, TODAY, housing="Emergency shelter")
    rows = outcome_measures_overdue(
        TODAY - dt.timedelta(days=1), type(enrollment).objects.filter(pk=enrollment.pk)
    )
    assert list(rows.values_list("due_on", flat=True)) == [dt.date(2025, 12, 1)]


def test_a_closed_enrollment_is_not_due(alice, frozen) -> None:
    enrollment = _enrollment(alice, applied=dt.date(2025, 11, 1))
    enrollment.status, enrollment.closed_on, enrollment.close_reason = "closed", TODAY, "moved"
    enrollment.save()
    assert _due(enrollment) == []


def test_the_evaluation_raises_the_flag_and_resolves_it_once_recorded(alice, frozen) -> None:
    enrollment = _enrollment(alice, applied=TODAY - dt.timedelta(days=31))
    compliance_evaluate(as_of=TODAY, enrollment_ids=[enrollment.pk])
    flag = Flag.objects.get(enrollment=enrollment, rule=OUTCOME_MEASURES_DUE)
    assert (flag.due_on, flag.resolved_on) == (TODAY - dt.timedelta(days=1), None)

    record_measures(enrollment, Occasion.INTAKE, TODAY, substance_use_days=4)
    compliance_evaluate(as_of=TODAY, enrollment_ids=[enrollment.pk])
    flag.refresh_from_db()
    assert (flag.resolved_on, flag.resolution) == (TODAY, "Outcome measures recorded.")


def test_an_approved_variance_suppresses_the_flag(alice, ada, frozen) -> None:
    enrollment = _enrollment(alice, applied=TODAY - dt.timedelta(days=31))
    factories.VarianceFactory(
        enrollment=enrollment,
        rule=OUTCOME_MEASURES_DUE,
        status="approved",
        decided_by=ada,
        decided_at=dt.datetime(2026, 3, 1, 17, tzinfo=dt.UTC),
        approved_due_on=TODAY + dt.timedelta(days=10),
    )
    report = compliance_evaluate(as_of=TODAY, enrollment_ids=[enrollment.pk])
    assert report.counts[OUTCOME_MEASURES_DUE].suppressed == 1
    assert not Flag.objects.filter(enrollment=enrollment, rule=OUTCOME_MEASURES_DUE).exists()
