"""The caseload sorts on a due date computed in SQL; it must agree with the pure function."""

import datetime as dt

import pytest

from clients.models import Enrollment
from serviceplans.due_dates import next_assessment_due_on
from serviceplans.selectors import with_assessment_due
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("application", "completions"),
    [
        (dt.date(2026, 3, 1), []),
        (dt.date(2028, 2, 29), []),
        (dt.date(2024, 1, 10), [dt.date(2024, 2, 1)]),
        (dt.date(2024, 1, 10), [dt.date(2024, 2, 1), dt.date(2024, 11, 1)]),
        (dt.date(2027, 12, 1), [dt.date(2028, 2, 29)]),
        (dt.date(2023, 5, 1), [dt.date(2023, 6, 1)]),
    ],
)
def test_it_agrees_with_the_pure_function(application, completions) -> None:
    enrollment = factories.EnrollmentFactory(application_date=application)
    for day in completions:
        factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=day)
    annotated = with_assessment_due(Enrollment.objects.filter(pk=enrollment.pk)).get()
    program = enrollment.program
    assert annotated.assessment_due_on == next_assessment_due_on(
        application_date=application,
        last_completed_on=max(completions, default=None),
        initial_assessment_days=program.initial_assessment_days,
        reassessment_interval_months=program.reassessment_interval_months,
    )


def test_it_ignores_a_draft_assessment() -> None:
    enrollment = factories.EnrollmentFactory(application_date=dt.date(2026, 3, 1))
    factories.AssessmentFactory(enrollment=enrollment)
    annotated = with_assessment_due(Enrollment.objects.filter(pk=enrollment.pk)).get()
    assert annotated.assessment_due_on == dt.date(2026, 3, 31)


def test_it_follows_a_change_of_the_programs_standard() -> None:
    enrollment = factories.EnrollmentFactory(application_date=dt.date(2026, 3, 1))
    enrollment.program.initial_assessment_days = 14
    enrollment.program.save()
    annotated = with_assessment_due(Enrollment.objects.filter(pk=enrollment.pk)).get()
    assert annotated.assessment_due_on == dt.date(2026, 3, 15)


def test_it_marks_an_enrollment_at_risk_from_its_latest_screen() -> None:
    enrollment = factories.EnrollmentFactory()
    factories.RiskScreenFactory(
        enrollment=enrollment, screened_on=dt.date(2026, 1, 5), positive=True, crisis=True
    )
    factories.RiskScreenFactory(enrollment=enrollment, screened_on=dt.date(2026, 2, 5))
    annotated = with_assessment_due(Enrollment.objects.filter(pk=enrollment.pk)).get()
    assert annotated.at_risk is False


def test_it_is_not_at_risk_without_a_screen() -> None:
    enrollment = factories.EnrollmentFactory()
    annotated = with_assessment_due(Enrollment.objects.filter(pk=enrollment.pk)).get()
    assert annotated.at_risk is False
