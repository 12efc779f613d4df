"""The file formats of an export: CSV and XLSX, each cell made safe for a spreadsheet.

- CSV is written a row at a time (streamed in a response, or into a file by a job);
- XLSX is written by openpyxl in write-only mode, a new sheet every ``XLSX_MAX_ROWS`` rows
  (the format's limit, 1,048,576 rows a sheet, header included);
- a text cell that a spreadsheet would read as a formula (beginning with ``=``, ``+``, ``-`` or
  ``@``, or a tab or carriage return that hides one) is written with a leading single quote
  (OWASP, "CSV injection");
- an export holding substance-use treatment records (42 CFR Part 2) carries the redisclosure
  notice of 42 CFR 2.32, the text the referral packets use too: in a CSV its first line, in a
  workbook its first sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from openpyxl import Workbook

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)

# 42 CFR 2.32(a)(1), "Statement 1", as amended by the final rule of 16 February 2024: it
# accompanies every disclosure of a Part 2 record (referral packets, exports).
REDISCLOSURE_NOTICE = (
    "This record which has been disclosed to you is protected by Federal confidentiality "
    "rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, or "
    "testimony that describes the information contained in this record, in any civil, "
    "criminal, administrative, or legislative proceedings by any Federal, State, or local "
    "authority, against the patient, unless authorized by the consent of the patient, except "
    "as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR "
    "2.64 or 2.65. In addition, the Federal rules prohibit you from making any other use or "
    "disclosure of this record unless at least one of the following applies: (A) Further use "
    "or disclosure is expressly permitted by the written consent of the individual whose "
    "information is being disclosed in this record or as otherwise permitted by 42 CFR part "
    "2. (B) You are a covered entity or business associate and have received the record for "
    "treatment, payment, or health care operations, or (C) You have received the record from "
    "a covered entity or business associate as permitted by 45 CFR part 164, subparts A and "
    "E. A general authorization for the release of medical or other information is NOT "
    "sufficient to meet the required elements of written consent to further use or redisclose "
    "the record (see 42 CFR 2.31)."
)

XLSX_MAX_ROWS = 1_048_576
NOTICE_TITLE = "Notice of prohibition on redisclosure (42 CFR 2.32)"
NOTICE_SHEET = "42 CFR 2.32 notice"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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


def csv_lines(
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
