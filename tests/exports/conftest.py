"""Exports fixtures: a limit of two rows written in a request, so three contacts make a job,
and export files written under the test's own directory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from clients.models import Contact, Enrollment
from tests import factories

IN_REQUEST_MAX_ROWS = 2
CONTACTS_URL = "/reports/activity/contacts/"


@pytest.fixture(autouse=True)
def small_exports(settings, tmp_path) -> None:
    settings.EXPORT_IN_REQUEST_MAX_ROWS = IN_REQUEST_MAX_ROWS
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def three_contacts(enrollment: Enrollment) -> list[Contact]:
    """Three of alice's contacts in the last week: one more than a request writes."""
    now = timezone.now()
    return [
        factories.ContactFactory(enrollment=enrollment, occurred_at=now - dt.timedelta(days=d))
        for d in (1, 2, 3)
    ]


def contacts_query(fmt: str = "csv") -> dict[str, str]:
    today = timezone.localdate()
    return {
        "start": (today - dt.timedelta(days=10)).isoformat(),
        "end": today.isoformat(),
        "format": fmt,
    }


def ask(client, user: User, fmt: str = "csv"):
    client.force_login(user)
    return client.get(CONTACTS_URL, contacts_query(fmt))
