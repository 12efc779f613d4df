"""What the contact log decides: billable units, the correction window, required notes.

Pure functions of plain values, so they are tested without a database and shared by the
web forms, the API and any later report.
"""

from __future__ import annotations

import datetime as dt

UNIT_MINUTES = 15
# A remainder of this many minutes or more adds a unit (the 8-minute midpoint rule below); also
# read by the staff activity log's SQL (reports.activity.billable_units_sql).
UNIT_REMAINDER_MINUTES = UNIT_MINUTES // 2 + 1
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
    return whole + (1 if remainder >= UNIT_REMAINDER_MINUTES else 0)


def correction_window_open(*, recorded_at: dt.datetime, now: dt.datetime) -> bool:
    """The author may correct a contact within 24 hours of recording it; then only addenda."""
    return now - recorded_at < CORRECTION_WINDOW


def note_required(*, contact_type: str) -> bool:
    """Every contact is documented with a note, except an attempt where no one was reached."""
    return contact_type != ATTEMPTED


# --- What each contact type asks for, in words shown before Save -------------------------------

# Contact types that are clinical case management and so serve a goal of the active plan
# (DESIGN.md step 5: "clinical case management must relate to a goal"); collateral contacts,
# case conferences and attempts are about the client, not with them.
CLINICAL_CONTACT_TYPES = frozenset(
    {"face_to_face", "home_visit", "phone", "video", "crisis_intervention"}
)

GOAL_RULE = "Name at least one goal of the active plan this contact served."
NOTE_RULE = "Write a note: every contact is documented, except an attempt where no one was reached."
NO_NOTE_RULE = "No note is required for an attempt; no units are billed."

# What each type means, written once and shown beside the Type choices (the staff log's types,
# DESIGN.md step 5; collateral contacts and phone time are billable case management activity,
# seed 004 "What you need to know about clinical case management").
TYPE_EXPLANATIONS: dict[str, str] = {
    "face_to_face": "In person with the client, anywhere but their home: office, school, clinic.",
    "home_visit": "In person with the client at their own home.",
    "phone": "A phone call with the client or their family.",
    "video": "A video call with the client or their family.",
    "collateral": "With someone else about the client (a teacher, doctor, another agency), "
    "not with the client.",
    "case_conference": "A meeting of the people and agencies serving the client about the client.",
    "crisis_intervention": "Responding to a crisis: safety, de-escalation, urgent linkage.",
    "attempted": "You tried to reach the client and no one was reached.",
}


def goal_required(*, contact_type: str) -> bool:
    """A clinical contact serves at least one goal of the active plan, once a plan is active
    (serviceplans.services.contact_goals_check enforces it)."""
    return contact_type in CLINICAL_CONTACT_TYPES


def requirements(*, contact_type: str, plan_active: bool) -> list[str]:
    """The rules a contact of this type must meet, in words, so the form shows them before Save
    rather than as errors after it; the same predicates as the checks."""
    rules = []
    if plan_active and goal_required(contact_type=contact_type):
        rules.append(GOAL_RULE)
    rules.append(NOTE_RULE if note_required(contact_type=contact_type) else NO_NOTE_RULE)
    return rules
