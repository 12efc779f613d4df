"""Which measures a program records and when: its ``ProgramOutcomeSchedule``, or the agency
defaults for a program that has none (every measure marked ``is_default``, and
outcomes.due_dates' default days). The data migration gave every program that existed then a
schedule with the defaults; a program created later is measured by the defaults until its
administrator adds a schedule in the admin. A schedule that chooses no measures records the
default ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clients.models import Program
from outcomes import due_dates
from outcomes.models import Measure, ProgramOutcomeSchedule


@dataclass(frozen=True)
class ProgramMeasures:
    program_id: int
    intake_within_days: int
    follow_up_interval_days: int
    measures: tuple[Measure, ...]


def program_measures(program_ids: Iterable[int]) -> dict[int, ProgramMeasures]:
    """Per program, its measures and days: at most three queries whatever the number of
    programs."""
    ids = set(program_ids)
    schedules = {
        s.program_id: s
        for s in ProgramOutcomeSchedule.objects.filter(program_id__in=ids).prefetch_related(
            "measures"
        )
    }
    chosen = {
        program_id: tuple(sorted(s.measures.all(), key=lambda m: (m.position, m.pk)))
        for program_id, s in schedules.items()
    }
    defaults: tuple[Measure, ...] = ()
    if len(chosen) < len(ids) or not all(chosen.values()):
        defaults = tuple(Measure.objects.filter(is_default=True))
    result: dict[int, ProgramMeasures] = {}
    for program_id in sorted(ids):
        schedule = schedules.get(program_id)
        result[program_id] = ProgramMeasures(
            program_id=program_id,
            intake_within_days=(
                schedule.intake_within_days if schedule else due_dates.DEFAULT_INTAKE_WITHIN_DAYS
            ),
            follow_up_interval_days=(
                schedule.follow_up_interval_days
                if schedule
                else due_dates.DEFAULT_FOLLOW_UP_INTERVAL_DAYS
            ),
            # A schedule that chose no measures records the defaults.
            measures=chosen.get(program_id) or defaults,
        )
    return result


def measures_of(program: Program) -> ProgramMeasures:
    return program_measures([program.pk])[program.pk]
