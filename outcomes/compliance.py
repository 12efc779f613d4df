"""The "outcome measures due" compliance rule, registered with the engine's rule registry
(supervision.rules) by OutcomesConfig.ready(): supervision does not import this app.

Set-based like supervision's own rules: one query answers it for every enrollment open on
``as_of``, with its due date written in SQL from outcomes.due_dates. Only measurements taken
on or before ``as_of`` count, and only the current version of each (a corrected measurement
counts by its correction's date).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import DateField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value

from clients.models import Enrollment
from outcomes import due_dates
from outcomes.models import OutcomeMeasurement
from supervision.rules import Rule

OUTCOME_MEASURES_DUE = "outcome_measures_due"


def outcome_measures_overdue(
    as_of: dt.date, enrollments: QuerySet[Enrollment]
) -> QuerySet[Enrollment]:
    """The intake measures not taken ``intake_within_days`` after the application, or the
    follow-up not taken ``follow_up_interval_days`` after the last measurement (TIP 27,
    ACCSA module 19: client outcomes measured over the episode). Due on the day itself."""
    last_measured = (
        OutcomeMeasurement.objects.current()
        .filter(enrollment=OuterRef("pk"), measured_on__lte=as_of)
        .order_by("-measured_on")
        .values("measured_on")[:1]
    )
    return (
        enrollments.filter(application_date__lte=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .annotate(last_measured_on=Subquery(last_measured, output_field=DateField()))
        .annotate(
            due_on=due_dates.measurement_due_on_sql(
                application_date=F("application_date"),
                last_measured_on=F("last_measured_on"),
                intake_within_days=due_dates.intake_within_days_sql(),
                follow_up_interval_days=due_dates.follow_up_interval_days_sql(),
            ),
            subject_id=Value(None, output_field=IntegerField()),
        )
        .filter(due_on__lt=as_of)
    )


OUTCOME_RULE = Rule(
    code=OUTCOME_MEASURES_DUE,
    label="Outcome measures due",
    name="Outcome measures not recorded",
    standard="TIP 27 (ACCSA module 19), evaluation: client outcomes measured at intake, at "
    "the program's interval and at discharge",
    satisfied_by="Record the client's outcome measures (intake first, then the follow-up).",
    resolution="Outcome measures recorded.",
    due=outcome_measures_overdue,
)
