"""contact_record, contact_correct and contact_add_addendum."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from time_machine import TimeMachineFixture

from accounts.models import User
from clients import services
from clients.models import Contact, ContactAddendum, Enrollment

pytestmark = pytest.mark.django_db

BOISE = ZoneInfo("America/Boise")
NOW = dt.datetime(2026, 3, 1, 9, tzinfo=BOISE)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


def record(actor: User, enrollment: Enrollment, **overrides: object) -> Contact:
    values: dict[str, object] = {
        "occurred_at": NOW - dt.timedelta(hours=1),
        "contact_type": Contact.Type.PHONE,
        "duration_minutes": 20,
        "travel_minutes": 0,
        "participants": "Client and mother",
        "note": "Talked through the morning routine; school twice this week.",
    }
    values.update(overrides)
    return services.contact_record(actor=actor, enrollment=enrollment, **values)


def assert_refused(field: str, actor: User, enrollment: Enrollment, **overrides: object) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record(actor, enrollment, **overrides)
    assert field in excinfo.value.message_dict
    assert not Contact.objects.exists()


# --- contact_record ---------------------------------------------------------------------------


def test_it_records_a_contact(alice: User, enrollment: Enrollment) -> None:
    contact = record(alice, enrollment)
    assert contact.author == alice
    assert contact.enrollment == enrollment


def test_it_takes_the_client_from_the_enrollment(alice: User, enrollment: Enrollment) -> None:
    contact = record(alice, enrollment)
    assert contact.client_id == enrollment.client_id


def test_it_lets_the_supervisor_record_on_the_teams_enrollment(
    sam: User, enrollment: Enrollment
) -> None:
    contact = record(sam, enrollment, contact_type=Contact.Type.CRISIS_INTERVENTION)
    assert contact.author == sam


def test_it_accepts_a_contact_within_the_clock_skew(alice: User, enrollment: Enrollment) -> None:
    contact = record(alice, enrollment, occurred_at=NOW + dt.timedelta(minutes=4))
    assert contact.pk is not None


def test_it_accepts_an_attempted_contact_without_a_note(
    alice: User, enrollment: Enrollment
) -> None:
    contact = record(
        alice, enrollment, contact_type=Contact.Type.ATTEMPTED, duration_minutes=2, note=""
    )
    assert contact.pk is not None


def test_it_refuses_a_contact_in_the_future(alice: User, enrollment: Enrollment) -> None:
    assert_refused("occurred_at", alice, enrollment, occurred_at=NOW + dt.timedelta(minutes=6))


def test_it_refuses_negative_minutes(alice: User, enrollment: Enrollment) -> None:
    assert_refused("duration_minutes", alice, enrollment, duration_minutes=-1)


def test_it_refuses_negative_travel_minutes(alice: User, enrollment: Enrollment) -> None:
    assert_refused("travel_minutes", alice, enrollment, travel_minutes=-5)


def test_it_refuses_a_contact_longer_than_a_day(alice: User, enrollment: Enrollment) -> None:
    assert_refused("duration_minutes", alice, enrollment, duration_minutes=1441)


def test_it_accepts_a_contact_of_exactly_a_day(alice: User, enrollment: Enrollment) -> None:
    contact = record(
        alice, enrollment, occurred_at=NOW - dt.timedelta(days=2), duration_minutes=1440
    )
    assert contact.duration_minutes == 1440


def test_it_refuses_contact_and_travel_over_a_day(alice: User, enrollment: Enrollment) -> None:
    assert_refused("travel_minutes", alice, enrollment, duration_minutes=1400, travel_minutes=41)


def test_it_refuses_an_empty_note_on_a_crisis_intervention(
    alice: User, enrollment: Enrollment
) -> None:
    assert_refused(
        "note", alice, enrollment, contact_type=Contact.Type.CRISIS_INTERVENTION, note=""
    )


def test_it_refuses_a_blank_note_on_a_crisis_intervention(
    alice: User, enrollment: Enrollment
) -> None:
    assert_refused(
        "note", alice, enrollment, contact_type=Contact.Type.CRISIS_INTERVENTION, note="  \n\t "
    )


def test_it_refuses_a_closed_enrollment(alice: User, enrollment: Enrollment) -> None:
    services.enrollment_close(
        actor=alice,
        enrollment=enrollment,
        closed_on=NOW.date(),
        close_reason=Enrollment.CloseReason.LOST_CONTACT,
    )
    assert_refused("enrollment", alice, enrollment)


def test_it_refuses_an_enrollment_of_another_team(
    alice: User, charlie: User, enrollment: Enrollment
) -> None:
    assert_refused("enrollment", charlie, enrollment)


def test_it_refuses_a_colleagues_enrollment(bob: User, enrollment: Enrollment) -> None:
    assert_refused("enrollment", bob, enrollment)


@pytest.mark.parametrize("who", ["ada", "quinn"])
def test_it_does_not_let_administrators_or_qa_reviewers_record(
    who: str, enrollment: Enrollment, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(who), enrollment)
    assert not Contact.objects.exists()


# --- contact_correct --------------------------------------------------------------------------


def test_it_lets_the_author_correct_within_24_hours(
    clock: TimeMachineFixture, alice: User, enrollment: Enrollment
) -> None:
    contact = record(alice, enrollment)
    clock.move_to(NOW + dt.timedelta(hours=23, minutes=59), tick=False)
    services.contact_correct(actor=alice, contact=contact, note="Corrected note.")
    contact.refresh_from_db()
    assert contact.note == "Corrected note."


def test_it_refuses_a_correction_at_24_hours(
    clock: TimeMachineFixture, alice: User, enrollment: Enrollment
) -> None:
    contact = record(alice, enrollment)
    original = contact.note
    clock.move_to(NOW + dt.timedelta(hours=24), tick=False)
    with pytest.raises(ValidationError):
        services.contact_correct(actor=alice, contact=contact, note="Corrected note.")
    contact.refresh_from_db()
    assert contact.note == original


def test_it_validates_a_correction_like_a_new_contact(alice: User, enrollment: Enrollment) -> None:
    contact = record(alice, enrollment)
    with pytest.raises(ValidationError) as excinfo:
        services.contact_correct(actor=alice, contact=contact, duration_minutes=1441)
    assert "duration_minutes" in excinfo.value.message_dict
    contact.refresh_from_db()
    assert contact.duration_minutes == 20


@pytest.mark.parametrize("who", ["sam", "bob", "charlie", "ada"])
def test_it_does_not_let_anyone_but_the_author_correct(
    who: str, alice: User, enrollment: Enrollment, request: pytest.FixtureRequest
) -> None:
    contact = record(alice, enrollment)
    with pytest.raises(PermissionDenied):
        services.contact_correct(
            actor=request.getfixturevalue(who), contact=contact, note="Not mine to change."
        )
    contact.refresh_from_db()
    assert contact.note.startswith("Talked through")


# --- contact_add_addendum ---------------------------------------------------------------------


def test_it_adds_an_addendum_after_the_window_and_keeps_the_original(
    clock: TimeMachineFixture, alice: User, enrollment: Enrollment
) -> None:
    contact = record(alice, enrollment)
    original = contact.note
    clock.move_to(NOW + dt.timedelta(days=3), tick=False)
    addendum = services.contact_add_addendum(
        actor=alice, contact=contact, note="Mother called back: attendance confirmed."
    )
    contact.refresh_from_db()
    assert contact.note == original
    assert list(contact.addenda.all()) == [addendum]


def test_it_lets_the_supervisor_add_an_addendum(
    alice: User, sam: User, enrollment: Enrollment
) -> None:
    contact = record(alice, enrollment)
    services.contact_add_addendum(actor=sam, contact=contact, note="Reviewed in supervision.")
    assert contact.addenda.get().author == sam


@pytest.mark.parametrize("note", ["", "   "])
def test_it_refuses_an_empty_addendum(alice: User, enrollment: Enrollment, note: str) -> None:
    contact = record(alice, enrollment)
    with pytest.raises(ValidationError) as excinfo:
        services.contact_add_addendum(actor=alice, contact=contact, note=note)
    assert "note" in excinfo.value.message_dict
    assert not ContactAddendum.objects.exists()


@pytest.mark.parametrize("who", ["bob", "charlie", "ada"])
def test_it_does_not_let_others_add_an_addendum(
    who: str, alice: User, enrollment: Enrollment, request: pytest.FixtureRequest
) -> None:
    contact = record(alice, enrollment)
    with pytest.raises(PermissionDenied):
        services.contact_add_addendum(
            actor=request.getfixturevalue(who), contact=contact, note="Not my client."
        )
    assert not ContactAddendum.objects.exists()
