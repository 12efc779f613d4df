"""Readiness, risk and adherence screens: a positive item alerts the team's supervisor at once
(DESIGN.md step 2; CFP bulletin 18B-08)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from clients.models import Enrollment
from serviceplans import services
from serviceplans.models import RISK_ITEMS, Adherence, RiskAlert, RiskScreen, StageOfChange

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 in America/Boise


def _record(actor: User, enrollment: Enrollment, **answers: object) -> RiskScreen:
    answers.setdefault("screened_on", timezone.localdate())
    return services.risk_screen_record(actor=actor, enrollment=enrollment, **answers)  # type: ignore[arg-type]


def test_it_records_readiness_and_adherence(alice: User, enrollment: Enrollment) -> None:
    screen = _record(
        alice,
        enrollment,
        mental_health_stage=StageOfChange.PREPARATION,
        substance_use_stage=StageOfChange.PRECONTEMPLATION,
        medication_adherence=Adherence.PARTIAL,
        appointment_adherence=Adherence.GOOD,
        notes="Missed one refill.",
    )
    fresh = RiskScreen.objects.get(pk=screen.pk)
    assert (fresh.author, fresh.mental_health_stage, fresh.medication_adherence) == (
        alice,
        "preparation",
        "partial",
    )


def test_it_records_a_negative_screen_without_an_alert(alice: User, enrollment: Enrollment):
    screen = _record(alice, enrollment)
    assert not screen.positive
    assert not RiskAlert.objects.exists()


@pytest.mark.parametrize("item", [name for name, _ in RISK_ITEMS])
def test_it_marks_a_screen_with_any_item_positive(
    alice: User, enrollment: Enrollment, item: str
) -> None:
    screen = _record(alice, enrollment, **{item: True})
    assert RiskScreen.objects.get(pk=screen.pk).positive


def test_it_alerts_the_enrollments_team_at_once(alice: User, enrollment: Enrollment) -> None:
    with time_machine.travel(FROZEN, tick=False):
        screen = _record(alice, enrollment, suicidal_ideation=True)
    alert = RiskAlert.objects.get()
    assert (alert.risk_screen, alert.team, alert.raised_at) == (screen, enrollment.team, FROZEN)
    assert alert.reviewed_at is None


def test_it_alerts_once_per_positive_screen(alice: User, enrollment: Enrollment) -> None:
    _record(alice, enrollment, crisis=True, aggressive_behaviour=True)
    assert RiskAlert.objects.count() == 1


def test_it_lets_the_supervisor_record_a_screen(sam: User, enrollment: Enrollment) -> None:
    screen = _record(sam, enrollment, domestic_violence=True)
    assert screen.author == sam
    assert RiskAlert.objects.get().risk_screen == screen


def test_it_accepts_a_screen_of_today(alice: User, enrollment: Enrollment) -> None:
    with time_machine.travel(FROZEN, tick=False):
        screen = _record(alice, enrollment, screened_on=dt.date(2026, 3, 2))
    assert screen.screened_on == dt.date(2026, 3, 2)


def test_it_refuses_a_screen_dated_in_the_future(alice: User, enrollment: Enrollment) -> None:
    with time_machine.travel(FROZEN, tick=False), pytest.raises(ValidationError) as error:
        _record(alice, enrollment, screened_on=dt.date(2026, 3, 3), crisis=True)
    assert "screened_on" in error.value.message_dict
    assert not RiskScreen.objects.exists()
    assert not RiskAlert.objects.exists()


def test_it_refuses_an_unknown_stage_of_change(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as error:
        _record(alice, enrollment, mental_health_stage="denial", crisis=True)
    assert "mental_health_stage" in error.value.message_dict
    assert not RiskScreen.objects.exists()
    assert not RiskAlert.objects.exists()


def test_it_refuses_a_teammate_not_on_the_caseload(bob: User, enrollment: Enrollment) -> None:
    with pytest.raises(PermissionDenied):
        _record(bob, enrollment, crisis=True)
    assert not RiskScreen.objects.exists()


def test_it_refuses_another_team(charlie: User, enrollment: Enrollment) -> None:
    with pytest.raises(PermissionDenied):
        _record(charlie, enrollment, crisis=True)
    assert not RiskScreen.objects.exists()


@pytest.mark.parametrize("reader", ["ada", "quinn"])
def test_it_refuses_administrators_and_qa_reviewers(
    request: pytest.FixtureRequest, enrollment: Enrollment, reader: str
) -> None:
    with pytest.raises(PermissionDenied):
        _record(request.getfixturevalue(reader), enrollment, crisis=True)
    assert not RiskScreen.objects.exists()
    assert not RiskAlert.objects.exists()


def test_it_keeps_screens_in_history(alice: User, enrollment: Enrollment) -> None:
    screen = _record(alice, enrollment, crisis=True)
    events = RiskScreen.pgh_event_model.objects.filter(pgh_obj=screen)  # type: ignore[attr-defined]
    assert [(e.pgh_label, e.crisis, e.positive) for e in events] == [("insert", True, True)]
