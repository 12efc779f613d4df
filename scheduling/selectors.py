"""Reads of planned visits: set-based, each a fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Role, Team, User
from casemgmt.dates import local_midnight
from scheduling.models import CalendarFeed, PlannedVisit, feed_token_hash


def visits_for_my_work(*, case_manager: User, until: dt.date) -> QuerySet[PlannedVisit]:
    """The case manager's planned visits up to ``until`` inclusive, soonest first. A past
    visit neither recorded nor marked missed stays until it is done (issue 11: "a visit in
    the past that was neither recorded nor marked missed shows on My work")."""
    return (
        PlannedVisit.objects.filter(
            case_manager=case_manager,
            status=PlannedVisit.Status.PLANNED,
            scheduled_start__lt=local_midnight(until + dt.timedelta(days=1)),
        )
        .select_related("enrollment__client", "enrollment__program")
        .order_by("scheduled_start", "id")
    )


# --- Week view --------------------------------------------------------------------------------


FIRST_YEAR, LAST_YEAR = 1900, 2999


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def parse_week(*, week: str | None, start: str | None, default: dt.date) -> dt.date:
    """The Monday of the week asked for: ``?week=2026-W49`` (ISO week) or ``?start=2026-12-02``
    (any day of it); ``default``'s week when neither is given. Raises ``ValueError`` for a
    value that is not a week or a date (the view answers 400)."""
    if week:
        year, _, number = week.upper().partition("-W")
        monday = dt.date.fromisocalendar(int(year), int(number), 1)
    elif start:
        monday = week_start(dt.date.fromisoformat(start))
    else:
        monday = week_start(default)
    # The page links the weeks either side, which must exist too.
    if not FIRST_YEAR <= monday.year <= LAST_YEAR:
        raise ValueError(f"Weeks from {FIRST_YEAR} to {LAST_YEAR} only.")
    return monday


def iso_week(monday: dt.date) -> str:
    year, number, _ = monday.isocalendar()
    return f"{year}-W{number:02d}"


def week_bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_midnight(monday), local_midnight(monday + dt.timedelta(days=7))


def visits_in_week(
    *, viewer: User, monday: dt.date, case_manager: User | None = None, team_id: int | None = None
) -> QuerySet[PlannedVisit]:
    """The visits (cancelled ones too, struck through on the page) of one case manager or of
    one team in the week starting ``monday`` in the agency's time zone, through the viewer's
    scope, in time order."""
    start, end = week_bounds(monday)
    visits = PlannedVisit.objects.visible_to(viewer).filter(
        scheduled_start__gte=start, scheduled_start__lt=end
    )
    if case_manager is not None:
        visits = visits.filter(case_manager=case_manager)
    if team_id is not None:
        visits = visits.filter(enrollment__team_id=team_id)
    return visits.select_related(
        "enrollment__client", "enrollment__program", "case_manager"
    ).order_by("scheduled_start", "id")


# What a cell of a team's week counts; cancelled visits are not work.
WEEK_CELL_STATUSES: tuple[str, ...] = (
    PlannedVisit.Status.PLANNED,
    PlannedVisit.Status.RECORDED,
    PlannedVisit.Status.MISSED,
)


@dataclass(frozen=True)
class TeamWeekRow:
    """One case manager's week in a team's: per day, the visits of each status
    (WEEK_CELL_STATUSES), and the week's total."""

    case_manager: User
    days: list[dict[str, int]]
    total: int


def team_week(*, viewer: User, monday: dt.date, team: Team) -> list[TeamWeekRow]:
    """A team's week for its supervisor, a row per case manager (the team's active case
    managers, and anyone else with a visit of the team's enrollments that week), counted
    in one query whatever the number of visits: the overview a supervisor reads, each row
    opening that case manager's week. Days are the agency's."""
    start, end = week_bounds(monday)
    counts = (
        PlannedVisit.objects.visible_to(viewer)
        .filter(
            scheduled_start__gte=start,
            scheduled_start__lt=end,
            enrollment__team_id=team.pk,
            status__in=WEEK_CELL_STATUSES,
        )
        .annotate(day=TruncDate("scheduled_start", tzinfo=timezone.get_current_timezone()))
        .values("case_manager_id", "day", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_cell: Counter[tuple[int, dt.date, str]] = Counter()
    for row in counts:
        by_cell[(row["case_manager_id"], row["day"], row["status"])] += row["n"]
    with_visits = {case_manager_id for case_manager_id, _, _ in by_cell}
    people = User.objects.filter(
        Q(team=team, role=Role.CASE_MANAGER, is_active=True) | Q(pk__in=with_visits)
    ).order_by("last_name", "first_name", "pk")
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    rows = []
    for person in people:
        cells = [
            {status: by_cell[(person.pk, day, status)] for status in WEEK_CELL_STATUSES}
            for day in days
        ]
        rows.append(TeamWeekRow(person, cells, sum(sum(cell.values()) for cell in cells)))
    return rows


def case_manager_in_team_week(rows: list[TeamWeekRow], case_manager_id: int | None) -> User | None:
    """The case manager of a team's week whose own week the supervisor opened, if a row."""
    return next((r.case_manager for r in rows if r.case_manager.pk == case_manager_id), None)


def teams_supervised_by(user: User) -> QuerySet[Team]:
    """The teams whose week a supervisor may open (only the teams they supervise)."""
    if not user.is_active or not user.is_supervisor:
        return Team.objects.none()
    return Team.objects.filter(supervisors=user).order_by("name")


# --- Calendar feed ----------------------------------------------------------------------------

# The only values an event is built from (issue 11: "events carry only the time, the visit
# type and the record number"): read as values, so a name, an address, the program, the
# purpose or any free text never leaves the database on this path.
FEED_FIELDS = (
    "id", "scheduled_start", "expected_minutes", "contact_type", "status",
    "enrollment__client__record_number", "updated_at",
)  # fmt: skip
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 90


def feed_owner(*, token: str) -> User | None:
    """The active user whose unrevoked feed ``token`` opens, or None. Checked on every fetch,
    so a deactivated account's feed stops at once even if its revocation was missed."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_sha256=feed_token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def feed_visits(*, user: User, now: dt.datetime) -> list[dict[str, Any]]:
    """The user's visits from 30 days back to 90 days ahead, not cancelled, as allow-listed
    values only (FEED_FIELDS)."""
    return list(
        PlannedVisit.objects.filter(
            case_manager=user,
            scheduled_start__gte=now - dt.timedelta(days=FEED_DAYS_BACK),
            scheduled_start__lt=now + dt.timedelta(days=FEED_DAYS_AHEAD),
        )
        .exclude(status=PlannedVisit.Status.CANCELLED)
        .order_by("scheduled_start", "id")
        .values(*FEED_FIELDS)
    )


def feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def contact_initial_for_visit(visit: PlannedVisit, *, now: dt.datetime) -> dict[str, Any]:
    """The contact modal pre-filled from a planned visit: its enrollment, type, time (not in
    the future: a visit recorded early is recorded as of now) and place (the contact log has
    no coded place, so the place goes into its location text) and with whom."""
    occurred_at = timezone.localtime(min(visit.scheduled_start, now))
    return {
        "enrollment": visit.enrollment_id,
        "contact_type": visit.contact_type,
        "occurred_at": occurred_at.replace(second=0, microsecond=0),
        "location": visit.contact_location,
        "participants": visit.with_whom,
    }
