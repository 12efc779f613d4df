"""Exports (exports.formats, exports.http) through the staff activity log: the page's headers
and rows, its scope, formula escaping, the 42 CFR 2.32 notice, the sheet split, the access log."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from clients.models import AccessLog, Program
from exports import formats as exports
from exports.formats import REDISCLOSURE_NOTICE
from reports import activity
from tests import factories
from tests.reports.conftest import local

URL = reverse("reports:activity")
QUERY = {"start": "2026-03-01", "end": "2026-04-15"}


@pytest.fixture
def contacts(frozen: None, enrollment, bob: User):
    factories.ContactFactory(enrollment=enrollment, occurred_at=local(2026, 3, 2))
    factories.ContactFactory(enrollment=enrollment, occurred_at=local(2026, 4, 2))
    factories.ContactFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob), occurred_at=local(2026, 4, 3)
    )


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def _page(client, **extra) -> tuple[list[str], list[list]]:
    context = client.get(URL, {**QUERY, **extra}).context
    return context["headers"], [activity.table_row(row) for row in context["rows"]]


def _as_text(rows: list[list]) -> list[list[str]]:
    def text(cell) -> str:
        if cell is None:
            return ""
        return cell.isoformat() if isinstance(cell, dt.date) else str(cell)

    return [[text(cell) for cell in row] for row in rows]


def test_a_csv_has_the_pages_headers_and_rows(client, sam: User, contacts) -> None:
    client.force_login(sam)
    headers, rows = _page(client)
    lines = _csv_rows(client.get(URL, {**QUERY, "format": "csv"}))
    start = lines.index(headers)
    assert lines[start + 1 :] == _as_text(rows)
    assert len(rows) == 3  # alice in March and April, bob in April


def test_a_csv_is_streamed(client, sam: User, contacts) -> None:
    client.force_login(sam)
    response = client.get(URL, {**QUERY, "format": "csv"})
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="staff-activity-')


def test_an_xlsx_has_the_pages_headers_and_rows(client, sam: User, contacts) -> None:
    client.force_login(sam)
    headers, rows = _page(client)
    workbook = load_workbook(io.BytesIO(client.get(URL, {**QUERY, "format": "xlsx"}).content))
    sheet = workbook.worksheets[-1]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == headers
    expected = [
        [c if not isinstance(c, dt.date) else dt.datetime.combine(c, dt.time()) for c in r]
        for r in rows
    ]
    assert values[1:] == expected


def test_an_export_holds_no_row_the_user_could_not_open(
    client, alice: User, bob: User, contacts
) -> None:
    client.force_login(alice)
    lines = _csv_rows(client.get(URL, {**QUERY, "format": "csv"}))
    names = {line[0] for line in lines[1:]}  # after the headers (no notice: no Part 2 program)
    assert names == {alice.get_full_name()}
    assert bob.get_full_name() not in names


def test_an_export_of_a_part2_programs_contacts_carries_the_notice(
    client, sam: User, contacts
) -> None:
    Program.objects.update(is_part2=True)
    client.force_login(sam)
    lines = _csv_rows(client.get(URL, {**QUERY, "format": "csv"}))
    assert "42 CFR 2.32" in lines[0][0]
    assert REDISCLOSURE_NOTICE in lines[0][0]
    workbook = load_workbook(io.BytesIO(client.get(URL, {**QUERY, "format": "xlsx"}).content))
    assert workbook.sheetnames[0] == exports.NOTICE_SHEET


def test_an_export_of_other_programs_contacts_carries_no_notice(
    client, sam: User, contacts
) -> None:
    client.force_login(sam)
    lines = _csv_rows(client.get(URL, {**QUERY, "format": "csv"}))
    assert lines[0][0] == "Case manager"


def test_an_export_without_contacts_carries_no_notice(client, charlie: User, frozen) -> None:
    client.force_login(charlie)
    lines = _csv_rows(client.get(URL, {**QUERY, "format": "csv"}))
    assert lines[0][0] == "Case manager"


def test_every_export_is_in_the_access_log(client, sam: User, contacts) -> None:
    client.force_login(sam)
    client.get(URL, {**QUERY, "format": "xlsx"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 3, None)
    assert entry.path.startswith(URL) and "format=xlsx" in entry.path


@pytest.mark.parametrize("value", ["=SUM(A1:A2)", "+1", "-1+2", "@cmd", "\t=1"])
def test_a_cell_that_begins_like_a_formula_is_escaped(value: str) -> None:
    assert exports.escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Alice Smith", 5, -3, None, "a=b"])
def test_other_cells_are_left_alone(value) -> None:
    assert exports.escape_cell(value) == value


def test_a_formula_in_a_name_reaches_the_csv_escaped(client, ada: User, frozen) -> None:
    case_manager = factories.CaseManagerFactory(first_name="=HYPERLINK(1)", last_name="x")
    enrollment = factories.EnrollmentFactory(case_manager=case_manager)
    factories.ContactFactory(enrollment=enrollment, occurred_at=local(2026, 4, 2))
    client.force_login(ada)
    lines = _csv_rows(client.get(URL, {**QUERY, "format": "csv"}))
    assert [line[0] for line in lines if line and "HYPERLINK" in line[0]] == ["'=HYPERLINK(1) x"]


def test_a_formula_in_a_name_reaches_the_xlsx_as_text(client, ada: User, frozen) -> None:
    case_manager = factories.CaseManagerFactory(first_name="=HYPERLINK(1)", last_name="x")
    factories.ContactFactory(
        enrollment=factories.EnrollmentFactory(case_manager=case_manager),
        occurred_at=local(2026, 4, 2),
    )
    client.force_login(ada)
    workbook = load_workbook(io.BytesIO(client.get(URL, {**QUERY, "format": "xlsx"}).content))
    cell = workbook.worksheets[-1]["A2"]
    assert (cell.value, cell.data_type) == ("'=HYPERLINK(1) x", "s")


def test_an_xlsx_splits_across_sheets_at_the_row_limit(monkeypatch) -> None:
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)  # two rows and the header a sheet
    out = io.BytesIO()
    written = exports.write_xlsx(out, ["n"], [[n] for n in range(5)], part2=False)
    workbook = load_workbook(out)
    sheets = [[r[0] for r in ws.iter_rows(values_only=True)] for ws in workbook.worksheets]
    assert written == 5
    assert sheets == [["n", 0, 1], ["n", 2, 3], ["n", 4]]


def test_an_empty_xlsx_still_has_its_headers() -> None:
    out = io.BytesIO()
    exports.write_xlsx(out, ["a", "b"], [], part2=False)
    assert [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)] == [["a", "b"]]
