"""Supervision's exports (exports.tables): the variance queue and the flag list. Each builds,
for a viewer and the page's query, the rows its page shows, through the same filter and the
same selectors as the page (every row of it, not one page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from accounts.selectors import WorklistChoice
from casemgmt import dates
from casemgmt.roles import require_administrator
from exports.tables import (
    Table,
    cleaned_data,
    holds_part2,
    in_chunks,
    register,
    worklist_from_query,
)
from supervision import selectors
from supervision.forms.variances import VarianceFilter
from supervision.models import Flag, Variance
from supervision.rules import is_registered


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


# --- The variance queue (supervision:variance_queue) -------------------------------------------


def variance_queue_filter(viewer: User, query: QueryDict) -> VarianceFilter:
    """The queue's filters over its variances, pending ones unless ``?status=`` says otherwise."""
    return VarianceFilter(
        query,
        queryset=selectors.variance_queue(viewer=viewer),
        default_status=Variance.Status.PENDING,
    )


VARIANCE_QUEUE_HEADERS = [
    "Requested", "Requested by", "Client", "Record number", "Program", "Team", "Region",
    "Standard", "Flag due", "Days overdue", "Reason", "Proposed date", "Status", "Decided",
    "Approved until",
]  # fmt: skip


def variance_queue_row(row: selectors.VarianceRow) -> list[Any]:
    """A row of the queue (supervision.selectors.variance_rows), with the whole reason the
    page cuts short."""
    variance, enrollment = row.variance, row.variance.enrollment
    overdue = max(row.days_overdue, 0) if row.days_overdue is not None else None
    return [
        _local_date(variance.requested_at),
        str(variance.requested_by),
        enrollment.client.display_name,
        enrollment.client.record_number,
        enrollment.program.name,
        enrollment.team.name,
        enrollment.team.region.name,
        variance.get_rule_display(),
        row.due_on,
        overdue,
        variance.reason,
        variance.proposed_due_on,
        variance.get_status_display(),
        _local_date(variance.decided_at),
        variance.approved_due_on,
    ]


def _variance_queue_rows(variances: QuerySet[Variance], today: dt.date) -> Iterator[list[Any]]:
    for variance in in_chunks(variances):
        (row,) = selectors.variance_rows([variance], today=today)
        yield variance_queue_row(row)


@register("supervision.variance_queue", filename="variance-queue")
def variance_queue_table(viewer: User, query: QueryDict) -> Table:
    """Division administration's queue, for administrators only (as the page)."""
    require_administrator(viewer, to="reads the variance queue")
    finder = variance_queue_filter(viewer, query)
    cleaned_data(finder.form)
    variances = finder.qs
    return Table(
        headers=VARIANCE_QUEUE_HEADERS,
        rows=_variance_queue_rows(variances, dates.today()),
        count=variances.count(),
        part2=holds_part2(variances, "enrollment__program"),
    )


# --- The flag list (supervision:flag_list) -----------------------------------------------------


@dataclass(frozen=True)
class FlagsAsked:
    choice: WorklistChoice
    rule: str  # empty: every rule (an unknown rule is every rule too, as on the page)
    flags: QuerySet[Flag]


def flags_asked(viewer: User, choice: WorklistChoice, query: QueryDict) -> FlagsAsked:
    """The open flags of the worklist chosen and ``?rule=``."""
    rule = query.get("rule", "")
    if not is_registered(rule):
        rule = ""
    flags = selectors.flags_for_worklist(
        viewer=viewer,
        case_manager_id=choice.case_manager_id,
        team_id=None if choice.case_manager_id is not None else choice.team_id,
        rule=rule or None,
    )
    return FlagsAsked(choice=choice, rule=rule, flags=flags)


FLAG_HEADERS = [
    "Rule", "Client", "Record number", "Case manager", "Program", "Due", "Days overdue",
    "Raised",
]  # fmt: skip


def flag_row(flag: Flag, *, as_of: dt.date) -> list[Any]:
    """A flag as the list shows it, under its rule; days overdue are negative before the due
    date (a consent about to expire)."""
    explanation = flag.explain(as_of=as_of)
    enrollment = flag.enrollment
    return [
        explanation["rule"],
        enrollment.client.display_name,
        enrollment.client.record_number,
        str(enrollment.case_manager),
        enrollment.program.name,
        explanation["due_on"],
        explanation["days_overdue"],
        flag.raised_on,
    ]


def _flag_rows(flags: QuerySet[Flag], as_of: dt.date) -> Iterator[list[Any]]:
    for flag in in_chunks(flags):
        yield flag_row(flag, as_of=as_of)


@register("supervision.flags", filename="open-flags")
def flags_table(viewer: User, query: QueryDict) -> Table:
    asked = flags_asked(viewer, worklist_from_query(viewer, query), query)
    return Table(
        headers=FLAG_HEADERS,
        rows=_flag_rows(asked.flags, dates.today()),
        count=asked.flags.count(),
        part2=holds_part2(asked.flags, "enrollment__program"),
    )
