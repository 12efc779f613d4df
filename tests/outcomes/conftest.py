"""Outcomes fixtures: a frozen Wednesday, 4 March 2026 at 13:00 in the agency's time zone, and
``record`` to take measures through the service as the enrollment's case manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from clients.models import Enrollment
from outcomes import services
from outcomes.models import OutcomeMeasurement

FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 4)

Record = Callable[..., OutcomeMeasurement]


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def record_measures(
    enrollment: Enrollment, occasion: str, measured_on: dt.date, **values: Any
) -> OutcomeMeasurement:
    return services.measurement_record(
        actor=enrollment.case_manager,
        enrollment=enrollment,
        occasion=occasion,
        measured_on=measured_on,
        values=values,
    )


@pytest.fixture
def record(frozen: None) -> Record:
    return record_measures
