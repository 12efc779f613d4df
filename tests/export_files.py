"""Reading back the CSV and XLSX files of a list page's export (exports.http), and the page's
column headers, for the list pages' export tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

from openpyxl import load_workbook

from exports.formats import NOTICE_TITLE


def csv_lines(response: Any) -> list[list[str]]:
    """The file's lines, the 42 CFR 2.32 notice and the blank line after it left out: the
    headers first, then the rows."""
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    if lines and lines[0] and lines[0][0].startswith(NOTICE_TITLE):
        lines = lines[2:]
    return lines


def xlsx_lines(response: Any) -> list[list[Any]]:
    """The last sheet's lines (the first holds the notice): the headers, then the rows; an
    empty cell is None."""
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[-1]
    return [[None if c == "" else c for c in row] for row in sheet.iter_rows(values_only=True)]


def as_csv(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    """Rows of plain values as a CSV writes them."""

    def text(cell: Any) -> str:
        if cell is None:
            return ""
        return cell.isoformat() if isinstance(cell, dt.date) else str(cell)

    return [[text(cell) for cell in row] for row in rows]


def as_xlsx(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows of plain values as openpyxl reads them back (a date is a datetime at midnight)."""

    def cell_value(cell: Any) -> Any:
        if cell == "":
            return None
        if isinstance(cell, dt.date) and not isinstance(cell, dt.datetime):
            return dt.datetime.combine(cell, dt.time())
        return cell

    return [[cell_value(cell) for cell in row] for row in rows]


class _Headers(HTMLParser):
    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.depth, self.inside_th = table_id, 0, False
        self.in_explanation = 0  # a glossary term's explanation (workspace glossary tags)
        self.headers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "table" and (self.depth or self._is_wanted(named)):
            self.depth += 1
        elif self.depth and tag == "th":
            self.inside_th = True
            self.headers.append("")
        elif tag == "span" and (self.in_explanation or "term-text" in (named.get("class") or "")):
            self.in_explanation += 1

    def _is_wanted(self, attrs: dict[str, str | None]) -> bool:
        # The first table of that id or class (a page may repeat a table, one per group).
        if self.headers:
            return False
        classes = (attrs.get("class") or "").split()
        return attrs.get("id") == self.table_id or self.table_id in classes

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "th":
            self.inside_th = False
        elif tag == "span" and self.in_explanation:
            self.in_explanation -= 1

    def handle_data(self, data: str) -> None:
        if self.inside_th and not self.in_explanation:
            self.headers[-1] += data


def page_headers(content: bytes, table_id: str) -> list[str]:
    """The non-empty column headers of the page's first table whose id or class is
    ``table_id`` (sort arrows and glossary explanations left out)."""
    parser = _Headers(table_id)
    parser.feed(content.decode())
    texts = [
        re.sub(r"\s+", " ", h.replace("▼", "").replace("▲", "")).strip() for h in parser.headers
    ]
    return [text for text in texts if text]


def is_subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Whether ``part`` is in ``whole`` in the same order (the export may add columns)."""
    remaining = iter(whole)
    return all(item in remaining for item in part)
