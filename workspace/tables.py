"""The workspace's exports (exports.tables): the caseload, and the client directory, whose app
(clients) sits below exports and so cannot register it itself. Each builds, for a viewer and
the page's query, the rows its page shows, through the same parameters and the same selectors
as the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from accounts.models import User
from accounts.selectors import WorklistChoice
from casemgmt import dates
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
from serviceplans.selectors import assessment_due_status
from supervision.selectors import rules_in_order
from workspace import selectors

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
