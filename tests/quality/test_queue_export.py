"""The record-review queue's export (``?format=csv|xlsx``, quality.tables.queue_table): every
record still to review, with the page's columns, for QA reviewers and administrators only,
logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog, Program
from quality import tables
from quality.models import RecordReview
from quality.views import samples as sample_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, page_headers, xlsx_lines
from tests.quality.conftest import holds_the_pages_columns

pytestmark = pytest.mark.django_db

URL = reverse("quality:queue")


@pytest.fixture
def queue(frozen, alice: User, bob: User, charlie: User) -> list[RecordReview]:
    """To review: alice's record, charlie's, and the re-review of bob's record reviewed on
    10 February; bob's returned review itself is not in the queue."""
    returned = factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=bob, reviewed_on=dt.date(2026, 2, 10)
    )
    return [
        factories.RecordReviewFactory(enrollment__case_manager=alice),
        factories.RecordReviewFactory(enrollment__case_manager=charlie),
        factories.RecordReviewFactory(
            enrollment=returned.enrollment, sample=returned.sample, previous=returned
        ),
    ]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each record, in the export's columns."""
    rows = []
    for review in response.context["reviews"]:
        e, sample = review.enrollment, review.sample
        kind = (
            f"Re-review of {review.previous.reviewed_on:%Y-%m-%d}"
            if review.previous_id
            else "First review"
        )
        rows.append([
            e.client.display_name, e.client.record_number, e.program.name,
            str(review.case_manager), sample.period_start, sample.period_end, kind,
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_headers(client, quinn: User, queue) -> None:
    client.force_login(quinn)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.QUEUE_HEADERS
    assert holds_the_pages_columns(page_headers(page.content, "review-queue"), lines[0])


def test_a_csv_has_exactly_the_pages_rows(client, quinn: User, queue) -> None:
    client.force_login(quinn)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[1] for line in lines[1:]] == [r.enrollment.client.record_number for r in queue]
    assert lines[3][6] == "Re-review of 2026-02-10"


def test_an_xlsx_has_the_pages_headers_and_rows(client, quinn: User, queue) -> None:
    client.force_login(quinn)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.QUEUE_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_holds_every_page_of_the_queue(client, quinn: User, queue, monkeypatch) -> None:
    monkeypatch.setattr(sample_views, "PAGE_SIZE", 2)
    client.force_login(quinn)
    assert len(client.get(URL).context["reviews"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 3


def test_an_export_of_a_part2_programs_records_carries_the_notice(
    client, quinn: User, queue
) -> None:
    Program.objects.update(is_part2=True)
    client.force_login(quinn)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_an_export_of_other_programs_records_carries_no_notice(client, quinn: User, queue) -> None:
    client.force_login(quinn)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_the_queue_export_is_not_found_for_a_supervisor(client, sam: User, queue) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "csv"}).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_the_queue_export_is_not_found_for_a_case_manager(client, alice: User, queue) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "xlsx"}).status_code == 404


def test_the_queue_table_refuses_anyone_but_a_reviewer(sam: User, queue) -> None:
    # An export job rebuilds the table in a worker, with no view in front of it.
    with pytest.raises(PermissionDenied):
        tables.queue_table(sam, QueryDict())


def test_every_export_is_in_the_access_log(client, quinn: User, queue) -> None:
    client.force_login(quinn)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (quinn, 3, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, quinn: User, queue) -> None:
    client.force_login(quinn)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_a_page_number_that_is_not_one_still_exports_the_whole_queue(
    client, quinn: User, queue
) -> None:
    # The queue takes no parameter but its page, which the export leaves aside.
    client.force_login(quinn)
    response = client.get(URL, {"page": "x", "format": "csv"})
    assert response.status_code == 200
    assert len(csv_lines(response)) == 1 + 3
