"""Scheduling's exports (exports.tables): a case manager's week of planned visits, and a team's
week. Each builds, for a viewer and the page's query, the rows its page shows, through the same
parameters and the same selectors as the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import dateformat, timezone

from accounts.models import Team, User
from casemgmt import dates
from casemgmt.roles import require_clinical_writer
from casemgmt.service_forms import query_int
from exports.tables import InvalidQuery, Table, holds_part2, in_chunks, register
from scheduling import selectors
from scheduling.models import PlannedVisit

NOT_A_WEEK = "The week is not a week (2026-W49) or a date (2026-12-02)."

# A team's week is counts per case manager and day: no client is named in them, so it carries
# no 42 CFR 2.32 notice (as quality's scores and the outcome reports' counts).
TEAM_WEEK_HOLDS_PART2 = False


def week_asked(query: QueryDict) -> dt.date:
    """The Monday of ``?week=`` or ``?start=`` (this week by default)."""
    try:
        return selectors.parse_week(
            week=query.get("week"), start=query.get("start"), default=dates.today()
        )
    except ValueError as not_a_week:
        raise InvalidQuery({"week": [NOT_A_WEEK]}) from not_a_week


@dataclass(frozen=True)
class WeekAsked:
    monday: dt.date
    visits: QuerySet[PlannedVisit]


def schedule_asked(viewer: User, query: QueryDict) -> WeekAsked:
    """The viewer's own visits of the week asked for, for those who hold a schedule (case
    managers and supervisors; anyone else: PermissionDenied)."""
    require_clinical_writer(viewer, to="have a schedule")
    monday = week_asked(query)
    return WeekAsked(
        monday=monday,
        visits=selectors.visits_in_week(viewer=viewer, monday=monday, case_manager=viewer),
    )


def supervised_team(viewer: User, team_id: int | None) -> tuple[Team, list[Team]]:
    """The team ``team_id`` if the viewer supervises it, and every team they supervise;
    LookupError for any other (the page answers 404)."""
    teams = list(selectors.teams_supervised_by(viewer))
    team = next((t for t in teams if t.pk == team_id), None)
    if team is None:
        raise LookupError("No team of yours.")
    return team, teams


@dataclass(frozen=True)
class TeamWeekAsked:
    """A team's week: a row per case manager with each day's visits counted, and, when
    ``?case_manager=`` opens one of them, that case manager's visits of the week."""

    monday: dt.date
    rows: list[selectors.TeamWeekRow]
    case_manager: User | None
    visits: QuerySet[PlannedVisit] | None

    @property
    def day_dates(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=n) for n in range(7)]


def team_week_asked(viewer: User, team: Team, query: QueryDict) -> TeamWeekAsked:
    """The week asked for of ``team`` (one the viewer supervises: supervised_team); a
    ``?case_manager=`` without a row in it raises LookupError (the page answers 404)."""
    monday = week_asked(query)
    rows = selectors.team_week(viewer=viewer, monday=monday, team=team)
    case_manager_id = query_int(query, "case_manager")
    if case_manager_id is None:
        return TeamWeekAsked(monday=monday, rows=rows, case_manager=None, visits=None)
    case_manager = selectors.case_manager_in_team_week(rows, case_manager_id)
    if case_manager is None:
        raise LookupError("No such case manager in this team's week.")
    visits = selectors.visits_in_week(
        viewer=viewer, monday=monday, case_manager=case_manager, team_id=team.pk
    )
    return TeamWeekAsked(monday=monday, rows=rows, case_manager=case_manager, visits=visits)


# --- A week's visits (scheduling:schedule, and a case manager's week in a team's) --------------

VISIT_HEADERS = [
    "Date", "Time", "Minutes", "Client", "Record number", "Type", "Place", "Location",
    "With whom", "Purpose", "Status", "Case manager",
]  # fmt: skip


def visit_row(visit: PlannedVisit) -> list[Any]:
    """A visit as the week shows it, on its day in the agency's time zone (cancelled ones
    too, which the page strikes through)."""
    starts = timezone.localtime(visit.scheduled_start)
    return [
        starts.date(),
        f"{starts:%H:%M}",
        visit.expected_minutes,
        visit.enrollment.client.display_name,
        visit.enrollment.client.record_number,
        visit.get_contact_type_display(),
        visit.get_place_display(),
        visit.location,
        visit.with_whom,
        visit.purpose,
        visit.get_status_display(),
        str(visit.case_manager),
    ]


def _visit_rows(visits: QuerySet[PlannedVisit]) -> Iterator[list[Any]]:
    for visit in in_chunks(visits):
        yield visit_row(visit)


def visits_table(visits: QuerySet[PlannedVisit]) -> Table:
    return Table(
        headers=VISIT_HEADERS,
        rows=_visit_rows(visits),
        count=visits.count(),
        part2=holds_part2(visits, "enrollment__program"),
    )


@register("scheduling.schedule", filename="schedule")
def schedule_table(viewer: User, query: QueryDict) -> Table:
    """The viewer's own visits of the week ``?week=`` or ``?start=``; a week that is not one
    answers 400, as the page."""
    return visits_table(schedule_asked(viewer, query).visits)


# --- A team's week (scheduling:team_schedule) ---------------------------------------------------

# A cell as the page's badges show it: each status counted (WEEK_CELL_STATUSES), nothing when
# the day has no visit.
CELL_WORDS: dict[str, str] = {
    PlannedVisit.Status.PLANNED: "planned",
    PlannedVisit.Status.RECORDED: "recorded",
    PlannedVisit.Status.MISSED: "missed",
}


def team_week_headers(day_dates: list[dt.date]) -> list[str]:
    """The page's headers (each day as its template writes it, "Mon 2 Mar"), after the week's
    Monday, which names the year the days leave out."""
    return ["Week of", "Case manager", *(dateformat.format(d, "D j M") for d in day_dates), "Week"]


def team_week_cell(cell: dict[str, int]) -> str:
    return ", ".join(
        f"{cell[status]} {CELL_WORDS[status]}"
        for status in selectors.WEEK_CELL_STATUSES
        if cell[status]
    )


def team_week_row(row: selectors.TeamWeekRow, *, monday: dt.date) -> list[Any]:
    return [monday, str(row.case_manager), *map(team_week_cell, row.days), row.total]


@register("scheduling.team_schedule", filename="team-schedule")
def team_schedule_table(viewer: User, query: QueryDict) -> Table:
    """A team's week (``?team=``, which the page's view sets from its address): a row per case
    manager with each day's visits counted; with ``?case_manager=``, that case manager's visits
    of the week, as the page shows them then. A team the viewer does not supervise, or a case
    manager without a row in its week (the page's 404s) are invalid queries."""
    try:
        team, _ = supervised_team(viewer, query_int(query, "team"))
    except LookupError as missing:
        raise InvalidQuery({"team": [str(missing)]}) from missing
    try:
        asked = team_week_asked(viewer, team, query)
    except LookupError as missing:
        raise InvalidQuery({"case_manager": [str(missing)]}) from missing
    if asked.visits is not None:
        return visits_table(asked.visits)
    rows = [team_week_row(row, monday=asked.monday) for row in asked.rows]
    return Table(
        headers=team_week_headers(asked.day_dates),
        rows=rows,
        count=len(rows),
        part2=TEAM_WEEK_HOLDS_PART2,
    )
