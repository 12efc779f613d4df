"""The caseload's export (``?format=csv|xlsx``, workspace.tables.caseload_table): the page's
rows, every page of them, in the viewer's scope, logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import AccessLog, Enrollment
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines
from workspace import tables
from workspace.views import caseload as caseload_view

pytestmark = pytest.mark.django_db

URL = reverse("workspace:caseload")


@pytest.fixture
def caseload(enrollment: Enrollment, alice: User, bob: User, other_enrollment: Enrollment) -> None:
    """alice's two enrollments (one contacted, one flagged), bob's one, charlie's one."""
    contacted = factories.EnrollmentFactory(case_manager=alice)
    factories.ContactFactory(enrollment=contacted, occurred_at=timezone.now())
    factories.FlagFactory(enrollment=enrollment)
    factories.EnrollmentFactory(case_manager=bob)


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each row, in the export's columns."""
    rows = []
    for row in response.context["rows"]:
        e, due = row["enrollment"], row["assessment_due"]
        rows.append([
            e.client.display_name, e.client.record_number, e.program.name,
            e.get_continuum_stage_display(), str(e.case_manager), row["days_since_contact"],
            due.label, due.due_on, "yes" if row["at_risk"] else "no",
            "; ".join(label for _, label in row["flags"]),
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_headers_and_rows(client, sam: User, caseload) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.CASELOAD_HEADERS
    assert is_subsequence(page_headers(page.content, "caseload"), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 3  # alice's two and bob's one


def test_an_xlsx_has_the_pages_headers_and_rows(client, sam: User, caseload) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.CASELOAD_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_holds_every_page_of_the_caseload(
    client, sam: User, caseload, monkeypatch
) -> None:
    monkeypatch.setattr(caseload_view, "CASELOAD_PAGE_SIZE", 2)
    client.force_login(sam)
    assert len(client.get(URL).context["rows"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 3


def test_an_export_keeps_the_pages_search(client, alice: User, enrollment, caseload) -> None:
    client.force_login(alice)
    query = {"q": enrollment.client.record_number}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[1] for line in lines[1:]] == [enrollment.client.record_number]


def test_an_export_holds_no_client_of_another_team(
    client, charlie: User, alice: User, caseload
) -> None:
    client.force_login(charlie)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert {line[4] for line in lines[1:]} == {str(charlie)}
    assert not Enrollment.objects.filter(
        case_manager=alice, client__record_number__in=[line[1] for line in lines[1:]]
    ).exists()


def test_every_export_is_in_the_access_log(client, sam: User, caseload) -> None:
    client.force_login(sam)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 3, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, sam: User, caseload) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "pdf"}).status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_the_page_links_to_its_files_with_its_query(client, alice: User, caseload) -> None:
    client.force_login(alice)
    links = client.get(URL, {"q": "smith"}).context["export_links"]
    assert links == {"csv": f"{URL}?q=smith&format=csv", "xlsx": f"{URL}?q=smith&format=xlsx"}
