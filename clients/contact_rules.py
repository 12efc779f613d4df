"""What the contact log decides: billable units, the correction window, required notes.

Pure functions of plain values, so they are tested without a database and shared by the
web forms, the API and any later report.
"""

from __future__ import annotations

import datetime as dt

UNIT_MINUTES = 15
CORRECTION_WINDOW = dt.timedelta(hours=24)
MAX_MINUTES = 24 * 60

ATTEMPTED = "attempted"


def billable_units(*, contact_type: str, duration_minutes: int, travel_minutes: int) -> int:
    """Billable 15-minute units for a contact.

    Rounding rule (the "8-minute" midpoint rule used for timed 15-minute units): the billable
    minutes are the contact's duration plus its travel time (travel and phone time are
    billable case management activity, "What you need to know about clinical case
    management"); every whole 15 minutes is one unit, and a remainder of 8 minutes or more
    adds one more unit. So 7 minutes is 0 units, 8 is 1, 22 is 1, 23 is 2. An attempted
    contact (no one reached) bills nothing.
    """
    if contact_type == ATTEMPTED:
        return 0
    minutes = duration_minutes + travel_minutes
    whole, remainder = divmod(minutes, UNIT_MINUTES)
    return whole + (1 if remainder >= UNIT_MINUTES // 2 + 1 else 0)


def correction_window_open(*, recorded_at: dt.datetime, now: dt.datetime) -> bool:
    """The author may correct a contact within 24 hours of recording it; then only addenda."""
    return now - recorded_at < CORRECTION_WINDOW


def note_required(*, contact_type: str) -> bool:
    """Every contact is documented with a note, except an attempt where no one was reached."""
    return contact_type != ATTEMPTED
