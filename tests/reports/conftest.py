"""Reports fixtures: a frozen Wednesday, 15 April 2026 at noon in the agency's time zone
(America/Boise, UTC-6 then)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

FROZEN = dt.datetime(2026, 4, 15, 18, 0, tzinfo=dt.UTC)


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield
