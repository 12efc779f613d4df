"""The variance queue's export (``?format=csv|xlsx``, supervision.tables.variance_queue_table):
the queue's rows for its filters, every page of them, for administrators only, logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import AccessLog
from supervision import tables
from supervision.models import Variance
from supervision.views import variances as variance_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines
from tests.helpers import in_days

pytestmark = pytest.mark.django_db

URL = reverse("supervision:variance_queue")
# The page's columns that the export splits in several.
SPLIT_COLUMNS = {"Team / region": ["Team", "Region"], "Decision": ["Status"]}


@pytest.fixture
def queue(alice: User, bob: User, charlie: User) -> list[Variance]:
    """Three pending variances: alice's against an overdue flag, bob's and charlie's by name."""
    flagged = factories.EnrollmentFactory(case_manager=alice, application_date=in_days(-40))
    return [
        factories.VarianceFactory(
            enrollment=flagged, flag=factories.FlagFactory(enrollment=flagged)
        ),
        factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=bob)),
        factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=charlie)),
    ]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each row, in the export's columns."""
    rows = []
    for row in response.context["rows"]:
        v, e = row.variance, row.variance.enrollment
        overdue = max(row.days_overdue, 0) if row.days_overdue is not None else None
        rows.append([
            _local(v.requested_at),
            str(v.requested_by), e.client.display_name, e.client.record_number, e.program.name,
            e.team.name, e.team.region.name, v.get_rule_display(), row.due_on, overdue, v.reason,
            v.proposed_due_on, v.get_status_display(), _local(v.decided_at), v.approved_due_on,
        ])  # fmt: skip
    return rows


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _page_columns(content: bytes) -> list[str]:
    columns = []
    for header in page_headers(content, "variance-queue"):
        columns += SPLIT_COLUMNS.get(header, [header])
    return columns


def test_a_csv_has_the_pages_headers_and_rows(client, ada: User, queue) -> None:
    client.force_login(ada)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.VARIANCE_QUEUE_HEADERS
    assert is_subsequence(_page_columns(page.content), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 3


def test_an_xlsx_has_the_pages_headers_and_rows(client, ada: User, queue) -> None:
    client.force_login(ada)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.VARIANCE_QUEUE_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_holds_every_page_of_the_queue(client, ada: User, queue, monkeypatch) -> None:
    monkeypatch.setattr(variance_views, "VARIANCE_PAGE_SIZE", 2)
    client.force_login(ada)
    assert len(client.get(URL).context["rows"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 3


def test_an_export_keeps_the_queues_filters(client, ada: User, queue) -> None:
    client.force_login(ada)
    query = {"program": queue[1].enrollment.program_id}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[3] for line in lines[1:]] == [queue[1].enrollment.client.record_number]


def test_only_administrators_get_the_file(client, sam: User, queue) -> None:
    client.force_login(sam)
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_every_export_is_in_the_access_log(client, ada: User, queue) -> None:
    client.force_login(ada)
    client.get(URL, {"format": "xlsx"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (ada, 3, None)
    assert entry.path.startswith(URL) and "format=xlsx" in entry.path


def test_an_unknown_format_answers_400(client, ada: User, queue) -> None:
    client.force_login(ada)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_a_filter_the_queue_refuses_answers_400(client, ada: User, queue) -> None:
    client.force_login(ada)
    assert client.get(URL, {"status": "lost", "format": "csv"}).status_code == 400
