"""When the next comprehensive assessment and plan review are due. Pure functions of plain
dates and the program's standards, so the caseload, the client page, the API and the nightly
compliance run all compute the same dates, and tests need no database.

Idaho children's mental health clinical case management standards:
7. a completed comprehensive assessment within 30 days of application for services;
8. an updated comprehensive assessment at least annually.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def initial_assessment_due_on(
    *, application_date: dt.date, initial_assessment_days: int
) -> dt.date:
    """The initial comprehensive assessment is due ``initial_assessment_days`` (30) after
    the application date: an application on 1 March is due by 31 March."""
    return application_date + dt.timedelta(days=initial_assessment_days)


def assessment_update_due_on(
    *, last_completed_on: dt.date, reassessment_interval_days: int
) -> dt.date:
    """Each update is due ``reassessment_interval_days`` (365) after the last completed
    comprehensive assessment, counting from its completion, so an early one moves the next
    one earlier too."""
    return last_completed_on + dt.timedelta(days=reassessment_interval_days)


def next_assessment_due_on(
    *,
    application_date: dt.date,
    last_completed_on: dt.date | None,
    initial_assessment_days: int,
    reassessment_interval_days: int,
) -> dt.date:
    """The next comprehensive assessment of an enrollment: the initial one until one has been
    completed, then the update. Each enrollment (episode of care) has its own clock: a client
    who returns in a new enrollment is assessed within 30 days of the new application."""
    if last_completed_on is None:
        return initial_assessment_due_on(
            application_date=application_date, initial_assessment_days=initial_assessment_days
        )
    return assessment_update_due_on(
        last_completed_on=last_completed_on, reassessment_interval_days=reassessment_interval_days
    )


def plan_review_due_on(
    *, approved_on: dt.date, last_reviewed_on: dt.date | None, plan_review_interval_days: int
) -> dt.date:
    """A service plan is reviewed on a schedule (DESIGN.md step 3): the first review is due
    ``plan_review_interval_days`` after its approval, each later one that long after the
    previous review."""
    counted_from = max(approved_on, last_reviewed_on) if last_reviewed_on else approved_on
    return counted_from + dt.timedelta(days=plan_review_interval_days)


@dataclass(frozen=True)
class DueStatus:
    """How a due date stands on a given day: ``days`` until it (negative once overdue)."""

    due_on: dt.date
    days: int

    @property
    def is_overdue(self) -> bool:
        return self.days < 0

    @property
    def label(self) -> str:
        if self.days == 0:
            return "due today"
        if self.days > 0:
            return f"due in {self.days} day{'s' if self.days != 1 else ''}"
        late = -self.days
        return f"overdue by {late} day{'s' if late != 1 else ''}"


def due_status(*, due_on: dt.date, today: dt.date) -> DueStatus:
    """A due date is met on the day itself: overdue starts the day after."""
    return DueStatus(due_on=due_on, days=(due_on - today).days)
