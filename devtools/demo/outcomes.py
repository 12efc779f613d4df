"""The demo's outcome measures: each program's schedule, and measures over time for most demo
episodes (the intake a few days after the application, then a follow-up at the program's
interval up to today, and the discharge of an episode that closed), some clients improving,
some not; one open episode in four left without any, so that some intake measures are due and
not recorded (the "outcome measures due" flag and the client page's "overdue"); one intake
corrected, so a correction shows.

Open episodes are written through outcomes.services like any case manager's; a closed
episode's earlier measures are written as the service would have written them while it was
open (the service takes only a discharge once an episode has closed). Every episode is planned
from its own ``random.Random`` keyed on its record number and program, whatever the database
holds, and an episode that already has measures is left alone, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from clients.models import Enrollment, Program
from clients.services import DEMO_RECORD_PREFIX
from outcomes import services
from outcomes.models import Measure, MeasureValue, Occasion, OutcomeMeasurement
from outcomes.models import ProgramOutcomeSchedule as Schedule
from outcomes.schedule import program_measures

# The substance-use program follows up every 60 days; the others keep the defaults.
SCHEDULES = {"sud-op": {"intake_within_days": 30, "follow_up_interval_days": 60}}
NOTES = (
    "Asked at the home visit with the client and a parent.",
    "Client answered by phone; the family rating agreed with the parent.",
    "Taken at the office; client brought the housing letter.",
)
TRAJECTORIES = ("better", "better", "better", "same", "worse")
UNMEASURED_SHARE = 0.25


def _ensure_schedules() -> None:
    defaults = list(Measure.objects.filter(is_default=True))
    for program in Program.objects.order_by("pk"):
        schedule, created = Schedule.objects.get_or_create(
            program=program, defaults=SCHEDULES.get(program.code, {})
        )
        if created:
            schedule.measures.set(defaults)


def _value(measure: Measure, start: int, step: int, rng: random.Random) -> int | str:
    """The measure's value ``step`` measurements after the intake (0: the intake): moving by
    ``step`` toward better (negative: worse), on the measure's own scale."""
    if measure.is_categorical:
        top = len(measure.categories) - 1
        return measure.categories[max(0, min(top, start + step))]
    maximum = measure.maximum or measure.minimum
    change = step * max(1, measure.meaningful_change) + rng.randint(-1, 1)
    moved = start + change if measure.direction == "higher" else start - change
    return max(measure.minimum, min(maximum, moved))


def _start(measure: Measure, rng: random.Random) -> int:
    if measure.is_categorical:
        return rng.randint(0, len(measure.categories) - 2)
    maximum = measure.maximum or measure.minimum
    if measure.direction == "higher":
        return rng.randint(measure.minimum, max(measure.minimum, (measure.minimum + maximum) // 2))
    return rng.randint(min(maximum, 2 + measure.meaningful_change), min(maximum, 20))


def _occasions(
    enrollment: Enrollment, interval: int, today: dt.date, rng: random.Random
) -> list[tuple[str, dt.date]]:
    last_day = enrollment.closed_on or today
    day = enrollment.application_date + dt.timedelta(days=rng.randint(3, 20))
    occasions: list[tuple[str, dt.date]] = []
    while day <= last_day:
        occasions.append((Occasion.FOLLOW_UP if occasions else Occasion.INTAKE, day))
        day += dt.timedelta(days=interval - rng.randint(0, 10))
    if enrollment.closed_on is not None and occasions:
        occasions.append((Occasion.DISCHARGE, enrollment.closed_on))
    return occasions


def _write(
    enrollment: Enrollment, occasion: str, day: dt.date, values: dict[str, Any], note: str
) -> OutcomeMeasurement:
    if enrollment.is_open:
        return services.measurement_record(
            actor=enrollment.case_manager, enrollment=enrollment, occasion=occasion,
            measured_on=day, values=values, note=note,
        )  # fmt: skip
    measurement = OutcomeMeasurement.objects.create(
        enrollment=enrollment, occasion=occasion, measured_on=day, note=note,
        recorded_by=enrollment.case_manager,
    )  # fmt: skip
    by_code = {m.code: m for m in Measure.objects.filter(code__in=values)}
    MeasureValue.objects.bulk_create(
        MeasureValue(
            measurement=measurement,
            measure=by_code[code],
            number=None if isinstance(value, str) else value,
            category=value if isinstance(value, str) else "",
        )
        for code, value in values.items()
    )
    return measurement


def _write_episode(
    enrollment: Enrollment, measures: tuple[Measure, ...], interval: int, today: dt.date
) -> None:
    rng = random.Random(f"outcomes-{enrollment.client.record_number}-{enrollment.program.code}")
    trajectory = rng.choice(TRAJECTORIES)
    direction = {"better": 1, "same": 0, "worse": -1}[trajectory]
    starts = {m.code: _start(m, rng) for m in measures}
    for step, (occasion, day) in enumerate(_occasions(enrollment, interval, today, rng)):
        values = {
            m.code: _value(m, starts[m.code], direction * step, rng)
            for m in measures
            if rng.random() > 0.08  # now and then a measure is not asked
        }
        if not values:
            values = {measures[0].code: _value(measures[0], starts[measures[0].code], 0, rng)}
        _write(enrollment, occasion, day, values, rng.choice(NOTES))


def _correct_one_intake() -> None:
    """The first demo intake, corrected once (a day count misheard), unless one already is."""
    if OutcomeMeasurement.objects.filter(corrects__isnull=False).exists():
        return
    intake = (
        OutcomeMeasurement.objects.current()
        .filter(occasion=Occasion.INTAKE, enrollment__status=Enrollment.Status.OPEN)
        .filter(values__measure__code="substance_use_days")
        .select_related("enrollment")
        .order_by("enrollment__client__record_number", "pk")
        .first()
    )
    if intake is None:
        return
    values: dict[str, Any] = {
        v.measure.code: v.category or v.number for v in intake.values.select_related("measure")
    }
    values["substance_use_days"] = min(30, int(values["substance_use_days"]) + 2)
    services.measurement_correct(
        actor=intake.enrollment.case_manager,
        measurement=intake,
        measured_on=intake.measured_on,
        values=values,
        reason="Client recounted the days of use with the calendar.",
        note=intake.note,
    )


def _left_unmeasured(enrollment: Enrollment) -> bool:
    """One open episode in four has no measures (decided by its record number and program
    alone, so every run leaves out the same ones)."""
    key = f"unmeasured-{enrollment.client.record_number}-{enrollment.program.code}"
    return random.Random(key).random() < UNMEASURED_SHARE


def write_outcomes(*, today: dt.date) -> None:
    """Schedules for every program, then measures for the demo episodes that have none."""
    _ensure_schedules()
    enrollments = list(
        Enrollment.objects.filter(client__record_number__startswith=DEMO_RECORD_PREFIX)
        .exclude(outcome_measurements__isnull=False)
        .select_related("client", "case_manager", "program")
        .order_by("client__record_number", "program_id")
    )
    if not enrollments:
        return
    schedules = program_measures({e.program_id for e in enrollments})
    for enrollment in enrollments:
        if enrollment.is_open and _left_unmeasured(enrollment):
            continue
        schedule = schedules[enrollment.program_id]
        _write_episode(enrollment, schedule.measures, schedule.follow_up_interval_days, today)
    _correct_one_intake()
