"""The continuity-of-care report's discharge rows: clients discharged from detox or inpatient
treatment (the date on their enrollment) and the days to their first contact in the program,
against the hand-computed ``discharges`` fixture (tests/outcomes/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clients.models import Contact
from tests import factories
from tests.helpers import assert_list_queries_constant
from tests.outcomes.conftest import contact_on, discharged

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:continuity")
PERIOD = {"start": "2026-01-01", "end": "2026-02-28"}


def _rows(client, user, **query):
    client.force_login(user)
    response = client.get(URL, {**PERIOD, **query})
    assert response.status_code == 200
    return response.context["rows"]


def _figures(row):
    return (row.sent, row.engaged, row.engaged_within, row.decided, row.waiting)


def _by_source(rows):
    return {r.source: r for r in rows}


def test_it_counts_the_detox_discharges_in_the_period(client, alice, discharges) -> None:
    row = _by_source(_rows(client, alice))["After detox"]
    assert _figures(row) == (5, 3, 2, 4, 1)


def test_it_gives_the_median_days_from_the_discharge(client, alice, discharges) -> None:
    row = _by_source(_rows(client, alice))["After detox"]
    assert row.median_days == 14  # of 14, 15 and 3


def test_it_gives_the_share_within_14_days(client, alice, discharges) -> None:
    row = _by_source(_rows(client, alice))["After detox"]
    assert (row.within_share, row.within_percent) == (0.5, 50)


def test_it_counts_the_inpatient_discharges_apart(client, alice, discharges) -> None:
    row = _by_source(_rows(client, alice))["After inpatient or residential treatment"]
    assert (_figures(row), row.median_days) == ((1, 1, 1, 1, 0), 2)


def test_its_rows_are_the_programs_with_the_kind_of_discharge(client, alice, discharges) -> None:
    rows = _rows(client, alice)
    assert [(r.program, r.provider, r.source) for r in rows] == [
        ("Recovery support", None, "After detox"),
        ("Recovery support", None, "After inpatient or residential treatment"),
    ]


def test_the_first_contact_on_day_14_counts_within(client, alice, program, frozen) -> None:
    enrollment = discharged(alice, program, dt.date(2026, 1, 5))
    contact_on(enrollment, dt.date(2026, 1, 19), at=dt.time(23, 30))  # 20 January in UTC
    (row,) = _rows(client, alice)
    assert (row.engaged_within, row.median_days) == (1, 14)


def test_the_first_contact_on_day_15_does_not(client, alice, program, frozen) -> None:
    enrollment = discharged(alice, program, dt.date(2026, 1, 5))
    contact_on(enrollment, dt.date(2026, 1, 20), at=dt.time(0, 30))
    (row,) = _rows(client, alice)
    assert (row.engaged, row.engaged_within, row.decided, row.median_days) == (1, 0, 1, 15)


def test_a_contact_before_the_discharge_date_does_not_count(client, alice, program, frozen) -> None:
    enrollment = discharged(alice, program, dt.date(2026, 1, 5))
    contact_on(enrollment, dt.date(2026, 1, 4), at=dt.time(23, 59))
    (row,) = _rows(client, alice)
    assert (row.engaged, row.engaged_within, row.decided) == (0, 0, 1)


def test_a_contact_on_the_discharge_date_counts_as_day_0(client, alice, program, frozen) -> None:
    enrollment = discharged(alice, program, dt.date(2026, 1, 5))
    contact_on(enrollment, dt.date(2026, 1, 5), at=dt.time(0, 5))
    (row,) = _rows(client, alice)
    assert (row.engaged_within, row.median_days) == (1, 0)


def test_an_attempted_contact_does_not_count(client, alice, program, frozen) -> None:
    enrollment = discharged(alice, program, dt.date(2026, 1, 5))
    contact_on(enrollment, dt.date(2026, 1, 6), kind=Contact.Type.ATTEMPTED)
    (row,) = _rows(client, alice)
    assert (row.engaged, row.engaged_within, row.decided) == (0, 0, 1)


def test_a_discharge_still_within_its_days_waits(client, alice, program, frozen) -> None:
    discharged(alice, program, dt.date(2026, 2, 18))  # 14 days before today: still open
    (row,) = _rows(client, alice)
    assert (row.sent, row.decided, row.waiting, row.within_percent) == (1, 0, 1, None)


def test_another_teams_enrollment_is_not_counted(client, alice, charlie, discharges) -> None:
    (row,) = _rows(client, charlie)
    assert (row.source, _figures(row)) == ("After detox", (1, 1, 1, 1, 0))
    assert _figures(_by_source(_rows(client, alice))["After detox"])[0] == 5


def test_an_administrator_counts_the_agency(client, ada, discharges) -> None:
    assert _figures(_by_source(_rows(client, ada))["After detox"])[0] == 6


def test_a_teammate_does_not_count_another_caseload(client, bob, discharges) -> None:
    assert _rows(client, bob) == []


def test_the_discharge_rows_follow_the_programs_providers(
    client, alice, referrals, discharges
) -> None:
    rows = _rows(client, alice)
    assert [r.source for r in rows] == [
        "Harbor IOP",
        "After detox",
        "After inpatient or residential treatment",
    ]


def test_its_queries_do_not_grow_with_rows(client, ada, alice, frozen) -> None:
    client.force_login(ada)

    def record(n: int) -> None:
        for _ in range(n):  # a program each: a row each
            enrollment = discharged(alice, factories.ProgramFactory(), dt.date(2026, 1, 5))
            contact_on(enrollment, dt.date(2026, 1, 9))
            contact_on(enrollment, dt.date(2026, 1, 8), kind=Contact.Type.ATTEMPTED)

    assert_list_queries_constant(
        client,
        URL + "?start=2026-01-01&end=2026-02-28",
        record,
        rows_of=lambda r: len(r.context["rows"]),
    )


def test_the_page_says_what_is_counted(client, alice, discharges) -> None:
    client.force_login(alice)
    page = client.get(URL, PERIOD).content.decode()
    assert "discharged from detox or from inpatient or residential treatment" in page
    assert "After inpatient or residential treatment" in page
