"""The contact log's pure rules: billable units, the correction window, required notes."""

from __future__ import annotations

import datetime as dt

import pytest

from clients import contact_rules
from clients.models import Contact

RECORDED_AT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("duration_minutes", "units"),
    [(0, 0), (7, 0), (8, 1), (15, 1), (22, 1), (23, 2), (30, 2), (37, 2), (38, 3)],
)
def test_it_rounds_minutes_to_billable_units(duration_minutes: int, units: int) -> None:
    assert (
        contact_rules.billable_units(
            contact_type=Contact.Type.PHONE, duration_minutes=duration_minutes, travel_minutes=0
        )
        == units
    )


def test_it_adds_travel_minutes_to_the_billable_time() -> None:
    assert (
        contact_rules.billable_units(
            contact_type=Contact.Type.HOME_VISIT, duration_minutes=15, travel_minutes=8
        )
        == 2
    )


def test_it_bills_nothing_for_an_attempted_contact() -> None:
    assert (
        contact_rules.billable_units(
            contact_type=Contact.Type.ATTEMPTED, duration_minutes=30, travel_minutes=20
        )
        == 0
    )


def test_it_keeps_the_correction_window_open_until_the_last_second() -> None:
    now = RECORDED_AT + dt.timedelta(hours=23, minutes=59, seconds=59)
    assert contact_rules.correction_window_open(recorded_at=RECORDED_AT, now=now)


def test_it_closes_the_correction_window_at_exactly_24_hours() -> None:
    now = RECORDED_AT + dt.timedelta(hours=24)
    assert not contact_rules.correction_window_open(recorded_at=RECORDED_AT, now=now)


@pytest.mark.parametrize(
    "contact_type", [t for t in Contact.Type.values if t != Contact.Type.ATTEMPTED]
)
def test_it_requires_a_note_on_every_contact_made(contact_type: str) -> None:
    assert contact_rules.note_required(contact_type=contact_type)


def test_it_requires_a_note_on_a_crisis_intervention() -> None:
    assert contact_rules.note_required(contact_type=Contact.Type.CRISIS_INTERVENTION)


def test_it_does_not_require_a_note_on_an_attempted_contact() -> None:
    assert not contact_rules.note_required(contact_type=Contact.Type.ATTEMPTED)


def test_every_contact_type_is_explained() -> None:
    assert set(contact_rules.TYPE_EXPLANATIONS) == set(Contact.Type.values)


def test_it_asks_a_clinical_contact_for_a_goal_once_a_plan_is_active() -> None:
    assert contact_rules.requirements(contact_type=Contact.Type.PHONE, plan_active=True) == [
        contact_rules.GOAL_RULE,
        contact_rules.NOTE_RULE,
    ]


def test_it_asks_for_no_goal_without_an_active_plan() -> None:
    assert contact_rules.requirements(contact_type=Contact.Type.PHONE, plan_active=False) == [
        contact_rules.NOTE_RULE
    ]


def test_it_asks_an_attempt_for_neither_goal_nor_note() -> None:
    assert contact_rules.requirements(contact_type=Contact.Type.ATTEMPTED, plan_active=True) == [
        contact_rules.NO_NOTE_RULE
    ]
