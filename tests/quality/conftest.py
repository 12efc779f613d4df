"""Record-review fixtures: a frozen Wednesday, 4 March 2026 at 13:00 in the agency's time zone
(America/Boise), and a sample of alice's records drawn by quinn."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def file_columns_of(page_header: str, file_headers: list[str]) -> list[str]:
    """The columns of an export that hold a page's column: the same name, or the parts of a
    cell the page shows whole ("Period" in "Period start" and "Period end", "Met / applicable"
    in "Met" and "Applicable", "Score" in "Score (%)")."""
    if page_header in file_headers:
        return [page_header]
    parts = [part.capitalize() for part in page_header.split(" / ")]
    if len(parts) > 1 and all(part in file_headers for part in parts):
        return parts
    return [h for h in file_headers if h.startswith((f"{page_header} ", f"{page_header}:"))]


def holds_the_pages_columns(page_headers: list[str], file_headers: list[str]) -> bool:
    """Whether every column of the page is in the export, in the page's order."""
    columns = [file_columns_of(header, file_headers) for header in page_headers]
    positions = [file_headers.index(c) for found in columns for c in found]
    return all(columns) and positions == sorted(positions)
