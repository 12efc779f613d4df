"""The continuity-of-care report's export (``?format=csv|xlsx``,
outcomes.tables.continuity_table): the page's headers and rows for the same period, in the
viewer's scope, logged; bad input is 400."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog
from outcomes import tables
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, xlsx_lines
from tests.outcomes.test_report_export import thead

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:continuity")
PERIOD = {"start": "2026-01-01", "end": "2026-02-28"}

# alice's referrals (tests/outcomes/conftest.py, ``referrals``): five sent in the period,
# three entered (in 14, 15 and 3 days: median 14), two of the four counted within 14 days,
# one still within its 14 days.
ALICES_ROWS = [["Recovery support", "Harbor IOP", 5, 3, 14.0, 2, 4, 1, 50]]
# alice's discharges (``discharges``): five from detox in the period, entered in 14, 15 and 3
# days, two of four within 14 days, one still within them; one from inpatient treatment,
# entered in 2 days.
ALICES_DISCHARGE_ROWS = [
    ["Recovery support", "After detox", 5, 3, 14.0, 2, 4, 1, 50],
    ["Recovery support", "After inpatient or residential treatment", 1, 1, 2.0, 1, 1, 0, 100],
]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each row, in the export's columns."""
    return [
        [r.program, r.source, r.sent, r.engaged, r.median_days, r.engaged_within,
         r.decided, r.waiting, r.within_percent]
        for r in response.context["rows"]
    ]  # fmt: skip


def test_a_csv_has_the_pages_headers(client, alice: User, referrals) -> None:
    client.force_login(alice)
    page = client.get(URL, PERIOD)
    lines = csv_lines(client.get(URL, {**PERIOD, "format": "csv"}))
    assert lines[0] == tables.CONTINUITY_HEADERS
    assert is_subsequence(thead(page.content, "continuity-table"), lines[0])


def test_a_csv_has_exactly_the_pages_rows(client, alice: User, referrals) -> None:
    client.force_login(alice)
    page = client.get(URL, PERIOD)
    lines = csv_lines(client.get(URL, {**PERIOD, "format": "csv"}))
    assert _page_rows(page) == ALICES_ROWS
    assert lines[1:] == as_csv(ALICES_ROWS)


def test_a_csv_has_the_discharge_rows_after_the_providers(
    client, alice: User, referrals, discharges
) -> None:
    client.force_login(alice)
    page = client.get(URL, PERIOD)
    lines = csv_lines(client.get(URL, {**PERIOD, "format": "csv"}))
    assert _page_rows(page) == ALICES_ROWS + ALICES_DISCHARGE_ROWS
    assert lines[1:] == as_csv(ALICES_ROWS + ALICES_DISCHARGE_ROWS)


def test_an_xlsx_has_the_discharge_rows(client, alice: User, discharges) -> None:
    client.force_login(alice)
    lines = xlsx_lines(client.get(URL, {**PERIOD, "format": "xlsx"}))
    assert lines[1:] == as_xlsx(ALICES_DISCHARGE_ROWS)


def test_an_export_holds_no_discharge_of_another_team(client, bob: User, discharges) -> None:
    client.force_login(bob)
    assert csv_lines(client.get(URL, {**PERIOD, "format": "csv"})) == [tables.CONTINUITY_HEADERS]


def test_an_xlsx_has_the_pages_headers_and_rows(client, alice: User, referrals) -> None:
    client.force_login(alice)
    page = client.get(URL, PERIOD)
    lines = xlsx_lines(client.get(URL, {**PERIOD, "format": "xlsx"}))
    assert lines[0] == tables.CONTINUITY_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_holds_no_referral_of_another_team(client, charlie: User, referrals) -> None:
    client.force_login(charlie)
    assert csv_lines(client.get(URL, {**PERIOD, "format": "csv"})) == [tables.CONTINUITY_HEADERS]


def test_every_export_is_in_the_access_log(client, alice: User, referrals) -> None:
    client.force_login(alice)
    client.get(URL, {**PERIOD, "format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (alice, 1, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, alice: User, referrals) -> None:
    client.force_login(alice)
    assert client.get(URL, {**PERIOD, "format": "pdf"}).status_code == 400


def test_a_period_over_three_years_answers_400(client, alice: User, referrals) -> None:
    client.force_login(alice)
    query = {"start": "2020-01-01", "end": "2026-01-01", "format": "xlsx"}
    assert client.get(URL, query).status_code == 400


def test_a_date_that_is_not_one_answers_400(client, alice: User, referrals) -> None:
    client.force_login(alice)
    assert client.get(URL, {"start": "2026-02-30", "format": "csv"}).status_code == 400
