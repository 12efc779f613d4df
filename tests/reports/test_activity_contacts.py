"""The staff log's contacts one by one (reports.activity.contact_rows, behind the contact
export): one row per contact in the order recorded, the local day and time, read a chunk at a
time after the last one read."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import User
from clients.models import Contact, Enrollment
from reports import activity
from tests import factories
from tests.reports.conftest import local

pytestmark = pytest.mark.django_db


def _rows(viewer: User) -> list[list]:
    contacts = activity.contacts_between(
        viewer, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    return list(activity.contact_rows(contacts))


def test_a_row_holds_the_local_day_and_time_the_author_and_the_units(
    frozen: None, alice: User, enrollment: Enrollment
) -> None:
    # 23:30 in Boise on 31 March is 1 April in UTC: still March's, at 23:30.
    factories.ContactFactory(
        enrollment=enrollment, occurred_at=local(2026, 3, 31, 23, 30),
        contact_type=Contact.Type.HOME_VISIT, duration_minutes=38, travel_minutes=0,
    )  # fmt: skip
    [row] = _rows(alice)
    assert row[:3] == [dt.date(2026, 3, 31), "23:30", alice.get_full_name()]
    assert row[3] == enrollment.client.record_number
    assert row[6:] == ["Home visit", 38, 0, 3]  # 38 minutes: two units and 8 minutes, a third


def test_every_contact_is_read_once_across_chunks(
    frozen: None, alice: User, enrollment: Enrollment, monkeypatch
) -> None:
    monkeypatch.setattr(activity, "CONTACT_CHUNK_ROWS", 2)
    made = [
        factories.ContactFactory(enrollment=enrollment, occurred_at=local(2026, 3, day))
        for day in (5, 1, 9, 3, 7)
    ]
    days = [row[0].day for row in _rows(alice)]
    assert days == [c.occurred_at.day for c in made]  # the order recorded


def test_a_case_manager_reads_only_her_own_contacts(
    frozen: None, alice: User, bob: User, enrollment: Enrollment
) -> None:
    factories.ContactFactory(enrollment=enrollment, occurred_at=local(2026, 3, 2))
    factories.ContactFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob), occurred_at=local(2026, 3, 3)
    )
    assert [row[2] for row in _rows(alice)] == [alice.get_full_name()]
