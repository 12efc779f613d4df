"""Outcome measures over time: for most synthetic episodes the intake a few days after the
application, a follow-up at the program's interval up to the end of the episode, and the
discharge of a closed one, each with a value per measure of the program (now and then one not
asked); some episodes improve, some hold, some worsen. About one open episode in seven has
none, so the "outcome measures due" rule has work at scale too."""

from __future__ import annotations

import random

from devtools.scale.copy import CopyBatch
from devtools.scale.loader import EnrollmentPlan, Loader, load_per_enrollment, rng_for
from outcomes.models import Measure, MeasureValue, Occasion, OutcomeMeasurement
from outcomes.schedule import ProgramMeasures, program_measures

MEASUREMENT_COLUMNS = [
    "id",
    "enrollment_id",
    "occasion",
    "measured_on",
    "note",
    "recorded_by_id",
    "corrects_id",
    "correction_reason",
    "is_current",
    "created_at",
]
VALUE_COLUMNS = ["id", "measurement_id", "measure_id", "number", "category"]
UNMEASURED_SHARE = 1 / 7
NOT_ASKED_SHARE = 0.08
# Per episode, the measures move this many meaningful changes per measurement.
DIRECTIONS = (1, 1, 1, 0, -1)
NOTE = "Asked at the visit."


def load_outcomes(loader: Loader) -> None:
    load_per_enrollment(loader, OutcomeLoader)


class OutcomeLoader:
    def __init__(self, loader: Loader, batch: CopyBatch) -> None:
        self.loader = loader
        self.days = loader.days
        self.rng = rng_for(loader.seed, "outcomes")
        by_id = program_measures(p.pk for p in loader.programs)
        self.schedules: list[ProgramMeasures] = [by_id[p.pk] for p in loader.programs]
        self.measurements = batch.table(OutcomeMeasurement, MEASUREMENT_COLUMNS)
        self.values = batch.table(MeasureValue, VALUE_COLUMNS)

    def counts(self) -> dict[str, int]:
        return {"outcome measurements": self.measurements.rows, "measure values": self.values.rows}

    def enrollment(self, e: EnrollmentPlan) -> None:
        rng = self.rng
        if e.is_open and rng.random() < UNMEASURED_SHARE:
            return
        schedule = self.schedules[e.program]
        if not schedule.measures:
            return
        direction = rng.choice(DIRECTIONS)
        starts = [_start(m, rng) for m in schedule.measures]
        for step, (occasion, day) in enumerate(_occasions(e, schedule, rng)):
            measurement_id = self.loader.take(OutcomeMeasurement)
            self.measurements.row(
                measurement_id, e.id, occasion, self.days.iso(day), NOTE,
                self.loader.staff.case_managers[e.cm], None, "", True, self.days.ts(day),
            )  # fmt: skip
            for measure, start in zip(schedule.measures, starts, strict=True):
                if rng.random() < NOT_ASKED_SHARE:
                    continue
                number, category = _value(measure, start, direction * step, rng)
                self.values.row(
                    self.loader.take(MeasureValue), measurement_id, measure.pk, number, category
                )


def _occasions(
    e: EnrollmentPlan, schedule: ProgramMeasures, rng: random.Random
) -> list[tuple[str, int]]:
    day = e.app + rng.randint(2, 25)
    occasions: list[tuple[str, int]] = []
    while day <= e.end:
        occasions.append((Occasion.FOLLOW_UP if occasions else Occasion.INTAKE, day))
        day += schedule.follow_up_interval_days - rng.randint(0, 10)
    if not e.is_open and occasions:
        occasions.append((Occasion.DISCHARGE, e.end))
    return occasions


def _start(measure: Measure, rng: random.Random) -> int:
    """Where the episode starts on the measure's scale (a category's index)."""
    if measure.is_categorical:
        return rng.randint(0, max(0, len(measure.categories) - 2))
    top = measure.maximum if measure.maximum is not None else measure.minimum
    if measure.direction == "higher":
        return rng.randint(measure.minimum, max(measure.minimum, (measure.minimum + top) // 2))
    return rng.randint(min(top, measure.minimum + 2), min(top, measure.minimum + 20))


def _value(measure: Measure, start: int, moves: int, rng: random.Random) -> tuple[int | None, str]:
    """(number, category) ``moves`` meaningful changes toward better (negative: worse)."""
    if measure.is_categorical:
        top = len(measure.categories) - 1
        return None, measure.categories[max(0, min(top, start + moves))]
    top = measure.maximum if measure.maximum is not None else measure.minimum
    change = moves * measure.meaningful_change + rng.randint(-1, 1)
    moved = start + change if measure.direction == "higher" else start - change
    return max(measure.minimum, min(top, moved)), ""
