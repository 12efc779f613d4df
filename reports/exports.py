"""Exports: any report or list, as CSV or XLSX, with the rows and the scope of the page.

A view builds its headers and rows once (the same cells its template shows) and, when asked
``?format=csv`` or ``?format=xlsx``, answers with :func:`export_response` instead of the page:

- CSV is streamed (``StreamingHttpResponse``), a row at a time;
- XLSX is written by openpyxl in write-only mode, a new sheet every ``XLSX_MAX_ROWS`` rows
  (the format's limit, 1,048,576 rows a sheet, header included);
- a text cell that a spreadsheet would read as a formula (beginning with ``=``, ``+``, ``-`` or
  ``@``, or a tab or carriage return that hides one) is written with a leading single quote
  (OWASP, "CSV injection");
- an export holding substance-use treatment records (42 CFR Part 2) carries the redisclosure
  notice of 42 CFR 2.32, the text the referral packets use (``referrals.packet``): in a CSV its
  first line, in a workbook its first sheet;
- every export leaves a row in the access log: who, what (the page and its parameters) and how
  many rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from clients.access import client_ip
from clients.models import AccessLog
from clients.services import access_log_record
from referrals.packet import REDISCLOSURE_NOTICE

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)

XLSX_MAX_ROWS = 1_048_576
NOTICE_TITLE = "Notice of prohibition on redisclosure (42 CFR 2.32)"
NOTICE_SHEET = "42 CFR 2.32 notice"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def requested_format(request: HttpRequest) -> str | None:
    """``csv`` or ``xlsx`` when the page is asked for as a file, ``None`` for the page; any
    other value is returned as given so the view can refuse it (400)."""
    return request.GET.get("format") or None


def escape_cell(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape_cell(value)


class _Echo:
    """The csv writer's file: each row is handed back instead of stored."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, part2: bool
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    if part2:
        yield cast(str, writer.writerow([f"{NOTICE_TITLE}: {REDISCLOSURE_NOTICE}"]))
        yield cast(str, writer.writerow([]))
    yield cast(str, writer.writerow([escape_cell(h) for h in headers]))
    for row in rows:
        yield cast(str, writer.writerow([_csv_cell(cell) for cell in row]))


def write_xlsx(
    out: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, part2: bool
) -> int:
    """Write the workbook to the file ``out``; answers the number of rows written. Each data
    sheet starts with the headers and holds at most ``XLSX_MAX_ROWS`` rows with them."""
    workbook = Workbook(write_only=True)
    if part2:
        notice = workbook.create_sheet(NOTICE_SHEET)
        notice.append([NOTICE_TITLE])
        notice.append([REDISCLOSURE_NOTICE])
    header_row = [escape_cell(h) for h in headers]
    per_sheet = XLSX_MAX_ROWS - 1
    sheet = None
    written = 0
    for row in rows:
        if written % per_sheet == 0:
            sheet = workbook.create_sheet(f"Rows {written + 1}-")
            sheet.append(header_row)
        assert sheet is not None
        sheet.append([escape_cell(cell) for cell in row])
        written += 1
    if sheet is None:
        workbook.create_sheet("Rows").append(header_row)
    workbook.save(out)
    return written


def _log_export(request: HttpRequest, row_count: int) -> None:
    access_log_record(
        user=cast(User, request.user),
        client_id=None,
        action=AccessLog.Action.EXPORTED,
        path=request.get_full_path(),
        ip_address=client_ip(request),
        row_count=row_count,
    )


def _filename(name: str, extension: str) -> str:
    return f"{name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_response(
    request: HttpRequest,
    *,
    fmt: str,
    name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    part2: bool,
) -> HttpResponse | StreamingHttpResponse:
    """The file a page's ``?format=`` asks for: ``name`` is the file name's stem, ``headers``
    and ``rows`` the page's table (already scoped to the viewer), ``part2`` whether it holds
    substance-use treatment records. The access log is written first, with the row count."""
    _log_export(request, len(rows))
    if fmt == CSV:
        response = StreamingHttpResponse(
            _csv_lines(headers, rows, part2=part2), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename(name, CSV)}"'
        return response
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        write_xlsx(out, headers, rows, part2=part2)
        out.seek(0)
        content = out.read()
    xlsx = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    xlsx["Content-Disposition"] = f'attachment; filename="{_filename(name, XLSX)}"'
    return xlsx
