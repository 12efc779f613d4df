"""The client directory's export (``/clients/export/?<the directory's query>&format=csv``,
workspace.tables.client_directory_table): the directory's clients for the same search and
filters, every page of them, in the viewer's scope, logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import User
from clients import selectors
from clients.models import AccessLog, Client, Enrollment
from clients.views import directory as directory_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, xlsx_lines
from workspace import tables

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("clients:client_list")
URL = reverse("workspace:client_list_export")


@pytest.fixture
def directory(alice: User, bob: User, charlie: User) -> list[Client]:
    """alice's open client, her former client, a client of the team never enrolled, bob's
    open client and charlie's."""
    former = factories.EnrollmentFactory(
        case_manager=alice, client__last_name="Former", application_date=dt.date(2025, 1, 1)
    )
    Enrollment.objects.filter(pk=former.pk).update(
        status=Enrollment.Status.CLOSED, closed_on=dt.date(2026, 1, 5), close_reason="goals_met"
    )
    return [
        factories.EnrollmentFactory(case_manager=alice, client__last_name="Open").client,
        former.client,
        factories.ClientFactory(created_by=alice, last_name="Never", phone="208-555-0101"),
        factories.EnrollmentFactory(case_manager=bob, client__last_name="Bobs").client,
        factories.EnrollmentFactory(case_manager=charlie, client__last_name="Charlies").client,
    ]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each client, in the export's columns."""
    rows = []
    for row in response.context["rows"]:
        c, status = row["client"], row["status"]
        open_in = "; ".join(
            f"{r['program']} with {r['case_manager']}" for r in c.open_enrollment_rows
        )
        rows.append([
            c.display_name, c.record_number, c.date_of_birth, c.phone,
            selectors.DirectoryStatus(status).label, open_in if status == "open" else "",
            c.last_closed_on if status == "closed" else None,
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_rows(client, sam: User, directory) -> None:
    client.force_login(sam)
    page = client.get(PAGE_URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.DIRECTORY_HEADERS
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 4  # alice's three and bob's one


def test_an_xlsx_has_the_pages_rows(client, sam: User, directory) -> None:
    client.force_login(sam)
    page = client.get(PAGE_URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.DIRECTORY_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_keeps_the_directorys_search(client, sam: User, directory) -> None:
    client.force_login(sam)
    query = {"q": "Former"}
    page = client.get(PAGE_URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[1] for line in lines[1:]] == [directory[1].record_number]


def test_an_export_holds_every_page_of_the_directory(
    client, sam: User, directory, monkeypatch
) -> None:
    monkeypatch.setattr(directory_views, "CLIENT_LIST_PAGE_SIZE", 2)
    client.force_login(sam)
    assert len(client.get(PAGE_URL).context["rows"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 4


def test_the_page_links_to_its_files_with_its_query(client, sam: User, directory) -> None:
    client.force_login(sam)
    content = client.get(PAGE_URL, {"q": "Former", "status": "closed"}).content.decode()
    assert f'href="{URL}?q=Former&amp;status=closed&amp;format=csv" id="export-csv"' in content
    assert f'href="{URL}?q=Former&amp;status=closed&amp;format=xlsx" id="export-xlsx"' in content


def test_an_export_holds_no_client_of_another_team(client, charlie: User, directory) -> None:
    client.force_login(charlie)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[1] for line in lines[1:]] == [directory[4].record_number]


def test_a_search_the_directory_refuses_answers_400(client, sam: User, directory) -> None:
    client.force_login(sam)
    too_long = "x" * (selectors.DIRECTORY_SEARCH_MAX_LENGTH + 1)
    assert client.get(URL, {"q": too_long, "format": "csv"}).status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_every_export_is_in_the_access_log(client, sam: User, directory) -> None:
    client.force_login(sam)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 4, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, sam: User, directory) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_without_a_format_it_answers_400(client, sam: User, directory) -> None:
    client.force_login(sam)
    assert client.get(URL).status_code == 400
