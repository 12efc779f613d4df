"""The due-date functions: plain dates in, a date out, at the boundaries."""

import datetime as dt

from serviceplans.due_dates import (
    due_status,
    initial_assessment_due_on,
    next_assessment_due_on,
    plan_review_due_on,
)


def _next(application: dt.date, last: dt.date | None, initial: int = 30, interval: int = 12):
    return next_assessment_due_on(
        application_date=application,
        last_completed_on=last,
        initial_assessment_days=initial,
        reassessment_interval_months=interval,
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


def test_it_makes_the_update_due_on_the_anniversary_of_the_last_completion() -> None:
    assert _next(dt.date(2025, 1, 10), dt.date(2025, 2, 1)) == dt.date(2026, 2, 1)


def test_it_makes_the_update_due_on_the_anniversary_across_a_29_february() -> None:
    # 365 days would make it due 2024-05-31, a day early: "at least annually" is the anniversary.
    assert _next(dt.date(2023, 5, 1), dt.date(2023, 6, 1)) == dt.date(2024, 6, 1)


def test_it_makes_the_update_due_on_29_february_four_years_on() -> None:
    assert _next(dt.date(2028, 1, 15), dt.date(2028, 2, 29), interval=48) == dt.date(2032, 2, 29)


def test_it_ends_a_months_interval_on_the_last_day_of_a_shorter_month() -> None:
    assert _next(dt.date(2024, 1, 2), dt.date(2024, 1, 31), interval=1) == dt.date(2024, 2, 29)
    assert _next(dt.date(2023, 1, 2), dt.date(2023, 1, 31), interval=1) == dt.date(2023, 2, 28)
    assert _next(dt.date(2024, 8, 2), dt.date(2024, 8, 31), interval=6) == dt.date(2025, 2, 28)


def test_it_counts_an_early_reassessment_from_its_completion() -> None:
    assert _next(dt.date(2024, 1, 10), dt.date(2024, 2, 1)) == dt.date(2025, 2, 1)
    # The update done early, on 2024-11-01: the next counts from then, not from 2025-02-01.
    assert _next(dt.date(2024, 1, 10), dt.date(2024, 11, 1)) == dt.date(2025, 11, 1)


def test_it_starts_a_new_clock_for_a_reopened_enrollment() -> None:
    reopened_application = dt.date(2026, 6, 1)
    assert _next(reopened_application, None) == dt.date(2026, 7, 1)


def test_it_recomputes_when_the_programs_standard_changes() -> None:
    assert _next(dt.date(2026, 3, 1), None, initial=14) == dt.date(2026, 3, 15)
    assert _next(dt.date(2026, 3, 1), dt.date(2026, 3, 10), interval=6) == dt.date(2026, 9, 10)


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


def test_it_calls_a_date_due_soon_within_its_threshold_through_the_day_itself() -> None:
    today = dt.date(2026, 3, 1)
    assert due_status(due_on=dt.date(2026, 3, 8), today=today, soon_within=7).is_due_soon
    assert due_status(due_on=dt.date(2026, 3, 1), today=today, soon_within=7).is_due_soon
    assert not due_status(due_on=dt.date(2026, 3, 9), today=today, soon_within=7).is_due_soon


def test_it_does_not_call_an_overdue_date_due_soon() -> None:
    status = due_status(due_on=dt.date(2026, 2, 28), today=dt.date(2026, 3, 1), soon_within=7)
    assert not status.is_due_soon


def test_it_gives_each_standing_its_tone() -> None:
    today = dt.date(2026, 3, 1)
    assert due_status(due_on=dt.date(2026, 2, 28), today=today, soon_within=7).tone == "danger"
    assert due_status(due_on=dt.date(2026, 3, 8), today=today, soon_within=7).tone == "warning"
    assert due_status(due_on=dt.date(2026, 3, 9), today=today, soon_within=7).tone == "light"
