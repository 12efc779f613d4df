"""The score trend's export (``?format=csv|xlsx``, quality.tables.trend_table): the page's
table per case manager or team and month, over the reviews the viewer may read, logged; a
grouping other than those answers 400."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog
from quality import tables
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, page_headers, xlsx_lines
from tests.quality.conftest import holds_the_pages_columns

pytestmark = pytest.mark.django_db

URL = reverse("quality:trend")


@pytest.fixture
def reviews(frozen, alice: User, bob: User, charlie: User) -> None:
    """Returned reviews: alice 3 of 6 and 5 of 6 in January, 6 of 6 in February; bob 1 of 4
    in February; charlie 2 of 2 in January."""
    for case_manager, day, met, applicable in [
        (alice, dt.date(2026, 1, 10), 3, 6),
        (alice, dt.date(2026, 1, 20), 5, 6),
        (alice, dt.date(2026, 2, 3), 6, 6),
        (bob, dt.date(2026, 2, 5), 1, 4),
        (charlie, dt.date(2026, 1, 15), 2, 2),
    ]:
        factories.ReturnedRecordReviewFactory(
            enrollment__case_manager=case_manager,
            reviewed_on=day,
            met_count=met,
            applicable_count=applicable,
        )


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each month and person, in the export's columns."""
    return [
        [f"{r.month:%Y-%m}", r.who, r.score.reviews, r.score.met, r.score.applicable,
         r.score.percent]
        for r in response.context["rows"]
    ]  # fmt: skip


def test_a_csv_has_the_pages_headers(client, quinn: User, reviews) -> None:
    client.force_login(quinn)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == ["Month", "Case manager", "Records reviewed", "Met", "Applicable",
                        "Score (%)"]  # fmt: skip
    assert holds_the_pages_columns(page_headers(page.content, "trend-table"), lines[0])


def test_a_csv_has_exactly_the_pages_rows(
    client, sam: User, alice: User, bob: User, reviews
) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert sorted(line[:2] + line[3:] for line in lines[1:]) == [
        ["2026-01", alice.get_full_name(), "8", "12", "67"],
        ["2026-02", alice.get_full_name(), "6", "6", "100"],
        ["2026-02", bob.get_full_name(), "1", "4", "25"],
    ]


def test_a_csv_per_team_has_the_pages_headers_and_rows(client, quinn: User, reviews) -> None:
    client.force_login(quinn)
    page = client.get(URL, {"by": "team"})
    lines = csv_lines(client.get(URL, {"by": "team", "format": "csv"}))
    assert lines[0][1] == "Team"
    assert holds_the_pages_columns(page_headers(page.content, "trend-table"), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[:2] + line[3:5] for line in lines[1:]] == [
        ["2026-01", "North Team", "8", "12"],
        ["2026-01", "South Team", "2", "2"],
        ["2026-02", "North Team", "7", "10"],
    ]


def test_an_xlsx_has_the_pages_headers_and_rows(client, quinn: User, reviews) -> None:
    client.force_login(quinn)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.trend_headers("case_manager")
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_of_scores_carries_no_notice(client, quinn: User, reviews) -> None:
    client.force_login(quinn)
    response = client.get(URL, {"format": "csv"})
    assert b"".join(response.streaming_content).decode().startswith("Month,")


def test_an_export_holds_no_score_of_another_team(
    client, sam: User, charlie: User, reviews
) -> None:
    client.force_login(sam)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert charlie.get_full_name() not in {line[1] for line in lines[1:]}


def test_a_case_managers_export_holds_her_own_scores_only(client, alice: User, reviews) -> None:
    client.force_login(alice)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert {line[1] for line in lines[1:]} == {alice.get_full_name()}


def test_every_export_is_in_the_access_log(client, quinn: User, reviews) -> None:
    client.force_login(quinn)
    client.get(URL, {"by": "team", "format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (quinn, 3, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, quinn: User, reviews) -> None:
    client.force_login(quinn)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_an_unknown_grouping_answers_400(client, quinn: User, reviews) -> None:
    client.force_login(quinn)
    assert client.get(URL, {"by": "region", "format": "csv"}).status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_the_page_answers_400_to_an_unknown_grouping(client, quinn: User, reviews) -> None:
    client.force_login(quinn)
    assert client.get(URL, {"by": "region"}).status_code == 400
