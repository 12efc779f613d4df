"""The referral lifecycle as a table, and the follow-up date that moves with it."""

import datetime as dt

import pytest

from referrals.models import ReferralStatus as S
from referrals.transitions import follow_up_due_on, is_allowed


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (S.DRAFT, S.SENT),
        (S.SENT, S.WAITLISTED),
        (S.SENT, S.ACCEPTED),
        (S.SENT, S.DECLINED_BY_PROVIDER),
        (S.SENT, S.DECLINED_BY_CLIENT),
        (S.WAITLISTED, S.ACCEPTED),
        (S.ACCEPTED, S.APPOINTMENT_SCHEDULED),
        (S.APPOINTMENT_SCHEDULED, S.ATTENDED),
        (S.ATTENDED, S.ENGAGED),
        (S.ATTENDED, S.CLOSED),
        (S.ENGAGED, S.CLOSED),
    ],
)
def test_it_allows_the_steps_of_the_lifecycle(from_status, to_status) -> None:
    assert is_allowed(from_status, to_status)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (S.DRAFT, S.ACCEPTED),
        (S.SENT, S.ATTENDED),
        (S.ACCEPTED, S.ATTENDED),
        (S.CLOSED, S.SENT),
        (S.CLOSED, S.ENGAGED),
        (S.ENGAGED, S.SENT),
    ],
)
def test_it_refuses_steps_out_of_order(from_status, to_status) -> None:
    assert not is_allowed(from_status, to_status)


def test_it_makes_the_follow_up_due_the_programs_days_after_sending() -> None:
    due = follow_up_due_on(to_status=S.SENT, occurred_on=dt.date(2026, 3, 1), follow_up_days=14)
    assert due == dt.date(2026, 3, 15)


def test_it_moves_the_follow_up_with_each_step() -> None:
    due = follow_up_due_on(
        to_status=S.ACCEPTED, occurred_on=dt.date(2026, 3, 10), follow_up_days=14
    )
    assert due == dt.date(2026, 3, 24)


@pytest.mark.parametrize("status", [S.ENGAGED, S.CLOSED])
def test_it_needs_no_follow_up_once_engaged_or_closed(status) -> None:
    assert (
        follow_up_due_on(to_status=status, occurred_on=dt.date(2026, 3, 1), follow_up_days=14)
        is None
    )
