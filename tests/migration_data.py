"""The rows that data migrations write (the default outcome measures, the default record-review
checklist), put back after a transactional test's flush.

A transactional test (the browser tests, the real worker) ends by emptying every table, and
under xdist the tests after it in the same worker would otherwise run without the defaults
that every real database has from ``migrate``. The migrations' own functions put them back,
so the tests see exactly what a migrated database holds.
"""

from __future__ import annotations

import importlib

from django.apps import apps

from outcomes.models import Measure
from quality.models import Benchmark

# (the migration module, a model it fills)
DATA_MIGRATIONS = (
    ("outcomes.migrations.0001_outcome_measures_schedules_and_defaults", Measure),
    ("quality.migrations.0002_default_benchmarks_from_the_seeds", Benchmark),
)


def restore() -> None:
    """Re-run each data migration whose rows are gone (one ``exists`` query each otherwise)."""
    for module, model in DATA_MIGRATIONS:
        if not model.objects.exists():
            importlib.import_module(module).add_defaults(apps, None)
