"""The due-date functions: plain dates in, a date out, at the boundaries."""

import datetime as dt

from serviceplans.due_dates import (
    due_status,
    initial_assessment_due_on,
    next_assessment_due_on,
    plan_review_due_on,
)


def _next(application: dt.date, last: dt.date | None, initial: int = 30, interval: int = 365):
    return next_assessment_due_on(
        application_date=application,
        last_completed_on=last,
        initial_assessment_days=initial,
        reassessment_interval_days=interval,
    )


def test_it_makes_the_initial_assessment_due_30_days_after_application() -> None:
    due = initial_assessment_due_on(
        application_date=dt.date(2026, 3, 1), initial_assessment_days=30
    )
    assert due == dt.date(2026, 3, 31)


def test_it_counts_day_30_as_on_time_and_day_31_as_overdue() -> None:
    due = initial_assessment_due_on(
        application_date=dt.date(2026, 3, 1), initial_assessment_days=30
    )
    assert not due_status(due_on=due, today=dt.date(2026, 3, 31)).is_overdue
    assert due_status(due_on=due, today=dt.date(2026, 4, 1)).is_overdue


def test_it_handles_an_application_on_29_february() -> None:
    assert _next(dt.date(2028, 2, 29), None) == dt.date(2028, 3, 30)


def test_it_makes_the_update_due_a_year_after_an_assessment_on_29_february() -> None:
    assert _next(dt.date(2028, 1, 15), dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_it_makes_the_update_due_365_days_after_the_last_completion() -> None:
    assert _next(dt.date(2025, 1, 10), dt.date(2025, 2, 1)) == dt.date(2026, 2, 1)


def test_it_counts_an_early_reassessment_from_its_completion() -> None:
    # Initial completed 2024-02-01: the update is due 2025-01-31 (2024 is a leap year).
    assert _next(dt.date(2024, 1, 10), dt.date(2024, 2, 1)) == dt.date(2025, 1, 31)
    # The update done early, on 2024-11-01: the next counts from then, not from 2025-01-31.
    assert _next(dt.date(2024, 1, 10), dt.date(2024, 11, 1)) == dt.date(2025, 11, 1)


def test_it_starts_a_new_clock_for_a_reopened_enrollment() -> None:
    reopened_application = dt.date(2026, 6, 1)
    assert _next(reopened_application, None) == dt.date(2026, 7, 1)


def test_it_recomputes_when_the_programs_standard_changes() -> None:
    assert _next(dt.date(2026, 3, 1), None, initial=14) == dt.date(2026, 3, 15)
    assert _next(dt.date(2026, 3, 1), dt.date(2026, 3, 10), interval=180) == dt.date(2026, 9, 6)


def test_it_makes_the_first_plan_review_due_the_interval_after_approval() -> None:
    due = plan_review_due_on(
        approved_on=dt.date(2026, 1, 31), last_reviewed_on=None, plan_review_interval_days=90
    )
    assert due == dt.date(2026, 5, 1)


def test_it_makes_the_next_plan_review_due_the_interval_after_the_last_review() -> None:
    due = plan_review_due_on(
        approved_on=dt.date(2026, 1, 31),
        last_reviewed_on=dt.date(2026, 4, 20),
        plan_review_interval_days=90,
    )
    assert due == dt.date(2026, 7, 19)


def test_it_labels_a_due_date_ahead() -> None:
    assert (
        due_status(due_on=dt.date(2026, 3, 6), today=dt.date(2026, 3, 1)).label == "due in 5 days"
    )


def test_it_labels_a_due_date_today() -> None:
    assert due_status(due_on=dt.date(2026, 3, 1), today=dt.date(2026, 3, 1)).label == "due today"


def test_it_labels_an_overdue_date() -> None:
    status = due_status(due_on=dt.date(2026, 3, 1), today=dt.date(2026, 3, 4))
    assert status.label == "overdue by 3 days"


def test_it_labels_one_day_in_the_singular() -> None:
    assert due_status(due_on=dt.date(2026, 3, 2), today=dt.date(2026, 3, 1)).label == "due in 1 day"
