"""The staff activity log's figures (reports.activity), against hand-computed expectations."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import User
from clients import contact_rules
from clients.models import Contact, Enrollment
from reports import activity
from reports.activity import MONTH, WEEK
from tests import factories
from tests.reports.conftest import local

MARCH_1, APRIL_15 = dt.date(2026, 3, 1), dt.date(2026, 4, 15)


def _report(viewer: User, by: str = activity.BY_CASE_MANAGER, kind: str = MONTH):
    return activity.activity_report(viewer=viewer, start=MARCH_1, end=APRIL_15, kind=kind, by=by)


@pytest.fixture
def logged(frozen: None, alice: User) -> Enrollment:
    """alice's contacts around the March/April boundary (hand-computed in the tests below)."""
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2026, 1, 5)
    )
    contact = factories.ContactFactory
    contact(enrollment=enrollment, occurred_at=local(2026, 2, 28, 23, 59), duration_minutes=30)
    contact(
        enrollment=enrollment,
        occurred_at=local(2026, 3, 31, 23, 59),
        contact_type=Contact.Type.HOME_VISIT,
        duration_minutes=50,
        travel_minutes=10,
    )
    contact(
        enrollment=enrollment,
        occurred_at=local(2026, 3, 10),
        contact_type=Contact.Type.ATTEMPTED,
        duration_minutes=10,
    )
    contact(
        enrollment=enrollment,
        occurred_at=local(2026, 3, 15),
        contact_type=Contact.Type.VIDEO,
        duration_minutes=8,
    )
    contact(enrollment=enrollment, occurred_at=local(2026, 4, 1, 0, 0), duration_minutes=22)
    # A second enrollment from 2 April, and one closed on 31 March (not open at March's end).
    factories.EnrollmentFactory(case_manager=alice, application_date=dt.date(2026, 4, 2))
    factories.EnrollmentFactory(
        case_manager=alice,
        application_date=dt.date(2026, 1, 5),
        status=Enrollment.Status.CLOSED,
        closed_on=dt.date(2026, 3, 31),
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )
    return enrollment


def test_it_counts_a_contact_at_2359_on_the_last_day_of_the_month_in_that_month(logged) -> None:
    march, april = _report(logged.case_manager).rows
    assert march.by_type["home_visit"] == 1
    assert april.by_type["home_visit"] == 0


def test_it_counts_a_contact_at_midnight_on_the_first_in_the_new_month(logged) -> None:
    march, april = _report(logged.case_manager).rows
    assert (march.by_type["phone"], april.by_type["phone"]) == (1, 1)


def test_it_leaves_out_a_contact_before_the_range(logged) -> None:
    march, april = _report(logged.case_manager).rows
    assert march.contacts + april.contacts == 4


def test_it_computes_march_as_by_hand(logged) -> None:
    march = _report(logged.case_manager).rows[0]
    assert march.by_type == {
        "face_to_face": 0,
        "home_visit": 1,
        "phone": 1,  # the video call
        "collateral": 0,
        "attempted": 1,
    }
    assert (march.contacts, march.minutes, march.travel_minutes) == (3, 68, 10)
    # 60 minutes: 4 units; 8 minutes: 1 unit; an attempt: none.
    assert march.units == 5
    # One client, reached twice (the attempt reached no one); one enrollment open at 31 March.
    assert (march.clients_seen, march.open_caseload, march.caseload_share) == (1, 1, 1.0)


def test_it_computes_april_as_by_hand(logged) -> None:
    april = _report(logged.case_manager).rows[1]
    assert (april.contacts, april.minutes, april.units, april.clients_seen) == (1, 22, 1, 1)
    assert (april.open_caseload, april.caseload_share) == (2, 0.5)


def test_it_cuts_the_last_period_at_the_end_of_the_range(logged) -> None:
    april = _report(logged.case_manager).rows[1].period
    assert (april.start, april.end, april.label) == (
        dt.date(2026, 4, 1),
        APRIL_15,
        "01 Apr 2026 to 15 Apr 2026",
    )


def test_it_labels_a_whole_month_by_its_name(logged) -> None:
    assert _report(logged.case_manager).rows[0].period.label == "March 2026"


def test_it_buckets_by_iso_week(logged) -> None:
    rows = _report(logged.case_manager, kind=WEEK).rows
    with_contacts = [(r.period.key, r.contacts) for r in rows if r.contacts]
    # Sunday 15 March is the week of Monday 9 March; Tuesday 31 March 23:59 and Wednesday
    # 1 April 00:00 are both the week of Monday 30 March.
    assert with_contacts == [(dt.date(2026, 3, 9), 2), (dt.date(2026, 3, 30), 2)]


def test_a_case_manager_sees_only_her_own_contacts(logged, bob: User) -> None:
    factories.ContactFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob), occurred_at=local(2026, 3, 3)
    )
    assert {row.key_id for row in _report(logged.case_manager).rows} == {logged.case_manager.pk}


def test_a_supervisor_sees_her_team_and_not_another(logged, bob, sam, charlie) -> None:
    factories.ContactFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob), occurred_at=local(2026, 3, 3)
    )
    factories.ContactFactory(
        enrollment=factories.EnrollmentFactory(case_manager=charlie), occurred_at=local(2026, 3, 3)
    )
    assert {row.label for row in _report(sam).rows} == {
        "Alice " + logged.case_manager.last_name,
        "Bob " + bob.last_name,
    }


def test_an_administrator_sees_the_agency(logged, charlie, ada) -> None:
    factories.ContactFactory(
        enrollment=factories.EnrollmentFactory(case_manager=charlie), occurred_at=local(2026, 3, 3)
    )
    assert {row.key_id for row in _report(ada).rows} == {logged.case_manager.pk, charlie.pk}


def test_it_rolls_up_per_team(logged, bob, sam) -> None:
    factories.ContactFactory(
        enrollment=factories.EnrollmentFactory(
            case_manager=bob, application_date=dt.date(2026, 1, 5)
        ),
        occurred_at=local(2026, 3, 3),
        duration_minutes=15,
    )
    march = _report(sam, by=activity.BY_TEAM).rows[0]
    assert (march.label, march.contacts, march.units, march.clients_seen) == ("North Team", 4, 6, 2)
    assert march.open_caseload == 2


def test_it_rolls_up_per_region_and_program(logged, sam) -> None:
    by_region = _report(sam, by=activity.BY_REGION).rows
    by_program = _report(sam, by=activity.BY_PROGRAM).rows
    assert by_region[0].label == logged.team.region.name
    assert {r.label for r in by_program} >= {logged.program.name}


def test_it_shows_an_open_caseload_without_contacts(frozen, alice) -> None:
    factories.EnrollmentFactory(case_manager=alice, application_date=dt.date(2026, 1, 5))
    march = _report(alice).rows[0]
    assert (march.contacts, march.open_caseload, march.caseload_share) == (0, 1, 0.0)


def test_the_share_of_no_caseload_is_none(frozen, sam, alice) -> None:
    enrollment = factories.EnrollmentFactory(case_manager=alice)
    factories.ContactFactory(enrollment=enrollment, author=sam, occurred_at=local(2026, 3, 3))
    row = next(r for r in _report(sam).rows if r.key_id == sam.pk)
    assert row.caseload_share is None


def test_every_contact_type_is_in_exactly_one_group() -> None:
    grouped = [t for types in activity.TYPE_GROUPS.values() for t in types]
    assert sorted(grouped) == sorted(Contact.Type.values)


@pytest.mark.django_db
def test_the_sql_units_agree_with_the_python_rule(enrollment) -> None:
    cases = [
        (contact_type, minutes, travel)
        for contact_type in (Contact.Type.PHONE, Contact.Type.ATTEMPTED)
        for minutes in (0, 7, 8, 14, 15, 22, 23, 29, 30, 37, 38, 60, 61)
        for travel in (0, 7)
    ]
    for contact_type, minutes, travel in cases:
        factories.ContactFactory(
            enrollment=enrollment,
            contact_type=contact_type,
            duration_minutes=minutes,
            travel_minutes=travel,
        )
    sql = Contact.objects.annotate(units_sql=activity.billable_units_sql()).values_list(
        "contact_type", "duration_minutes", "travel_minutes", "units_sql"
    )
    for contact_type, minutes, travel, units in sql:
        expected = contact_rules.billable_units(
            contact_type=contact_type, duration_minutes=minutes, travel_minutes=travel
        )
        assert units == expected, (contact_type, minutes, travel)


def test_periods_between_cut_the_first_and_last_weeks() -> None:
    periods = activity.periods_between(dt.date(2026, 3, 4), dt.date(2026, 3, 17), WEEK)
    assert [(p.key, p.start, p.end) for p in periods] == [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 4), dt.date(2026, 3, 8)),
        (dt.date(2026, 3, 9), dt.date(2026, 3, 9), dt.date(2026, 3, 15)),
        (dt.date(2026, 3, 16), dt.date(2026, 3, 16), dt.date(2026, 3, 17)),
    ]


def test_periods_between_cross_a_year_by_month() -> None:
    periods = activity.periods_between(dt.date(2025, 12, 31), dt.date(2026, 2, 1), MONTH)
    assert [p.key for p in periods] == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_the_default_range_is_this_month_and_the_two_before() -> None:
    assert activity.default_range(dt.date(2026, 1, 20)) == (
        dt.date(2025, 11, 1),
        dt.date(2026, 1, 20),
    )


def test_add_years_takes_29_february_to_28_february() -> None:
    assert activity.add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
