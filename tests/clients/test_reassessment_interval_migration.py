"""clients 0003: the program's reassessment interval in days becomes calendar months."""

import importlib

import pytest

migration = importlib.import_module("clients.migrations.0003_reassessment_interval_in_months")


@pytest.mark.parametrize(
    ("days", "months"), [(365, 12), (366, 12), (180, 6), (183, 6), (90, 3), (10, 1), (1, 1)]
)
def test_it_converts_days_to_months(days: int, months: int) -> None:
    assert migration.months_for(days) == months


@pytest.mark.parametrize(("months", "days"), [(12, 365), (6, 183), (3, 91), (1, 30)])
def test_it_converts_months_back_to_days(months: int, days: int) -> None:
    assert migration.days_for(months) == days
