"""Compliance rates: the share of open enrollments meeting each standard on a date.

What "met on a date" means (issue 12; TIP 27 / ACCSA module 19, seed 001_3c08ce069f179acb:
"reviews of client records against benchmarks for service planning and referrals"; Idaho CMH
standards 7 to 10, seed 003_83bf9ff00bc1b54f): on ``as_of``, an enrollment open that day
(supervision.compliance.enrollments_open_on) meets a standard when the standard's rule, the
very function the flags use (supervision.rules), does not find it due and unmet then. One that
the rule finds due and unmet but that an approved variance covers that day
(``Variance.objects.approved_covering``, Idaho CMH standard 11) is *excused*: counted apart,
neither met nor unmet. The rate is met / (open - excused); with no one to judge it is None.

It is the dry-run path of the compliance engine, set-based and writing nothing: the rules
read the records dated on or before ``as_of``, never the stored flags, so the report is right
on a database that holds no flag at all, and its unmet enrollments are row for row the
``due`` items of ``compliance_evaluate(as_of=..., dry_run=True)``.

Queries: the figures per group are one query (each rule's due set is an uncorrelated
``IN (subquery)``); the trend over the twelve month ends before ``as_of`` is one more (a
``UNION ALL`` of one aggregate per month end), whatever the number of enrollments or groups.

Scope (reports.activity.enrollments_in_scope, the same as the staff activity log's): a case
manager their own caseload, a supervisor their teams, administrators and QA reviewers the
agency.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL

from accounts.models import User
from clients.models import Enrollment
from reports.activity import enrollments_in_scope
from supervision.compliance import enrollments_open_on
from supervision.models import FlagRule, Variance
from supervision.rules import Rule, rule_for_code

# The standards the report rates, in this order (issue 12): each is a registered rule's code.
STANDARDS: tuple[str, ...] = (
    FlagRule.INITIAL_ASSESSMENT_OVERDUE,
    FlagRule.ASSESSMENT_UPDATE_OVERDUE,
    FlagRule.NO_SERVICE_PLAN,
    FlagRule.PLAN_REVIEW_OVERDUE,
    FlagRule.MONITORING_GAP,
    FlagRule.REFERRAL_FOLLOW_UP_OVERDUE,
)
STANDARD_LABELS: dict[str, str] = {
    FlagRule.INITIAL_ASSESSMENT_OVERDUE: "Initial assessment on time",
    FlagRule.ASSESSMENT_UPDATE_OVERDUE: "Annual update",
    FlagRule.NO_SERVICE_PLAN: "Service plan",
    FlagRule.PLAN_REVIEW_OVERDUE: "Plan review",
    FlagRule.MONITORING_GAP: "Monitoring",
    FlagRule.REFERRAL_FOLLOW_UP_OVERDUE: "Referral follow-up",
}

BY_TEAM = "team"
BY_PROGRAM = "program"
BY_REGION = "region"
GROUPINGS: dict[str, str] = {BY_TEAM: "Team", BY_PROGRAM: "Program", BY_REGION: "Region"}
# Where a grouping's id and name are, from an enrollment.
GROUP_PATHS: dict[str, tuple[str, str]] = {
    BY_TEAM: ("team_id", "team__name"),
    BY_PROGRAM: ("program_id", "program__name"),
    BY_REGION: ("team__region_id", "team__region__name"),
}

MET = "met"
UNMET = "unmet"
EXCUSED = "excused"
STATUSES: dict[str, str] = {MET: "Met", UNMET: "Not met", EXCUSED: "Excused (variance)"}

TREND_MONTHS = 12


@dataclass(frozen=True)
class Figure:
    """One standard on one date for one group: the enrollments open then, and how many of
    them met it, did not, or were excused by a variance."""

    open: int
    unmet: int
    excused: int

    @property
    def met(self) -> int:
        return self.open - self.unmet - self.excused

    @property
    def judged(self) -> int:
        return self.open - self.excused

    @property
    def rate(self) -> float | None:
        """Met / (open - excused), in [0, 1]; None when there is no one to judge."""
        return self.met / self.judged if self.judged else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


@dataclass(frozen=True)
class GroupRates:
    group_id: int | None  # None: every enrollment in scope (the total row)
    label: str
    figures: dict[str, Figure]


@dataclass
class RatesReport:
    as_of: dt.date
    by: str
    groups: list[GroupRates]
    total: GroupRates
    trend: list[tuple[dt.date, dict[str, Figure]]] = field(default_factory=list)


# --- Dates ------------------------------------------------------------------------------------


def month_ends_before(as_of: dt.date, months: int = TREND_MONTHS) -> list[dt.date]:
    """The last days of the ``months`` months before ``as_of``'s, oldest first (as of
    5 December 2026: 31 December 2025 ... 30 November 2026)."""
    ends = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        ends.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return ends[::-1]


# --- The sets ---------------------------------------------------------------------------------


def _rule(code: str) -> Rule:
    return rule_for_code(code)


def _covered_ids(as_of: dt.date, code: str) -> QuerySet[Variance, dict[str, Any]]:
    return Variance.objects.approved_covering(as_of).filter(rule=code).values("enrollment_id")


def _due_ids(as_of: dt.date, code: str, scope: QuerySet[Enrollment]) -> QuerySet[Enrollment, Any]:
    return _rule(code).due(as_of, scope).order_by().values("pk")


def _compiled(subquery: QuerySet[Any, Any]) -> RawSQL:
    """A subquery as its SQL, compiled once: each is read by two counts (unmet and excused),
    and compiling the rule's queryset is most of the report's Python time."""
    return RawSQL(*subquery.query.sql_with_params())


def _aggregates(as_of: dt.date, scope: QuerySet[Enrollment]) -> dict[str, Any]:
    """Count of the open enrollments, and per standard of those unmet and excused."""
    aggregates: dict[str, Any] = {"open_count": Count("pk")}
    for code in STANDARDS:
        due = Q(pk__in=_compiled(_due_ids(as_of, code, scope)))
        covered = Q(pk__in=_compiled(_covered_ids(as_of, code)))
        aggregates[f"{code}__unmet"] = Count("pk", filter=due & ~covered)
        aggregates[f"{code}__excused"] = Count("pk", filter=due & covered)
    return aggregates


def _figures(row: dict[str, Any]) -> dict[str, Figure]:
    return {
        code: Figure(
            open=row["open_count"], unmet=row[f"{code}__unmet"], excused=row[f"{code}__excused"]
        )
        for code in STANDARDS
    }


def _sum(groups: Sequence[GroupRates]) -> dict[str, Figure]:
    return {
        code: Figure(
            open=sum(g.figures[code].open for g in groups),
            unmet=sum(g.figures[code].unmet for g in groups),
            excused=sum(g.figures[code].excused for g in groups),
        )
        for code in STANDARDS
    }


def scope_for(viewer: User) -> QuerySet[Enrollment]:
    """The enrollments the viewer's report counts (see the module docstring)."""
    return enrollments_in_scope(viewer).order_by()


def group_rates(*, viewer: User, as_of: dt.date, by: str) -> list[GroupRates]:
    """Per group of ``by``, every standard's figure on ``as_of``: one query."""
    scope = scope_for(viewer)
    id_path, name_path = GROUP_PATHS[by]
    rows = (
        enrollments_open_on(as_of, scope)
        .values(id_path, name_path)
        .annotate(**_aggregates(as_of, scope))
        .order_by(name_path, id_path)
    )
    return [
        GroupRates(group_id=row[id_path], label=row[name_path], figures=_figures(row))
        for row in rows
    ]


def trend(*, viewer: User, as_of: dt.date) -> list[tuple[dt.date, dict[str, Figure]]]:
    """Every standard's figure for the whole scope at each month end before ``as_of``: one
    query (a UNION ALL of one aggregate per month end)."""
    scope = scope_for(viewer)
    ends = month_ends_before(as_of)
    per_month = [
        enrollments_open_on(day, scope)
        .values(month_end=Value(day, output_field=DateField()))
        .annotate(**_aggregates(day, scope))
        .order_by()
        for day in ends
    ]
    rows = per_month[0].union(*per_month[1:], all=True)
    by_day = {row["month_end"]: _figures(row) for row in rows}
    empty = dict.fromkeys(STANDARDS, Figure(open=0, unmet=0, excused=0))
    return [(day, by_day.get(day, empty)) for day in ends]


def compliance_rates(*, viewer: User, as_of: dt.date, by: str) -> RatesReport:
    """The report: per group and in total on ``as_of``, and the trend before it."""
    groups = group_rates(viewer=viewer, as_of=as_of, by=by)
    return RatesReport(
        as_of=as_of,
        by=by,
        groups=groups,
        total=GroupRates(group_id=None, label="All", figures=_sum(groups)),
        trend=trend(viewer=viewer, as_of=as_of),
    )


# --- The drill-down ---------------------------------------------------------------------------


def enrollments_behind(
    *,
    viewer: User,
    as_of: dt.date,
    standard: str,
    status: str,
    by: str | None = None,
    group_id: int | None = None,
) -> QuerySet[Enrollment]:
    """The enrollments behind one figure: those open on ``as_of`` in the viewer's scope (and
    in the group, when given) that met the standard, did not, or were excused. Unmet and
    excused ones carry ``due_on`` (the rule's), excused ones ``variance_until``."""
    scope = scope_for(viewer)
    if by is not None and group_id is not None:
        scope = scope.filter(**{GROUP_PATHS[by][0]: group_id})
    covered = _covered_ids(as_of, standard)
    if status == MET:
        rows = enrollments_open_on(as_of, scope).exclude(pk__in=_due_ids(as_of, standard, scope))
    elif status == UNMET:
        rows = _rule(standard).due(as_of, scope).exclude(pk__in=covered)
    else:
        until = (
            Variance.objects.approved_covering(as_of)
            .filter(rule=standard, enrollment_id=OuterRef("pk"))
            .order_by("-approved_due_on")
            .values("approved_due_on")[:1]
        )
        rows = (
            _rule(standard)
            .due(as_of, scope)
            .filter(pk__in=covered)
            .annotate(variance_until=Subquery(until, output_field=DateField()))
        )
    return rows.select_related("client", "program", "team", "case_manager").order_by(
        "client__last_name", "client__first_name", "pk"
    )
