"""The workspace's exports (exports.tables): the caseload, the client directory, whose app
(clients) sits below exports and so cannot register it itself, the supervisor's dashboard's
case managers and My work. Each builds, for a viewer and the page's query, the rows its page
shows, through the same parameters and the same selectors as the page."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import QueryDict

from accounts.models import User
from accounts.selectors import WorklistChoice, case_managers_of_teams
from casemgmt import dates
from casemgmt.service_forms import query_int
from clients import selectors as client_selectors
from clients.forms.directory import ClientDirectoryFilter
from clients.models import Client, Enrollment
from exports.tables import (
    InvalidQuery,
    Table,
    cleaned_data,
    holds_part2,
    in_chunks,
    register,
    worklist_from_query,
)
from quality.models import CorrectiveAction
from referrals.models import Consent, Referral
from scheduling.models import PlannedVisit
from serviceplans.models import ServicePlan
from serviceplans.selectors import assessment_due_status
from supervision import selectors as supervision_selectors
from supervision.models import Flag, FollowUpTask, SupervisionNote
from supervision.selectors import rules_in_order
from workspace import my_work, selectors

# --- The caseload (workspace:caseload) ---------------------------------------------------------


def caseload_sort(query: QueryDict) -> str:
    sort = query.get("sort", "")
    return sort if sort in selectors.CASELOAD_SORTS else selectors.CASELOAD_SORT_LAST_CONTACT


def caseload_search(query: QueryDict) -> str:
    search = query.get("q", "")
    if "\x00" in search:
        # Only a forged address carries one, and PostgreSQL refuses it in a string.
        raise InvalidQuery({"q": ["A search cannot contain a NUL character."]})
    return search


def caseload_of(viewer: User, choice: WorklistChoice, query: QueryDict) -> QuerySet[Enrollment]:
    """The caseload's enrollments for the worklist chosen, ``?q=`` and ``?sort=``: the page
    shows them a page at a time, the export all of them."""
    return selectors.caseload_enrollments(
        viewer=viewer,
        case_manager_id=choice.case_manager_id,
        team_id=None if choice.case_manager_id is not None else choice.team_id,
        search=caseload_search(query),
        sort=caseload_sort(query),
    )


CASELOAD_HEADERS = [
    "Client", "Record", "Program", "Stage", "Case manager", "Days since last contact",
    "Next assessment", "Next assessment due on", "At risk", "Open flags",
]  # fmt: skip


def caseload_row(enrollment: Any, *, today: dt.date) -> list[Any]:
    """An enrollment annotated by workspace.selectors.caseload_enrollments, as the page's row
    shows it."""
    due = assessment_due_status(enrollment, today=today)
    return [
        enrollment.client.display_name,
        enrollment.client.record_number,
        enrollment.program.name,
        enrollment.get_continuum_stage_display(),
        str(enrollment.case_manager),
        selectors.days_since(enrollment.last_contact_at, today=today),
        due.label,
        due.due_on,
        "yes" if enrollment.at_risk else "no",
        "; ".join(label for _, label in rules_in_order(enrollment.open_flag_rules)),
    ]


def _caseload_rows(enrollments: QuerySet[Enrollment], today: dt.date) -> Iterator[list[Any]]:
    for enrollment in in_chunks(enrollments):
        yield caseload_row(enrollment, today=today)


@register("workspace.caseload", filename="caseload")
def caseload_table(viewer: User, query: QueryDict) -> Table:
    enrollments = caseload_of(viewer, worklist_from_query(viewer, query), query)
    return Table(
        headers=CASELOAD_HEADERS,
        rows=_caseload_rows(enrollments, dates.today()),
        count=enrollments.count(),
        part2=holds_part2(enrollments, "program"),
    )


# --- The client directory (clients:client_list) ------------------------------------------------

DIRECTORY_HEADERS = [
    "Client", "Record number", "Date of birth", "Phone", "Status", "Open enrollments", "Closed on",
]  # fmt: skip


def directory_row(client: Any) -> list[Any]:
    """A client read by clients.selectors.client_directory, as the directory shows it: each
    open enrollment "program with case manager", or the latest closing date."""
    status = client_selectors.directory_status(client)
    open_in = [
        f"{row['program']} with {row['case_manager']}" for row in client.open_enrollment_rows
    ]
    return [
        client.display_name,
        client.record_number,
        client.date_of_birth,
        client.phone,
        client_selectors.DirectoryStatus(status).label,
        "; ".join(open_in) if status == client_selectors.DirectoryStatus.OPEN else "",
        client.last_closed_on if status == client_selectors.DirectoryStatus.CLOSED else None,
    ]


def _directory_rows(clients: QuerySet[Client]) -> Iterator[list[Any]]:
    for client in in_chunks(clients):
        yield directory_row(client)


@register("workspace.client_directory", filename="clients")
def client_directory_table(viewer: User, query: QueryDict) -> Table:
    """The directory's search and filters (clients.forms.directory), which its page uses too:
    a search the page refuses is refused here."""
    finder = ClientDirectoryFilter(query, viewer=viewer)
    cleaned_data(finder.form)
    clients = finder.qs
    return Table(
        headers=DIRECTORY_HEADERS,
        rows=_directory_rows(clients),
        count=clients.count(),
        part2=holds_part2(clients, "enrollments__program"),
    )


# --- The dashboard's case managers (workspace:dashboard) -----------------------------------------

# The rows are counts per case manager: no client is named in them, so they carry no 42 CFR 2.32
# notice (as quality's scores and the outcome reports' counts).
DASHBOARD_HOLDS_PART2 = False

# The case-manager table's own columns: (sort key, header, numeric). Numbers sort the largest
# first on the first click (who has the most flags), words from A.
DASHBOARD_COLUMNS = (
    ("name", "Case manager", False),
    ("team", "Team", False),
    ("caseload", "Caseload", True),
    ("at_risk", "Clients at risk", True),
)
DASHBOARD_OPEN_FLAGS_COLUMN = ("open_flags", "Open flags", True)


def dashboard_scope(viewer: User, query: QueryDict) -> supervision_selectors.DashboardTeams:
    """The teams the dashboard shows for ``?team=`` (one the viewer may not read is ignored,
    as on the page); case managers are refused."""
    if viewer.is_case_manager:
        raise PermissionDenied("The dashboard is for supervisors, administrators and QA.")
    return supervision_selectors.dashboard_teams(viewer=viewer, team_id=query_int(query, "team"))


@dataclass(frozen=True)
class DashboardCaseManagers:
    """The dashboard's case-manager table: its columns as shown (sort key, header, numeric;
    the team only when several teams are shown, a column per rule with an open flag), the
    rules of those columns, the order asked for and the case managers in that order."""

    columns: list[tuple[str, str, bool]]
    rules: list[tuple[str, str]]
    column: str
    descending: bool
    summaries: list[supervision_selectors.CaseManagerSummary]


def dashboard_case_managers_of(
    scope: supervision_selectors.DashboardTeams, query: QueryDict
) -> DashboardCaseManagers:
    """The case managers of the teams shown, ordered by ``?sort=`` (an unknown one gives the
    default order, never an error). Two queries."""
    team_ids = scope.shown_ids
    summaries = supervision_selectors.dashboard_case_managers(
        team_ids=team_ids, case_managers=case_managers_of_teams(team_ids=frozenset(team_ids))
    )
    # Only the rules with an open flag in the teams get a column.
    rules = supervision_selectors.rules_in_order(
        [code for s in summaries for code in s.flags_by_rule]
    )
    column, descending = supervision_selectors.dashboard_sort_of(
        query.get("sort"), rules=[code for code, _ in rules]
    )
    if column == "team" and len(team_ids) == 1:
        column = "name"  # one team: its column is not shown, and the team order is by name
    columns = [c for c in DASHBOARD_COLUMNS if c[0] != "team" or len(team_ids) > 1]
    columns += [
        (f"{supervision_selectors.DASHBOARD_RULE_SORT_PREFIX}{code}", label, True)
        for code, label in rules
    ]
    columns.append(DASHBOARD_OPEN_FLAGS_COLUMN)
    return DashboardCaseManagers(
        columns=columns,
        rules=rules,
        column=column,
        descending=descending,
        summaries=supervision_selectors.dashboard_sorted(
            summaries, column=column, descending=descending
        ),
    )


def dashboard_cell(summary: supervision_selectors.CaseManagerSummary, key: str) -> Any:
    """The value of a case manager's line under the column ``key``."""
    if key.startswith(supervision_selectors.DASHBOARD_RULE_SORT_PREFIX):
        code = key.removeprefix(supervision_selectors.DASHBOARD_RULE_SORT_PREFIX)
        return summary.flags_by_rule.get(code, 0)
    return {
        "name": summary.name,
        "team": summary.team_name,
        "caseload": summary.caseload,
        "at_risk": summary.at_risk,
        "open_flags": summary.open_flags,
    }[key]


@register("workspace.dashboard", filename="dashboard-case-managers")
def dashboard_table(viewer: User, query: QueryDict) -> Table:
    """The case-manager table of the dashboard for ``?team=`` and ``?sort=``, its columns as
    the page shows them (no rows when the viewer has no team to show)."""
    table = dashboard_case_managers_of(dashboard_scope(viewer, query), query)
    rows = [[dashboard_cell(s, key) for key, _, _ in table.columns] for s in table.summaries]
    return Table(
        headers=[label for _, label, _ in table.columns],
        rows=rows,
        count=len(rows),
        part2=DASHBOARD_HOLDS_PART2,
    )


# --- My work (workspace:my_work) ---------------------------------------------------------------


@dataclass(frozen=True)
class MyWorkAsked:
    owner: my_work.MyWorkOwner
    today: dt.date
    items: list[my_work.MyWorkItem]


def my_work_asked(viewer: User, query: QueryDict) -> MyWorkAsked:
    """The items of the work ``?case_manager=`` asks for (the viewer's own by default), soonest
    first. Administrators and QA reviewers are refused (PermissionDenied); a case manager out
    of the viewer's reach raises LookupError."""
    owner = my_work.my_work_owner(viewer=viewer, case_manager_id=query_int(query, "case_manager"))
    today = dates.today()
    items = my_work.my_work_items(viewer=viewer, case_manager=owner.case_manager, today=today)
    return MyWorkAsked(owner=owner, today=today, items=items)


MY_WORK_HEADERS = ["Due on", "Due", "Kind", "Client", "Record number", "What"]


def my_work_row(item: my_work.MyWorkItem) -> list[Any]:
    """An item as the page lists it (supervision about the case manager alone names no
    client)."""
    client = item.client
    return [
        item.due.due_on,
        item.due.label,
        item.kind_label,
        client.display_name if client else "",
        client.record_number if client else "",
        item.what,
    ]


# Each kind of item by the model its ``pk`` is of, and the path from that model to the
# enrollment the item belongs to (a release of information: the referrals relying on it).
MY_WORK_ENROLLMENT_OF: dict[str, tuple[type[Model], str]] = {
    my_work.KIND_ASSESSMENT: (Enrollment, "pk"),
    my_work.KIND_PLAN_REVIEW: (ServicePlan, "enrollment"),
    my_work.KIND_REFERRAL: (Referral, "enrollment"),
    my_work.KIND_VISIT: (PlannedVisit, "enrollment"),
    my_work.KIND_TASK: (FollowUpTask, "note__enrollment"),
    my_work.KIND_NOTE: (SupervisionNote, "enrollment"),
    my_work.KIND_CONSENT: (Consent, "referrals__enrollment"),
    my_work.KIND_FLAG: (Flag, "enrollment"),
    my_work.KIND_CORRECTIVE_ACTION: (CorrectiveAction, "review__enrollment"),
}


def my_work_holds_part2(items: Iterable[my_work.MyWorkItem]) -> bool:
    """Whether any item belongs to an enrollment of a Part 2 program (42 CFR 2.32 notice).
    The items come from several sources; one query over all of them, none for no items."""
    pks: defaultdict[str, list[int]] = defaultdict(list)
    for item in items:
        pks[item.kind].append(item.pk)
    if not pks:
        return False
    of_items = [_enrollments_of(kind, kind_pks) for kind, kind_pks in pks.items()]
    return holds_part2(
        Enrollment.objects.filter(functools.reduce(operator.or_, of_items)), "program"
    )


def _enrollments_of(kind: str, pks: list[int]) -> Q:
    model, path = MY_WORK_ENROLLMENT_OF[kind]
    return Q(pk__in=model._default_manager.filter(pk__in=pks).values(path))


@register("workspace.my_work", filename="my-work")
def my_work_table(viewer: User, query: QueryDict) -> Table:
    """Every item of the work ``?case_manager=`` asks for, in the page's order; a case manager
    out of the viewer's reach (the page's 404) is an invalid query."""
    try:
        asked = my_work_asked(viewer, query)
    except LookupError as missing:
        raise InvalidQuery({"case_manager": [str(missing)]}) from missing
    return Table(
        headers=MY_WORK_HEADERS,
        rows=[my_work_row(item) for item in asked.items],
        count=len(asked.items),
        part2=my_work_holds_part2(asked.items),
    )
