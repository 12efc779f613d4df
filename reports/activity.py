"""The staff activity log: what each case manager did, period by period, from the contact log.

TIP 27 (ACCSA module 19, seed 001_3c08ce069f179acb) names "a simple staff log of activities
by contact" as the first way an agency evaluates its case management; Idaho standard 12 (seed
003_83bf9ff00bc1b54f) asks each region for measurable goals. Per case manager (or rolled up per
team, program or region) and per calendar week or month inside a date range: contacts by type,
minutes, travel minutes, billable units, distinct clients seen, and the share of the open
caseload contacted.

What each figure means, decided here once:

- **Periods** are calendar months or ISO weeks (Monday to Sunday) in the agency's time zone
  (``TIME_ZONE``): a contact at 23:59 on 31 March in Boise is March's, whatever UTC says. The
  first and last periods are cut to the range asked for.
- **Contact types** are grouped into the five the staff log reports (``TYPE_GROUPS``): a video
  call counts as a phone contact (remote, with the client), a case conference as a collateral
  contact (about the client, with others: clients.contact_rules says so of both), a crisis
  intervention as face-to-face (responding in person: safety, de-escalation).
- **Billable units** are not stored: they are computed in SQL from the same constants as
  ``clients.contact_rules.billable_units`` (15-minute units, a remainder of 8 minutes adds one,
  attempts bill nothing); tests/reports/test_activity.py checks both agree minute by minute.
- **Clients seen** are the distinct clients with a contact that reached someone (not an
  attempt); **open caseload** is the enrollments open at the period's last day (applied for
  by then, not closed by then); the **share contacted** is the first over the second.
- **Who**: a contact is the activity of its author (the staff log is a log of staff); the
  open caseload is the enrollments a case manager holds. Team, program and region are the
  contact's enrollment's (for the caseload, the enrollment's).

Scope: case managers see their own contacts and caseload, supervisors their teams',
administrators and QA reviewers the agency's; every read goes through
``Contact.objects.visible_to`` and ``Enrollment.objects.visible_to``. Two set-based queries,
whatever the number of rows: one over the contacts, one over the enrollments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Case, Count, DateField, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Mod, Trunc
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from accounts.models import User
from casemgmt.dates import local_midnight
from clients import contact_rules
from clients.models import Contact, Enrollment

MONTH = "month"
WEEK = "week"
PERIODS = {MONTH: "Month", WEEK: "Week"}

BY_CASE_MANAGER = "case_manager"
BY_TEAM = "team"
BY_PROGRAM = "program"
BY_REGION = "region"
GROUPINGS = {
    BY_CASE_MANAGER: "Case manager",
    BY_TEAM: "Team",
    BY_PROGRAM: "Program",
    BY_REGION: "Region",
}

# The longest range the report answers (a larger one is refused on the form).
MAX_RANGE_YEARS = 3
# The default range: the current month and the two before it, by month.
DEFAULT_MONTHS = 3

T = Contact.Type
# The staff log's five types of contact, and which contact types each counts (see above).
TYPE_GROUPS: dict[str, tuple[str, ...]] = {
    "face_to_face": (T.FACE_TO_FACE, T.CRISIS_INTERVENTION),
    "home_visit": (T.HOME_VISIT,),
    "phone": (T.PHONE, T.VIDEO),
    "collateral": (T.COLLATERAL, T.CASE_CONFERENCE),
    "attempted": (T.ATTEMPTED,),
}
TYPE_GROUP_LABELS: dict[str, str] = {
    "face_to_face": "Face-to-face",
    "home_visit": "Home visit",
    "phone": "Phone or video",
    "collateral": "Collateral",
    "attempted": "Attempted",
}


@dataclass(frozen=True)
class _Paths:
    """Where a grouping's id and name are, from a contact and from an enrollment."""

    contact_id: str
    contact_labels: tuple[str, ...]
    enrollment_id: str
    enrollment_labels: tuple[str, ...]


_USER_NAME = ("first_name", "last_name", "username")
_GROUP_PATHS: dict[str, _Paths] = {
    BY_CASE_MANAGER: _Paths(
        "author_id",
        tuple(f"author__{f}" for f in _USER_NAME),
        "case_manager_id",
        tuple(f"case_manager__{f}" for f in _USER_NAME),
    ),
    BY_TEAM: _Paths("enrollment__team_id", ("enrollment__team__name",), "team_id", ("team__name",)),
    BY_PROGRAM: _Paths(
        "enrollment__program_id", ("enrollment__program__name",), "program_id", ("program__name",)
    ),
    BY_REGION: _Paths(
        "enrollment__team__region_id",
        ("enrollment__team__region__name",),
        "team__region_id",
        ("team__region__name",),
    ),
}


# --- Periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One bucket of the report: ``key`` is the calendar period's first day (what SQL's
    ``date_trunc`` answers), ``start``/``end`` the days of it inside the range (inclusive)."""

    kind: str
    key: dt.date
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if (
            self.kind == MONTH
            and self.start.day == 1
            and (self.end + dt.timedelta(days=1)).day == 1
        ):
            return f"{self.start:%B %Y}"
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"


def period_key(day: dt.date, kind: str) -> dt.date:
    """The first day of the calendar month, or the Monday of the ISO week, holding ``day``."""
    return day.replace(day=1) if kind == MONTH else day - dt.timedelta(days=day.weekday())


def _next_key(key: dt.date, kind: str) -> dt.date:
    if kind == WEEK:
        return key + dt.timedelta(days=7)
    return (key + dt.timedelta(days=32)).replace(day=1)


def periods_between(start: dt.date, end: dt.date, kind: str) -> list[Period]:
    """The calendar periods from ``start`` to ``end`` (inclusive), the first and last cut."""
    periods = []
    key = period_key(start, kind)
    while key <= end:
        following = _next_key(key, kind)
        periods.append(
            Period(kind, key, max(key, start), min(following - dt.timedelta(days=1), end))
        )
        key = following
    return periods


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The current month and the two before it, to today."""
    start = today.replace(day=1)
    for _ in range(DEFAULT_MONTHS - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, today


# --- The figures --------------------------------------------------------------------------------


def billable_units_sql() -> Case:
    """``clients.contact_rules.billable_units`` as a SQL expression over a contact's columns."""
    minutes = F("duration_minutes") + F("travel_minutes")
    remainder_unit = Case(
        When(
            GreaterThanOrEqual(
                Mod(minutes, Value(contact_rules.UNIT_MINUTES)),
                contact_rules.UNIT_REMAINDER_MINUTES,
            ),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Case(
        When(contact_type=contact_rules.ATTEMPTED, then=Value(0)),
        default=minutes / Value(contact_rules.UNIT_MINUTES) + remainder_unit,
        output_field=IntegerField(),
    )


@dataclass
class ActivityRow:
    """One case manager (team, program, region) in one period."""

    key_id: int | None
    label: str
    period: Period
    by_type: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPE_GROUPS, 0))
    contacts: int = 0
    minutes: int = 0
    travel_minutes: int = 0
    units: int = 0
    clients_seen: int = 0
    open_caseload: int = 0

    @property
    def caseload_share(self) -> float | None:
        """Distinct clients seen over the open caseload at the period's end (None without
        an open caseload: a share of nothing is not 0 %)."""
        if not self.open_caseload:
            return None
        return self.clients_seen / self.open_caseload


@dataclass(frozen=True)
class ActivityReport:
    start: dt.date
    end: dt.date
    kind: str
    by: str
    periods: list[Period]
    rows: list[ActivityRow]

    def totals_by_period(self) -> list[tuple[Period, dict[str, int]]]:
        """Contacts by type per period over every row (the chart and its table)."""
        totals = {p.key: dict.fromkeys(TYPE_GROUPS, 0) for p in self.periods}
        for row in self.rows:
            for group, count in row.by_type.items():
                totals[row.period.key][group] += count
        return [(p, totals[p.key]) for p in self.periods]


def contacts_in_scope(viewer: User) -> QuerySet[Contact]:
    """Case managers: their own contacts; everyone else: those of the teams they read."""
    contacts = Contact.objects.visible_to(viewer)
    return contacts.filter(author=viewer) if viewer.is_case_manager else contacts


def enrollments_in_scope(viewer: User) -> QuerySet[Enrollment]:
    """Case managers: their own caseload; everyone else: the teams they read."""
    enrollments = Enrollment.objects.visible_to(viewer)
    return enrollments.filter(case_manager=viewer) if viewer.is_case_manager else enrollments


def _label(row: Sequence[Any], first: int, count: int) -> str:
    """A grouping's name from its ``count`` label columns from ``first``: a team's, program's
    or region's name, or a case manager's first and last name (their username without)."""
    if count == 1:
        return str(row[first])
    first_name, last_name, username = row[first : first + 3]
    return f"{first_name} {last_name}".strip() or str(username)


def _fetched(queryset: QuerySet[Any, Any]) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    """The queryset's rows as tuples, as PostgreSQL answers them, and each column's index by
    name: without the dict and the converters Django's ``values()`` makes per row (an
    agency's month per case manager is some 3,400 rows, and those cost more than the page's
    other work; every column here is an integer, a text or a date already)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return {column.name: i for i, column in enumerate(cursor.description)}, cursor.fetchall()


def _contact_figures(
    viewer: User, *, start: dt.date, end: dt.date, kind: str, paths: _Paths
) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    since, until = local_midnight(start), local_midnight(end + dt.timedelta(days=1))
    by_type = {
        f"type_{group}": Count("id", filter=Q(contact_type__in=types))
        for group, types in TYPE_GROUPS.items()
    }
    return _fetched(
        contacts_in_scope(viewer)
        .filter(occurred_at__gte=since, occurred_at__lt=until)
        .annotate(
            # Cast: PostgreSQL's date_trunc answers a timestamp, which Django's converter
            # would turn into a date per row; _fetched reads the column as it comes.
            period_key=Cast(
                Trunc("occurred_at", kind, tzinfo=timezone.get_current_timezone()),
                output_field=DateField(),
            )
        )
        .values(
            "period_key",
            key_id=F(paths.contact_id),
            **{f"label_{i}": F(p) for i, p in enumerate(paths.contact_labels)},
        )
        .annotate(
            **by_type,
            contacts=Count("id"),
            # Named apart from the columns: an annotation "travel_minutes" would shadow the
            # column that billable_units_sql reads.
            sum_minutes=Sum("duration_minutes"),
            sum_travel=Sum("travel_minutes"),
            sum_units=Sum(billable_units_sql()),
            clients_seen=Count(
                "client_id", distinct=True, filter=~Q(contact_type=contact_rules.ATTEMPTED)
            ),
        )
        .order_by()
    )


def _open_caseloads(
    viewer: User, *, periods: list[Period], paths: _Paths
) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    """Per grouping, the enrollments open at the end of each period (``open_<n>``)."""
    first_end, last_end = periods[0].end, periods[-1].end
    open_at = {
        f"open_{n}": Count(
            "id",
            filter=Q(application_date__lte=p.end)
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=p.end)),
        )
        for n, p in enumerate(periods)
    }
    return _fetched(
        enrollments_in_scope(viewer)
        .filter(application_date__lte=last_end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=first_end))
        .values(
            key_id=F(paths.enrollment_id),
            **{f"label_{i}": F(p) for i, p in enumerate(paths.enrollment_labels)},
        )
        .annotate(**open_at)
        .order_by()
    )


def activity_report(
    *, viewer: User, start: dt.date, end: dt.date, kind: str = MONTH, by: str = BY_CASE_MANAGER
) -> ActivityReport:
    """The staff activity log of ``viewer``'s scope from ``start`` to ``end`` (inclusive), by
    ``kind`` (month or week) and rolled up ``by`` case manager, team, program or region: a
    row per grouping and period with a contact or an open caseload. Two queries."""
    paths = _GROUP_PATHS[by]
    periods = periods_between(start, end, kind)
    by_key = {p.key: p for p in periods}
    rows: dict[tuple[int | None, dt.date], ActivityRow] = {}
    labels: dict[int | None, str] = {}

    def row_for(key_id: int | None, period: Period) -> ActivityRow:
        if (key_id, period.key) not in rows:
            rows[key_id, period.key] = ActivityRow(key_id, labels[key_id], period)
        return rows[key_id, period.key]

    at, contacts = _contact_figures(viewer, start=start, end=end, kind=kind, paths=paths)
    key, period_key, label = at["key_id"], at["period_key"], at["label_0"]
    labels_count = len(paths.contact_labels)
    by_type = [(group, at[f"type_{group}"]) for group in TYPE_GROUPS]
    for values in contacts:
        if values[key] not in labels:
            labels[values[key]] = _label(values, label, labels_count)
        row = row_for(values[key], by_key[values[period_key]])
        row.by_type = {group: values[i] for group, i in by_type}
        row.contacts, row.minutes = values[at["contacts"]], values[at["sum_minutes"]] or 0
        row.travel_minutes, row.units = values[at["sum_travel"]] or 0, values[at["sum_units"]] or 0
        row.clients_seen = values[at["clients_seen"]]
    at, caseloads = _open_caseloads(viewer, periods=periods, paths=paths)
    key, label = at["key_id"], at["label_0"]
    open_at = [(period, at[f"open_{n}"]) for n, period in enumerate(periods)]
    for values in caseloads:
        if values[key] not in labels:
            labels[values[key]] = _label(values, label, len(paths.enrollment_labels))
        for period, i in open_at:
            if values[i]:
                row_for(values[key], period).open_caseload = values[i]
    ordered = sorted(rows.values(), key=lambda r: (r.label.casefold(), r.key_id or 0, r.period.key))
    return ActivityReport(start, end, kind, by, periods, ordered)


# --- The table, for the page and its exports ----------------------------------------------------


def table_headers(report: ActivityReport) -> list[str]:
    return [
        GROUPINGS[report.by],
        "Period",
        "From",
        "To",
        *TYPE_GROUP_LABELS.values(),
        "Contacts",
        "Minutes",
        "Travel minutes",
        "Billable units",
        "Clients seen",
        "Open caseload",
        "Share of open caseload contacted (%)",
    ]


def share_percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def table_row(row: ActivityRow) -> list[Any]:
    """A row as the page shows it and the exports write it: the same cells."""
    return [
        row.label,
        row.period.label,
        row.period.start,
        row.period.end,
        *(row.by_type[group] for group in TYPE_GROUPS),
        row.contacts,
        row.minutes,
        row.travel_minutes,
        row.units,
        row.clients_seen,
        row.open_caseload,
        share_percent(row.caseload_share),
    ]


def table_rows(report: ActivityReport) -> list[list[Any]]:
    return [table_row(row) for row in report.rows]


CONTACT_HEADERS = [
    "Date", "Time", "Case manager", "Client record number", "Program", "Team", "Contact type",
    "Minutes", "Travel minutes", "Billable units",
]  # fmt: skip


def contacts_between(viewer: User, *, start: dt.date, end: dt.date) -> QuerySet[Contact]:
    """The contacts the log counts, one by one (the staff log "by contact"), oldest first."""
    since, until = local_midnight(start), local_midnight(end + dt.timedelta(days=1))
    return contacts_in_scope(viewer).filter(occurred_at__gte=since, occurred_at__lt=until)


# Contacts read per query by contact_rows.
CONTACT_CHUNK_ROWS = 5_000


def contact_rows(contacts: QuerySet[Contact]) -> Iterator[list[Any]]:
    """One row per contact, in the order they were recorded, read ``CONTACT_CHUNK_ROWS`` at a
    time after the last one read (keyset on the primary key: the settings turn server-side
    cursors off, and an agency's three years are two million contacts, which an export job
    writes without holding them in memory). A client is named by record number only: the log
    is about staff."""
    labels = dict(Contact.Type.choices)
    zone = timezone.get_current_timezone()
    values = (
        contacts.annotate(units=billable_units_sql())
        .values_list(
            "pk", "occurred_at", "author__first_name", "author__last_name", "author__username",
            "client__record_number", "enrollment__program__name", "enrollment__team__name",
            "contact_type", "duration_minutes", "travel_minutes", "units",
        )
        .order_by("pk")
    )  # fmt: skip
    after = 0
    while True:
        chunk = list(values.filter(pk__gt=after)[:CONTACT_CHUNK_ROWS])
        for _, occurred, first, last, username, record, program, team, kind, *figures in chunk:
            local = occurred.astimezone(zone)
            author = f"{first} {last}".strip() or username
            yield [local.date(), f"{local:%H:%M}", author, record, program, team, labels[kind],
                   *figures]  # fmt: skip
        if len(chunk) < CONTACT_CHUNK_ROWS:
            return
        after = chunk[-1][0]
