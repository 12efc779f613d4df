"""The nightly compliance evaluation timed over the whole agency and over half of it, each
beside its floor."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import connection, transaction

from clients.models import Enrollment
from devtools.benchmark.compliance_floor import compliance_floor
from devtools.postgres import bypass_triggers, may_bypass_triggers
from supervision.compliance import compliance_evaluate

MAX_RATIO = 3.0  # the evaluation's time over its floor's (issue 6)
MAX_GROWTH = 1.25


@dataclass
class ComplianceResult:
    open_enrollments: int
    full: dict[str, float] = field(default_factory=dict)
    half: dict[str, float] = field(default_factory=dict)
    ratio: float | None = None
    growth: float | None = None
    budget: dict[str, bool] = field(default_factory=dict)
    raised: int = 0
    resolved: int = 0

    @property
    def passed(self) -> bool:
        return all(self.budget.values())


def rolled_back(
    work: Callable[[], Any], *, setup: Callable[[], None] | None = None
) -> tuple[float, Any]:
    """Time ``work`` (after an untimed ``setup``) in a transaction that is rolled back, so
    every run starts from the same database and leaves it as it was."""
    with transaction.atomic():
        if setup is not None:
            setup()
        started = time.perf_counter()
        value = work()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, value


def halve_the_agency(*, as_of: dt.date) -> None:
    """An agency of half the size, for the second measurement of the compliance run: close
    the later half of the open enrollments and resolve their open flags, in the caller's
    transaction (rolled back by rolled_back). The triggers are bypassed where allowed only
    to make this set-up quick; they are on again for what is timed."""
    replica = may_bypass_triggers()
    if replica:
        bypass_triggers(True)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH later_half AS (SELECT id FROM clients_enrollment WHERE status = 'open'"
            " ORDER BY id OFFSET (SELECT count(*) / 2 FROM clients_enrollment"
            " WHERE status = 'open'))"
            " UPDATE clients_enrollment e SET status = 'closed', close_reason = 'other',"
            " closed_on = GREATEST(e.application_date, %(as_of)s)"
            " FROM later_half WHERE e.id = later_half.id",
            {"as_of": as_of},
        )
        cursor.execute(
            "UPDATE supervision_flag f SET resolved_on = %(as_of)s, resolved_at = now(),"
            " resolution = 'Enrollment closed.' FROM clients_enrollment e"
            " WHERE e.id = f.enrollment_id AND e.status = 'closed' AND f.resolved_on IS NULL",
            {"as_of": as_of},
        )
    if replica:
        bypass_triggers(False)


def measure_compliance(*, as_of: dt.date, repeat: int) -> ComplianceResult:
    """The nightly run over the whole agency, and over an agency of half its size (the same
    database with half the open enrollments closed), each against its floor."""

    open_count = Enrollment.objects.open().count()
    result = ComplianceResult(open_enrollments=open_count)
    if not open_count:
        return result
    sizes = (
        ("full", open_count, None, result.full),
        ("half", open_count // 2, partial(halve_the_agency, as_of=as_of), result.half),
    )
    for label, count, setup, target in sizes:
        engine, floor = [], []
        for _ in range(repeat):
            seconds, report = rolled_back(lambda: compliance_evaluate(as_of=as_of), setup=setup)
            engine.append(seconds)
            if label == "full":
                result.raised, result.resolved = report.raised, report.resolved
            floor.append(
                rolled_back(lambda: compliance_floor(as_of=as_of, ids=None), setup=setup)[0]
            )
        engine_s, floor_s = statistics.median(engine), statistics.median(floor)
        target.update(
            enrollments=max(count, 1),
            seconds=round(engine_s, 3),
            floor_seconds=round(floor_s, 3),
            seconds_per_10k=round(engine_s / max(count, 1) * 10_000, 3),
            floor_seconds_per_10k=round(floor_s / max(count, 1) * 10_000, 3),
        )
    if not connection.in_atomic_block:
        # The rolled-back halvings left dead rows behind: clear them for whatever runs next.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE clients_enrollment, supervision_flag")
    result.ratio = round(result.full["seconds"] / max(result.full["floor_seconds"], 1e-6), 1)
    result.growth = round(
        result.full["seconds_per_10k"] / max(result.half["seconds_per_10k"], 1e-6), 2
    )
    result.budget = {
        f"<= {MAX_RATIO:g}x floor": result.ratio <= MAX_RATIO,
        f"linear (per 10k at all <= {MAX_GROWTH:g}x at half)": result.growth <= MAX_GROWTH,
    }
    return result
