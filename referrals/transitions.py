"""The referral lifecycle (DESIGN.md step 4): which step may follow which, and when the next
follow-up is due. Pure, so the UI offers only allowed steps and the services refuse the rest.

draft → sent → (waitlisted | accepted | declined by provider | declined by client)
→ appointment scheduled → attended → engaged (retained) | closed with an outcome.
"""

from __future__ import annotations

import datetime as dt

from referrals.models import ReferralStatus as S
from serviceplans.due_dates import plus_days

ALLOWED: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SENT}),
    S.SENT: frozenset({S.WAITLISTED, S.ACCEPTED, S.DECLINED_BY_PROVIDER, S.DECLINED_BY_CLIENT}),
    S.WAITLISTED: frozenset({S.ACCEPTED, S.DECLINED_BY_PROVIDER, S.DECLINED_BY_CLIENT, S.CLOSED}),
    S.ACCEPTED: frozenset({S.APPOINTMENT_SCHEDULED, S.DECLINED_BY_CLIENT, S.CLOSED}),
    S.DECLINED_BY_PROVIDER: frozenset({S.CLOSED}),
    S.DECLINED_BY_CLIENT: frozenset({S.CLOSED}),
    S.APPOINTMENT_SCHEDULED: frozenset({S.ATTENDED, S.APPOINTMENT_SCHEDULED, S.CLOSED}),
    S.ATTENDED: frozenset({S.ENGAGED, S.CLOSED}),
    S.ENGAGED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Steps after which nothing is left to follow up.
FINISHED = frozenset({S.ENGAGED, S.CLOSED})
# A follow-up shows as coming up from this many days before its date.
FOLLOW_UP_DUE_SOON_DAYS = 3


def allowed_next(status: str) -> frozenset[str]:
    return ALLOWED[status]


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, frozenset())


def follow_up_due_on(
    *, to_status: str, occurred_on: dt.date, follow_up_days: int
) -> dt.date | None:
    """After sending, and after every later step, the case manager follows up within the
    program's referral follow-up days; an engaged or closed referral needs no follow-up."""
    if to_status in FINISHED or to_status == S.DRAFT:
        return None
    return plus_days(occurred_on, follow_up_days)
