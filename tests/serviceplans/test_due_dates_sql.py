"""Each due-date rule's SQL (serviceplans.due_dates.*_sql) gives the same date as its Python on
boundary days: day 30 and 31 of a month, month ends, leap years and 29 February."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import DateField, IntegerField, Value

from clients.models import Program
from serviceplans import due_dates
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date


def _in_sql(rule_sql: Callable[..., Any], **arguments: Any) -> dt.date:
    """The date ``rule_sql`` computes in PostgreSQL from the same plain arguments."""
    expressions = {
        # A number of days or months is an integer; anything else (a date or None) a date.
        name: Value(value, output_field=IntegerField() if isinstance(value, int) else DateField())
        for name, value in arguments.items()
    }
    program = factories.ProgramFactory()
    return Program.objects.filter(pk=program.pk).annotate(due=rule_sql(**expressions)).get().due


DAYS = [(D(2026, 3, 1), 30), (D(2026, 1, 31), 30), (D(2028, 2, 29), 30), (D(2024, 2, 28), 1)]
DAYS += [(D(2023, 2, 28), 1), (D(2024, 12, 31), 60), (D(2027, 12, 31), 365)]

MONTHS = [(D(2023, 6, 1), 12), (D(2024, 2, 29), 12), (D(2028, 2, 29), 48)]
MONTHS += [(D(2024, 1, 31), 1), (D(2023, 1, 31), 1), (D(2024, 8, 31), 6), (D(2024, 11, 30), 3)]
MONTHS += [(D(2024, 12, 31), 12), (D(2023, 3, 31), 11), (D(2024, 3, 1), 12), (D(2025, 1, 30), 1)]


@pytest.mark.parametrize(("day", "days"), DAYS)
def test_the_initial_assessment_agrees(day: dt.date, days: int) -> None:
    arguments = {"application_date": day, "initial_assessment_days": days}
    assert _in_sql(
        due_dates.initial_assessment_due_on_sql, **arguments
    ) == due_dates.initial_assessment_due_on(**arguments)


@pytest.mark.parametrize(("day", "months"), MONTHS)
def test_the_assessment_update_agrees(day: dt.date, months: int) -> None:
    arguments = {"last_completed_on": day, "reassessment_interval_months": months}
    assert _in_sql(
        due_dates.assessment_update_due_on_sql, **arguments
    ) == due_dates.assessment_update_due_on(**arguments)


def test_the_annual_update_falls_on_the_anniversary_across_29_february() -> None:
    arguments = {"last_completed_on": D(2023, 6, 1), "reassessment_interval_months": 12}
    assert _in_sql(due_dates.assessment_update_due_on_sql, **arguments) == D(2024, 6, 1)


def test_the_annual_update_of_29_february_falls_on_28_february() -> None:
    arguments = {"last_completed_on": D(2024, 2, 29), "reassessment_interval_months": 12}
    assert _in_sql(due_dates.assessment_update_due_on_sql, **arguments) == D(2025, 2, 28)


@pytest.mark.parametrize("last_completed_on", [None, D(2024, 2, 29), D(2023, 6, 1)])
def test_the_next_assessment_agrees(last_completed_on: dt.date | None) -> None:
    arguments = {
        "application_date": D(2023, 1, 31),
        "last_completed_on": last_completed_on,
        "initial_assessment_days": 30,
        "reassessment_interval_months": 12,
    }
    assert _in_sql(
        due_dates.next_assessment_due_on_sql, **arguments
    ) == due_dates.next_assessment_due_on(**arguments)


@pytest.mark.parametrize(("day", "days"), DAYS)
def test_the_service_plan_agrees(day: dt.date, days: int) -> None:
    arguments = {"first_assessment_completed_on": day}
    assert _in_sql(due_dates.service_plan_due_on_sql, **arguments) == (
        due_dates.service_plan_due_on(**arguments)
    )


@pytest.mark.parametrize("last_reviewed_on", [None, D(2028, 2, 29), D(2025, 12, 1)])
@pytest.mark.parametrize(("approved_on", "days"), DAYS)
def test_the_plan_review_agrees(
    approved_on: dt.date, days: int, last_reviewed_on: dt.date | None
) -> None:
    arguments = {
        "approved_on": approved_on,
        "last_reviewed_on": last_reviewed_on,
        "plan_review_interval_days": days,
    }
    assert _in_sql(due_dates.plan_review_due_on_sql, **arguments) == (
        due_dates.plan_review_due_on(**arguments)
    )


@pytest.mark.parametrize("last_contact_on", [None, D(2024, 2, 29)])
@pytest.mark.parametrize(("application_date", "days"), DAYS)
def test_the_next_contact_agrees(
    application_date: dt.date, days: int, last_contact_on: dt.date | None
) -> None:
    arguments = {
        "application_date": application_date,
        "last_contact_on": last_contact_on,
        "max_days_between_contacts": days,
    }
    assert _in_sql(due_dates.next_contact_due_on_sql, **arguments) == (
        due_dates.next_contact_due_on(**arguments)
    )
