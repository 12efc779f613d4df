"""Record-review fixtures: a frozen Wednesday, 4 March 2026 at 13:00 in the agency's time zone
(America/Boise), and a sample of alice's records drawn by quinn."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield
