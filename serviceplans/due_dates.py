"""When the next comprehensive assessment, service plan, plan review and contact are due: each
rule written once, as a pure function of plain dates and the program's standards AND as the SQL
expression that computes the same date in a query, built from the same constants and the same
date arithmetic. The caseload and the client page (serviceplans.selectors.with_assessment_due),
the API and the nightly compliance run (supervision.compliance) all use these, and a test holds
each Python rule and its SQL to the same answers on boundary days.

Idaho DHW children's mental health clinical case management standards (source document
003_83bf9ff00bc1b54f among the project's seeds):
6. monitoring service interventions, documented in a timely way;
7. a completed comprehensive assessment within 30 days of application for services;
8. an updated comprehensive assessment at least annually;
9. a service plan outlining the interventions.

Days and months: a standard "within N days" counts days (PostgreSQL: ``date + integer``);
"annually" is the anniversary, a number of calendar months (PostgreSQL: ``date + interval``),
so that an assessment completed on 1 June 2023 is next due on 1 June 2024 although 2024 has a
29 February. A date that does not exist in the target month falls on the month's last day
(29 February + 12 months = 28 February), as PostgreSQL's interval arithmetic gives.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import DateField, ExpressionWrapper, Func
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, Greatest

# A service plan within this many days of the first completed comprehensive assessment
# (standard 9 gives no span, and Program has no such standard yet: until it does, every
# program gets the 30 days the standards give the assessment itself).
PLAN_AFTER_ASSESSMENT_DAYS = 30

# "Due soon": how many days ahead a due date is shown as coming up. An assessment takes a week
# to arrange with the family; a plan review, held with the client and the team, two.
ASSESSMENT_DUE_SOON_DAYS = 7
PLAN_REVIEW_DUE_SOON_DAYS = 14

# My work (workspace.my_work) lists what is overdue, whatever its age, and what falls due or is
# scheduled within this many days: two weeks, so that a home visit or a plan review can still
# be arranged with the family in time.
MY_WORK_WINDOW_DAYS = 14

# --- Date arithmetic, in Python and in SQL ----------------------------------------------------


def plus_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def plus_days_sql(day: Combinable, days: Combinable | int) -> ExpressionWrapper:
    """``plus_days`` in SQL: PostgreSQL's ``date + integer`` is the date that many days later."""
    return ExpressionWrapper(day + days, output_field=DateField())


def plus_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or the last day of that month when it is
    shorter (31 January + 1 month = 28 or 29 February; 29 February + 12 months = 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class _PlusMonths(Func):
    # PostgreSQL: date + interval is a timestamp (clamped to the month's last day); cast back.
    template = "CAST(%(expressions)s AS date)"
    arg_joiner = " + INTERVAL '1 month' * "
    output_field = DateField()


def plus_months_sql(day: Combinable, months: Combinable | int) -> Func:
    """``plus_months`` in SQL. The day is cast to a date, so that a NULL day gives a NULL date
    (an untyped NULL plus an interval would be an interval)."""
    return _PlusMonths(Cast(day, DateField()), months)


# --- The rules --------------------------------------------------------------------------------


def initial_assessment_due_on(
    *, application_date: dt.date, initial_assessment_days: int
) -> dt.date:
    """The initial comprehensive assessment is due ``initial_assessment_days`` (30) after
    the application date (standard 7): an application on 1 March is due by 31 March."""
    return plus_days(application_date, initial_assessment_days)


def initial_assessment_due_on_sql(
    *, application_date: Combinable, initial_assessment_days: Combinable
) -> ExpressionWrapper:
    return plus_days_sql(application_date, initial_assessment_days)


def assessment_update_due_on(
    *, last_completed_on: dt.date, reassessment_interval_months: int
) -> dt.date:
    """Each update is due ``reassessment_interval_months`` (12: "at least annually", standard
    8) calendar months after the last completed comprehensive assessment, on its anniversary,
    counting from its completion, so an early one moves the next one earlier too."""
    return plus_months(last_completed_on, reassessment_interval_months)


def assessment_update_due_on_sql(
    *, last_completed_on: Combinable, reassessment_interval_months: Combinable
) -> Func:
    return plus_months_sql(last_completed_on, reassessment_interval_months)


def next_assessment_due_on(
    *,
    application_date: dt.date,
    last_completed_on: dt.date | None,
    initial_assessment_days: int,
    reassessment_interval_months: int,
) -> dt.date:
    """The next comprehensive assessment of an enrollment: the initial one until one has been
    completed, then the update. Each enrollment (episode of care) has its own clock: a client
    who returns in a new enrollment is assessed within 30 days of the new application."""
    if last_completed_on is None:
        return initial_assessment_due_on(
            application_date=application_date, initial_assessment_days=initial_assessment_days
        )
    return assessment_update_due_on(
        last_completed_on=last_completed_on,
        reassessment_interval_months=reassessment_interval_months,
    )


def next_assessment_due_on_sql(
    *,
    application_date: Combinable,
    last_completed_on: Combinable,
    initial_assessment_days: Combinable,
    reassessment_interval_months: Combinable,
) -> Coalesce:
    # The update's date is NULL while no assessment has been completed.
    return Coalesce(
        assessment_update_due_on_sql(
            last_completed_on=last_completed_on,
            reassessment_interval_months=reassessment_interval_months,
        ),
        initial_assessment_due_on_sql(
            application_date=application_date, initial_assessment_days=initial_assessment_days
        ),
        output_field=DateField(),
    )


def service_plan_due_on(*, first_assessment_completed_on: dt.date) -> dt.date:
    """The first service plan is due PLAN_AFTER_ASSESSMENT_DAYS after the first completed
    comprehensive assessment (standard 9)."""
    return plus_days(first_assessment_completed_on, PLAN_AFTER_ASSESSMENT_DAYS)


def service_plan_due_on_sql(*, first_assessment_completed_on: Combinable) -> ExpressionWrapper:
    return plus_days_sql(first_assessment_completed_on, PLAN_AFTER_ASSESSMENT_DAYS)


def plan_review_due_on(
    *, approved_on: dt.date, last_reviewed_on: dt.date | None, plan_review_interval_days: int
) -> dt.date:
    """A service plan is reviewed on a schedule (DESIGN.md step 3): the first review is due
    ``plan_review_interval_days`` after its approval, each later one that long after the
    previous review."""
    counted_from = max(approved_on, last_reviewed_on) if last_reviewed_on else approved_on
    return plus_days(counted_from, plan_review_interval_days)


def plan_review_due_on_sql(
    *, approved_on: Combinable, last_reviewed_on: Combinable, plan_review_interval_days: Combinable
) -> ExpressionWrapper:
    # GREATEST ignores NULLs in PostgreSQL: the approval date until the first review.
    return plus_days_sql(Greatest(approved_on, last_reviewed_on), plan_review_interval_days)


def next_contact_due_on(
    *, application_date: dt.date, last_contact_on: dt.date | None, max_days_between_contacts: int
) -> dt.date:
    """Monitoring (standards 6 and 10): a contact is due ``max_days_between_contacts`` after
    the last one, or after the application before the first."""
    return plus_days(last_contact_on or application_date, max_days_between_contacts)


def next_contact_due_on_sql(
    *,
    application_date: Combinable,
    last_contact_on: Combinable,
    max_days_between_contacts: Combinable,
) -> ExpressionWrapper:
    return plus_days_sql(
        Coalesce(last_contact_on, application_date, output_field=DateField()),
        max_days_between_contacts,
    )


# --- How a due date stands on a day -----------------------------------------------------------

Tone = Literal["danger", "warning", "light"]


@dataclass(frozen=True)
class DueStatus:
    """How a due date stands on a given day: ``days`` until it (negative once overdue), and
    whether it is coming up: within ``soon_within`` days (the rule's "due soon" threshold)."""

    due_on: dt.date
    days: int
    soon_within: int = 0

    @property
    def is_overdue(self) -> bool:
        return self.days < 0

    @property
    def is_due_soon(self) -> bool:
        return 0 <= self.days <= self.soon_within

    @property
    def tone(self) -> Tone:
        """How loudly a page shows it: overdue, due soon, or later."""
        if self.is_overdue:
            return "danger"
        return "warning" if self.is_due_soon else "light"

    @property
    def label(self) -> str:
        if self.days == 0:
            return "due today"
        if self.days > 0:
            return f"due in {self.days} day{'s' if self.days != 1 else ''}"
        late = -self.days
        return f"overdue by {late} day{'s' if late != 1 else ''}"


def due_status(*, due_on: dt.date, today: dt.date, soon_within: int = 0) -> DueStatus:
    """A due date is met on the day itself: overdue starts the day after. It is due soon from
    ``soon_within`` days before it through the day itself."""
    return DueStatus(due_on=due_on, days=(due_on - today).days, soon_within=soon_within)
