"""Supervision's exports (exports.tables): the variance queue and list, the flag list, the
supervision notes and the regional plans. Each builds, for a viewer and the page's query, the
rows its page shows, through the same filter and the same selectors as the page (every row of
it, not one page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
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
from supervision.forms.notes import NoteFilter
from supervision.forms.variances import VarianceFilter
from supervision.models import Flag, RegionalPlan, SupervisionNote, Variance
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


def _variance_rows(
    variances: QuerySet[Variance],
    today: dt.date,
    row_of: Callable[[selectors.VarianceRow], list[Any]],
) -> Iterator[list[Any]]:
    for variance in in_chunks(variances):
        (row,) = selectors.variance_rows([variance], today=today)
        yield row_of(row)


@register("supervision.variance_queue", filename="variance-queue")
def variance_queue_table(viewer: User, query: QueryDict) -> Table:
    """Division administration's queue, for administrators only (as the page)."""
    require_administrator(viewer, to="reads the variance queue")
    finder = variance_queue_filter(viewer, query)
    cleaned_data(finder.form)
    variances = finder.qs
    return Table(
        headers=VARIANCE_QUEUE_HEADERS,
        rows=_variance_rows(variances, dates.today(), variance_queue_row),
        count=variances.count(),
        part2=holds_part2(variances, "enrollment__program"),
    )


# --- The variance list (supervision:variance_list) --------------------------------------------


def variance_list_filter(viewer: User, query: QueryDict) -> VarianceFilter:
    """The list's filters over the viewer's variances (every status unless ``?status=``)."""
    return VarianceFilter(query, queryset=selectors.variances_visible(viewer=viewer))


# The list's rows are the queue's, with the case manager the list shows after the program.
_CASE_MANAGER_AT = VARIANCE_QUEUE_HEADERS.index("Program") + 1
VARIANCE_LIST_HEADERS = [
    *VARIANCE_QUEUE_HEADERS[:_CASE_MANAGER_AT],
    "Case manager",
    *VARIANCE_QUEUE_HEADERS[_CASE_MANAGER_AT:],
]


def variance_list_row(row: selectors.VarianceRow) -> list[Any]:
    """A row of the list: the queue's row (variance_queue_row) and the case manager."""
    cells = variance_queue_row(row)
    cells.insert(_CASE_MANAGER_AT, str(row.variance.enrollment.case_manager))
    return cells


@register("supervision.variance_list", filename="variances")
def variance_list_table(viewer: User, query: QueryDict) -> Table:
    """The variances of the viewer's teams (every team for agency-wide roles), newest first."""
    finder = variance_list_filter(viewer, query)
    cleaned_data(finder.form)
    variances = finder.qs
    return Table(
        headers=VARIANCE_LIST_HEADERS,
        rows=_variance_rows(variances, dates.today(), variance_list_row),
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


# --- Supervision notes (supervision:note_list) -------------------------------------------------


def note_list_filter(viewer: User, query: QueryDict) -> NoteFilter:
    """The list's filters (kind, acknowledgement, client) over the notes the viewer reads, in
    the list's order (a case manager's still to acknowledge first)."""
    return NoteFilter(query, queryset=selectors.note_list(viewer=viewer))


NOTE_HEADERS = [
    "Held on", "Kind", "Client", "Record number", "Program", "Staff supervised", "Supervisor",
    "Concerns", "Open tasks", "Acknowledged",
]  # fmt: skip


def note_row(note: SupervisionNote) -> list[Any]:
    """A note as the list shows it (supervision.selectors.notes_visible annotates its
    ``open_tasks``): a clinical supervision session names no client, and a note still to
    acknowledge has no acknowledgement date."""
    (labelled,) = selectors.with_concern_labels([note])
    enrollment = note.enrollment
    return [
        note.held_on,
        note.get_kind_display(),
        enrollment.client.display_name if enrollment else "",
        enrollment.client.record_number if enrollment else "",
        enrollment.program.name if enrollment else "",
        str(note.staff_supervised),
        str(note.author),
        "; ".join(getattr(labelled, "concern_labels", [])),
        getattr(note, "open_tasks", None),
        note.acknowledged_on,
    ]


def _note_rows(notes: QuerySet[SupervisionNote]) -> Iterator[list[Any]]:
    for note in in_chunks(notes):
        yield note_row(note)


@register("supervision.notes", filename="supervision-notes")
def note_list_table(viewer: User, query: QueryDict) -> Table:
    finder = note_list_filter(viewer, query)
    cleaned_data(finder.form)
    notes = finder.qs
    return Table(
        headers=NOTE_HEADERS,
        rows=_note_rows(notes),
        count=notes.count(),
        # A clinical supervision session names no enrollment, so no program of Part 2.
        part2=holds_part2(notes, "enrollment__program"),
    )


# --- Regional service-delivery plans (supervision:regional_plan_list) ---------------------------


REGIONAL_PLAN_HEADERS = [
    "Year", "Region", "Status", "Goals", "Prepared by", "Submitted", "Decided", "Decided by",
]  # fmt: skip


def regional_plan_row(plan: RegionalPlan) -> list[Any]:
    """A plan as the list shows it (supervision.selectors.regional_plans, with its
    ``goal_count``)."""
    return [
        plan.year,
        plan.region.name,
        plan.get_status_display(),
        getattr(plan, "goal_count", None),
        str(plan.prepared_by),
        _local_date(plan.submitted_at),
        _local_date(plan.decided_at),
        str(plan.decided_by) if plan.decided_by else "",
    ]


def _regional_plan_rows(plans: QuerySet[RegionalPlan]) -> Iterator[list[Any]]:
    for plan in in_chunks(plans):
        yield regional_plan_row(plan)


@register("supervision.regional_plans", filename="regional-plans")
def regional_plan_list_table(viewer: User, query: QueryDict) -> Table:
    """Every region's plans (everyone reads them): agency business, not client records."""
    plans = selectors.regional_plans(viewer=viewer)
    return Table(
        headers=REGIONAL_PLAN_HEADERS,
        rows=_regional_plan_rows(plans),
        count=plans.count(),
        part2=False,
    )
