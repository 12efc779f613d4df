"""The findings list's export (``?format=csv|xlsx``, quality.tables.findings_table): every
finding returned that the viewer may read, with the page's columns, logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import AccessLog, Program
from quality import tables
from quality.models import RecordReview
from quality.views import reviews as review_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, page_headers, xlsx_lines
from tests.quality.conftest import holds_the_pages_columns

pytestmark = pytest.mark.django_db

URL = reverse("quality:findings")


@pytest.fixture
def findings(frozen, alice: User, bob: User, charlie: User) -> dict[str, RecordReview]:
    """Findings returned to alice (one corrective action open), to bob (acknowledged on
    2 March) and to charlie; alice's pending review is nobody's finding yet."""
    alices = factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=alice, reviewed_on=dt.date(2026, 2, 20)
    )
    factories.CorrectiveActionFactory(review=alices)
    bobs = factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=bob,
        status=RecordReview.Status.ACKNOWLEDGED,
        acknowledged_at=dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC),
        met_count=7,
    )
    factories.RecordReviewFactory(enrollment__case_manager=alice)
    return {
        "alice": alices,
        "bob": bobs,
        "charlie": factories.ReturnedRecordReviewFactory(enrollment__case_manager=charlie),
    }


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each finding, in the export's columns."""
    rows = []
    for review in response.context["page"]:
        e, acknowledged = review.enrollment, review.acknowledged_at
        rows.append([
            e.client.display_name, e.client.record_number, e.program.name,
            str(review.case_manager), review.reviewed_on, str(review.reviewer),
            review.met_count, review.applicable_count, review.open_actions,
            timezone.localdate(acknowledged) if acknowledged else None,
        ])  # fmt: skip
    return rows


def _record_numbers(lines: list[list[str]]) -> list[str]:
    return [line[1] for line in lines[1:]]


def _record_number(review: RecordReview) -> str:
    return review.enrollment.client.record_number


def test_a_csv_has_the_pages_headers(client, sam: User, findings) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.FINDINGS_HEADERS
    assert holds_the_pages_columns(page_headers(page.content, "findings"), lines[0])


def test_a_csv_has_exactly_the_pages_rows(client, sam: User, findings) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    # Still to acknowledge first: alice's, with its open action; then bob's, acknowledged.
    assert _record_numbers(lines) == [_record_number(findings[who]) for who in ("alice", "bob")]
    assert (lines[1][8], lines[1][9]) == ("1", "")
    assert (lines[2][6], lines[2][7], lines[2][9]) == ("7", "7", "2026-03-02")


def test_an_xlsx_has_the_pages_headers_and_rows(client, sam: User, findings) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.FINDINGS_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_holds_every_page_of_the_list(client, quinn: User, findings, monkeypatch) -> None:
    monkeypatch.setattr(review_views, "PAGE_SIZE", 2)
    client.force_login(quinn)
    assert len(client.get(URL).context["page"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 3


def test_an_export_holds_no_finding_of_another_team(client, sam: User, findings) -> None:
    client.force_login(sam)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert _record_number(findings["charlie"]) not in _record_numbers(lines)


def test_a_case_managers_export_holds_her_own_findings_only(client, alice: User, findings) -> None:
    client.force_login(alice)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert _record_numbers(lines) == [_record_number(findings["alice"])]


def test_an_export_of_a_part2_programs_records_carries_the_notice(
    client, alice: User, findings
) -> None:
    Program.objects.update(is_part2=True)
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_an_export_of_other_programs_records_carries_no_notice(
    client, alice: User, findings
) -> None:
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_every_export_is_in_the_access_log(client, sam: User, findings) -> None:
    client.force_login(sam)
    client.get(URL, {"format": "xlsx"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 2, None)
    assert entry.path.startswith(URL) and "format=xlsx" in entry.path


def test_an_unknown_format_answers_400(client, sam: User, findings) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_a_page_number_that_is_not_one_still_exports_every_finding(
    client, sam: User, findings
) -> None:
    # The list takes no parameter but its page, which the export leaves aside.
    client.force_login(sam)
    response = client.get(URL, {"page": "-1", "format": "csv"})
    assert response.status_code == 200
    assert len(csv_lines(response)) == 1 + 2
