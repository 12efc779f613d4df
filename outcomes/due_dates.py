"""When outcome measures are due (TIP 27, ACCSA module 19: client outcomes measured at intake,
during care and at discharge).

The intake (baseline) measurement is due ``intake_within_days`` after the application date;
after any measurement, the next follow-up is due ``follow_up_interval_days`` after it. Both
come from the program's ``ProgramOutcomeSchedule``; a program without one follows the agency
defaults below, so a program created after the data migration needs nothing written to be
measured (its administrator adds a schedule in the admin to change them). A due date is met on
the day itself, as every compliance rule: overdue from the day after.

The discharge measurement is recorded when the episode ends; it is not flagged, since the
compliance engine flags open enrollments only (it may be recorded up to
DISCHARGE_RECORDING_DAYS after the enrollment closed).

``measurement_due_on`` is the rule in Python (the client page); ``measurement_due_on_sql`` the
same rule in SQL (the compliance rule); tests check that they agree.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import DateField, F, IntegerField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce

from serviceplans.due_dates import plus_days, plus_days_sql

DEFAULT_INTAKE_WITHIN_DAYS = 30
DEFAULT_FOLLOW_UP_INTERVAL_DAYS = 90
DISCHARGE_RECORDING_DAYS = 30


def measurement_due_on(
    *,
    application_date: dt.date,
    last_measured_on: dt.date | None,
    intake_within_days: int = DEFAULT_INTAKE_WITHIN_DAYS,
    follow_up_interval_days: int = DEFAULT_FOLLOW_UP_INTERVAL_DAYS,
) -> dt.date:
    """The day the next measurement is due: the intake's before any, else the follow-up's."""
    if last_measured_on is None:
        return plus_days(application_date, intake_within_days)
    return plus_days(last_measured_on, follow_up_interval_days)


def intake_within_days_sql(program_path: str = "program") -> Coalesce:
    """The program's intake days in SQL, the default where it has no schedule (LEFT JOIN)."""
    return Coalesce(
        F(f"{program_path}__outcome_schedule__intake_within_days"),
        Value(DEFAULT_INTAKE_WITHIN_DAYS),
        output_field=IntegerField(),
    )


def follow_up_interval_days_sql(program_path: str = "program") -> Coalesce:
    return Coalesce(
        F(f"{program_path}__outcome_schedule__follow_up_interval_days"),
        Value(DEFAULT_FOLLOW_UP_INTERVAL_DAYS),
        output_field=IntegerField(),
    )


def measurement_due_on_sql(
    *,
    application_date: Combinable,
    last_measured_on: Combinable,
    intake_within_days: Combinable,
    follow_up_interval_days: Combinable,
) -> Coalesce:
    """``measurement_due_on`` in SQL: (last + interval), or (application + intake days) where
    there is no measurement (NULL + n is NULL, so COALESCE falls through to the intake)."""
    return Coalesce(
        plus_days_sql(last_measured_on, follow_up_interval_days),
        plus_days_sql(application_date, intake_within_days),
        output_field=DateField(),
    )
