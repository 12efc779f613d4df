"""The outcomes reports' exports (exports.tables): each builds, for a viewer and the page's
query, the rows its page shows, through the same form and the same selector as the page."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from accounts.models import User
from casemgmt import dates
from exports.tables import Table, cleaned_data, register
from outcomes import selectors
from outcomes.forms import PeriodForm

# The rows are counts per program and measure (or provider, or kind of discharge): no client is
# named in them, so they carry no 42 CFR 2.32 notice.
COUNTS_HOLD_PART2 = False


def period_form(viewer: User, query: QueryDict) -> PeriodForm:
    """The period and program asked for (by default the year up to today)."""
    return PeriodForm.from_query(
        query, today=dates.today(), programs=selectors.report_programs(viewer)
    )


def _period(viewer: User, query: QueryDict) -> dict[str, Any]:
    return cleaned_data(period_form(viewer, query))


# --- The outcomes report (outcomes:report) -----------------------------------------------------


def outcome_rows(viewer: User, data: dict[str, Any]) -> list[selectors.OutcomeRow]:
    """The report's rows for the period form's ``cleaned_data`` (the page's and the file's)."""
    return selectors.outcomes_report(
        viewer=viewer, start=data["start"], end=data["end"], program_id=data["program"]
    )


OUTCOME_HEADERS = [
    "Program", "Measure", "Direction", "Meaningful change", "Measured", "Improved",
    "No meaningful change", "Worse", "Improved (%)",
]  # fmt: skip


def outcome_row(row: selectors.OutcomeRow) -> list[Any]:
    """A row as the page shows it; the measure's direction and smallest meaningful change,
    beside its name on the page, in columns of their own."""
    measure = row.measure
    return [
        row.program,
        measure.name,
        measure.get_direction_display(),
        measure.meaningful_change,
        row.measured,
        row.improved,
        row.unchanged,
        row.worsened,
        row.improved_percent,
    ]


@register("outcomes.report", filename="client-outcomes")
def outcomes_table(viewer: User, query: QueryDict) -> Table:
    rows = [outcome_row(row) for row in outcome_rows(viewer, _period(viewer, query))]
    return Table(headers=OUTCOME_HEADERS, rows=rows, count=len(rows), part2=COUNTS_HOLD_PART2)


# --- Continuity of care (outcomes:continuity) --------------------------------------------------


def continuity_rows(viewer: User, data: dict[str, Any]) -> list[selectors.ContinuityRow]:
    """The report's rows for the period form's ``cleaned_data`` (the page's and the file's)."""
    return selectors.continuity_report(
        viewer=viewer,
        start=data["start"],
        end=data["end"],
        today=dates.today(),
        program_id=data["program"],
    )


WITHIN = f"Within {selectors.ENGAGED_WITHIN_DAYS} days"
CONTINUITY_HEADERS = [
    "Program", "Provider", "Sent or discharged", "Entered", "Median days", WITHIN,
    f"{WITHIN}: of those counted", f"Still within {selectors.ENGAGED_WITHIN_DAYS} days",
    f"{WITHIN} (%)",
]  # fmt: skip


def continuity_row(row: selectors.ContinuityRow) -> list[Any]:
    """A row as the page shows it (a discharge row's provider reads after which discharge);
    its "n of m" in two columns."""
    median = None if row.median_days is None else round(row.median_days, 1)
    return [
        row.program,
        row.source,
        row.sent,
        row.engaged,
        median,
        row.engaged_within,
        row.decided,
        row.waiting,
        row.within_percent,
    ]


@register("outcomes.continuity", filename="continuity-of-care")
def continuity_table(viewer: User, query: QueryDict) -> Table:
    rows = [continuity_row(row) for row in continuity_rows(viewer, _period(viewer, query))]
    return Table(headers=CONTINUITY_HEADERS, rows=rows, count=len(rows), part2=COUNTS_HOLD_PART2)
