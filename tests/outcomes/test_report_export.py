"""The outcomes report's export (``?format=csv|xlsx``, outcomes.tables.outcomes_table): the
page's headers and rows for the same period, in the viewer's scope, logged; bad input is 400."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog
from outcomes import tables
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:report")
PERIOD = {"start": "2026-01-01", "end": "2026-02-28"}

# alice's caseload in the period (tests/outcomes/conftest.py, ``outcomes``): of three clients
# measured for substance use one improved, one did not change, one worsened; of two for
# housing one improved, one worsened.
ALICES_ROWS = [
    ["Recovery support", "Days of substance use", "Lower is better", 4, 3, 1, 1, 1, 33],
    ["Recovery support", "Housing status", "Higher is better", 1, 2, 1, 0, 1, 50],
]


def thead(content: bytes, table_id: str) -> list[str]:
    """The column headers of the table's head (its rows' headers, the measures, left out)."""
    start = content.index(f'id="{table_id}"'.encode())
    return page_headers(content[: content.index(b"</thead>", start)], table_id)


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each row, in the export's columns."""
    return [
        [r.program, r.measure.name, r.measure.get_direction_display(), r.measure.meaningful_change,
         r.measured, r.improved, r.unchanged, r.worsened, r.improved_percent]
        for r in response.context["rows"]
    ]  # fmt: skip


def test_a_csv_has_the_pages_headers(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    page = client.get(URL, PERIOD)
    lines = csv_lines(client.get(URL, {**PERIOD, "format": "csv"}))
    assert lines[0] == tables.OUTCOME_HEADERS
    assert is_subsequence(thead(page.content, "outcomes-table"), lines[0])


def test_a_csv_has_exactly_the_pages_rows(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    page = client.get(URL, PERIOD)
    lines = csv_lines(client.get(URL, {**PERIOD, "format": "csv"}))
    assert _page_rows(page) == ALICES_ROWS
    assert lines[1:] == as_csv(ALICES_ROWS)


def test_a_csv_keeps_the_pages_period(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    query = {**PERIOD, "start": "2026-02-28"}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[4] for line in lines[1:]] == ["1", "1"]  # E1 alone, measured on the 28th


def test_an_xlsx_has_the_pages_headers_and_rows(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    page = client.get(URL, PERIOD)
    lines = xlsx_lines(client.get(URL, {**PERIOD, "format": "xlsx"}))
    assert lines[0] == tables.OUTCOME_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_of_counts_carries_no_notice(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    response = client.get(URL, {**PERIOD, "format": "csv"})
    assert b"".join(response.streaming_content).decode().startswith("Program,")


def test_an_export_counts_no_client_outside_the_viewers_scope(
    client, alice: User, outcomes
) -> None:
    # charlie's client improved on substance use: the agency counts four, alice's file three.
    client.force_login(alice)
    lines = csv_lines(client.get(URL, {**PERIOD, "format": "csv"}))
    assert [line[4] for line in lines[1:]] == ["3", "2"]


def test_an_export_of_a_teammate_holds_no_row_of_another_caseload(
    client, bob: User, outcomes
) -> None:
    client.force_login(bob)
    assert csv_lines(client.get(URL, {**PERIOD, "format": "csv"})) == [tables.OUTCOME_HEADERS]


def test_every_export_is_in_the_access_log(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    client.get(URL, {**PERIOD, "format": "xlsx"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (alice, 2, None)
    assert entry.path.startswith(URL) and "format=xlsx" in entry.path


def test_the_page_links_to_its_exports(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    links = client.get(URL, PERIOD).context["export_links"]
    assert links["csv"] == f"{URL}?start=2026-01-01&end=2026-02-28&format=csv"


def test_an_unknown_format_answers_400(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    assert client.get(URL, {**PERIOD, "format": "pdf"}).status_code == 400


def test_a_start_after_the_end_answers_400(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    query = {"start": "2026-03-01", "end": "2026-01-01", "format": "csv"}
    response = client.get(URL, query)
    assert response.status_code == 400
    assert b"end" in response.content


def test_an_unknown_program_answers_400(client, alice: User, outcomes) -> None:
    client.force_login(alice)
    assert client.get(URL, {**PERIOD, "program": "x", "format": "csv"}).status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()
