"""Scheduling fixtures: a frozen Wednesday, 4 March 2026 at 13:00 in the agency's time zone
(America/Boise, UTC-7 then), and alice's visit planned for tomorrow at 10:00."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from clients.models import Enrollment
from scheduling.models import PlannedVisit
from tests import factories

FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def visit(frozen: None, enrollment: Enrollment) -> PlannedVisit:
    return factories.PlannedVisitFactory(enrollment=enrollment, scheduled_start=local(2026, 3, 5))


@pytest.fixture
def past_visit(frozen: None, enrollment: Enrollment) -> PlannedVisit:
    """Planned for Monday this week and neither recorded nor marked missed."""
    return factories.PlannedVisitFactory(enrollment=enrollment, scheduled_start=local(2026, 3, 2))
