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

Queries: the figures per group are one query (each rule's due set, the rule's own queryset
compiled to SQL, a derived table joined once), whatever the number of enrollments or groups;
so is the whole scope's figures on one date, which the trend asks for at each of the twelve
month ends before ``as_of``.

Scope (reports.activity.enrollments_in_scope, the same as the staff activity log's): a case
manager their own caseload, a supervisor their teams, administrators and QA reviewers the
agency.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import DateField, F, OuterRef, QuerySet, Subquery

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


class Figure(NamedTuple):
    """One standard on one date for one group: the enrollments open then, and how many of
    them met it, did not, or were excused by a variance. A named tuple: a report per team
    holds a thousand of them."""

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
        judged = self.open - self.excused
        return (judged - self.unmet) / judged if judged else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


@dataclass(frozen=True)
class GroupRates:
    group_id: int | None  # None: every enrollment in scope (the total row)
    label: str
    figures: dict[str, Figure]


@dataclass(frozen=True)
class RatesReport:
    as_of: dt.date
    by: str
    groups: list[GroupRates]
    total: GroupRates


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


def _counted(
    as_of: dt.date, scope: QuerySet[Enrollment], *, group: tuple[str, str] | None
) -> tuple[str, str, list[Any]]:
    """The counts and the FROM clause of one date, and their parameters in that order (the
    counts' first): the enrollments open on ``as_of`` (``e``, with ``group_id`` and
    ``group_name`` when grouped), each standard's due set (the rule's queryset) joined once as
    a derived table, as the benchmark's floor does, so that every rule runs once however many
    figures it feeds, and the approved variances covering ``as_of`` joined once, with the
    rules each enrollment is excused from."""
    opened = enrollments_open_on(as_of, scope)
    if group is not None:
        opened = opened.annotate(group_id=F(group[0]), group_name=F(group[1]))
    columns = ["pk"] if group is None else ["pk", "group_id", "group_name"]
    base_sql, base_params = opened.values(*columns).query.sql_with_params()
    covering = (
        Variance.objects.approved_covering(as_of)
        .order_by()
        .values("enrollment_id")
        .annotate(rules=ArrayAgg("rule", distinct=True))
    )
    covering_sql, covering_params = covering.query.sql_with_params()
    joins = [f"LEFT JOIN ({covering_sql}) AS v(id, rules) ON v.id = e.pk"]
    params = [*base_params, *covering_params]
    counts, count_params = ["count(*) AS open_count"], []
    for i, code in enumerate(STANDARDS):
        due_sql, due_params = _due_ids(as_of, code, scope).query.sql_with_params()
        joins.append(f"LEFT JOIN ({due_sql}) AS d{i}(id) ON d{i}.id = e.pk")
        params += due_params
        # COALESCE: an enrollment without a variance has no rules (NULL), and is not excused.
        due, covered = f"d{i}.id IS NOT NULL", "COALESCE(%s = ANY(v.rules), false)"
        counts.append(f'count(*) FILTER (WHERE {due} AND NOT {covered}) AS "{code}__unmet"')
        counts.append(f'count(*) FILTER (WHERE {due} AND {covered}) AS "{code}__excused"')
        count_params += [code, code]
    return ", ".join(counts), f"({base_sql}) AS e {' '.join(joins)}", [*count_params, *params]


def _rows(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


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
    counts, source, params = _counted(as_of, scope_for(viewer), group=GROUP_PATHS[by])
    rows = _rows(
        f"SELECT e.group_id, e.group_name, {counts} FROM {source}"  # nosec B608  # SQL Django compiled from the rules' querysets; values as parameters
        " GROUP BY e.group_id, e.group_name ORDER BY e.group_name, e.group_id",
        params,
    )
    return [
        GroupRates(group_id=row["group_id"], label=row["group_name"], figures=_figures(row))
        for row in rows
    ]


def totals_on(*, viewer: User, as_of: dt.date) -> dict[str, Figure]:
    """Every standard's figure for the whole scope on ``as_of``: one query. The trend is this
    at each of the twelve month ends before the report's date (``month_ends_before``), one
    request each, so that the page's chart fills in month by month instead of waiting for
    twelve evaluations at once."""
    counts, source, params = _counted(as_of, scope_for(viewer), group=None)
    (row,) = _rows(f"SELECT {counts} FROM {source}", params)  # nosec B608  # SQL Django compiled from the rules' querysets; values as parameters
    return _figures(row)


def rates_on(*, viewer: User, as_of: dt.date, by: str) -> RatesReport:
    """The figures per group and in total on ``as_of`` (the trend's month ends are asked for
    one by one, by the page: see ``totals_on``)."""
    groups = group_rates(viewer=viewer, as_of=as_of, by=by)
    return RatesReport(
        as_of=as_of,
        by=by,
        groups=groups,
        total=GroupRates(group_id=None, label="All", figures=_sum(groups)),
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
