"""The demo's outcome measures (devtools.demo.outcomes): measures over time, some improved and
some not, a correction, at least one intake due and not recorded, and nothing added the
second time. Seeded once for the module, rolled back at the end (as tests/devtools/
test_seed_demo.py does)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from accounts.models import User
from casemgmt.dates import today
from outcomes import selectors
from outcomes.compliance import OUTCOME_MEASURES_DUE
from outcomes.models import MeasureValue, OutcomeMeasurement, ProgramOutcomeSchedule
from supervision.models import Flag
from tests import migration_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        migration_data.restore()
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_has_measures_at_every_occasion(seeded: None) -> None:
    occasions = set(OutcomeMeasurement.objects.values_list("occasion", flat=True))
    assert occasions == {"intake", "follow_up", "discharge"}


def test_the_demo_has_a_correction(seeded: None) -> None:
    assert OutcomeMeasurement.objects.filter(corrects__isnull=False).count() == 1


def test_the_demo_has_an_intake_due_and_not_recorded(seeded: None) -> None:
    assert Flag.objects.open().filter(rule=OUTCOME_MEASURES_DUE).exists()


def test_the_demo_report_has_clients_improved_and_not(seeded: None) -> None:
    rows = selectors.outcomes_report(
        viewer=User.objects.get(username="diana"),
        start=today() - dt.timedelta(days=364),
        end=today(),
    )
    assert sum(r.improved for r in rows) > 0
    assert sum(r.worsened + r.unchanged for r in rows) > 0


def test_every_program_has_a_schedule(seeded: None) -> None:
    assert ProgramOutcomeSchedule.objects.filter(follow_up_interval_days=60).exists()


def test_a_second_run_adds_nothing(seeded: None) -> None:
    before = (OutcomeMeasurement.objects.count(), MeasureValue.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (OutcomeMeasurement.objects.count(), MeasureValue.objects.count()) == before


def test_the_demo_continuity_report_has_both_kinds_of_discharge(seeded: None) -> None:
    rows = selectors.continuity_report(
        viewer=User.objects.get(username="diana"),
        start=today() - dt.timedelta(days=364),
        end=today(),
        today=today(),
    )
    discharges = [r for r in rows if r.provider is None]
    assert {r.source for r in discharges} == {
        "After detox",
        "After inpatient or residential treatment",
    }
    assert {r.program for r in discharges} == {"Substance Use Outpatient"}
    assert sum(r.engaged for r in discharges) > 0
