"""The variance list's export (``?format=csv|xlsx``, supervision.tables.variance_list_table):
the list's variances for its filters, every page of them, in the viewer's scope, logged; its
rows are the queue's (supervision.tables.variance_queue_row) with the case manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import AccessLog, Program
from supervision import tables
from supervision.models import Variance
from supervision.views import variances as variance_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines
from tests.helpers import in_days

pytestmark = pytest.mark.django_db

URL = reverse("supervision:variance_list")
# Wednesday 4 March 2026, 13:00 in the agency's time zone (America/Boise): days overdue count
# from the agency's today.
FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def variances(alice: User, bob: User, charlie: User, ada: User) -> list[Variance]:
    """alice's pending variance against an overdue flag, her approved one, bob's pending one
    and charlie's (another team)."""
    flagged = factories.EnrollmentFactory(case_manager=alice, application_date=in_days(-40))
    return [
        factories.VarianceFactory(
            enrollment=flagged, flag=factories.FlagFactory(enrollment=flagged)
        ),
        factories.VarianceFactory(
            enrollment=factories.EnrollmentFactory(case_manager=alice),
            status=Variance.Status.APPROVED,
            decided_by=ada,
            decided_at=timezone.now(),
            approved_due_on=in_days(14),
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
            _local(v.requested_at), str(v.requested_by), e.client.display_name,
            e.client.record_number, e.program.name, str(e.case_manager), e.team.name,
            e.team.region.name, v.get_rule_display(), row.due_on, overdue, v.reason,
            v.proposed_due_on, v.get_status_display(), _local(v.decided_at), v.approved_due_on,
        ])  # fmt: skip
    return rows


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def test_a_csv_has_the_pages_headers_and_rows(client, sam: User, variances) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.VARIANCE_LIST_HEADERS
    assert is_subsequence(page_headers(page.content, "variances"), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 3  # alice's two, bob's one


def test_an_xlsx_has_the_pages_headers_and_rows(client, sam: User, variances) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.VARIANCE_LIST_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_the_lists_columns_are_the_queues_and_the_case_manager() -> None:
    assert [h for h in tables.VARIANCE_LIST_HEADERS if h != "Case manager"] == (
        tables.VARIANCE_QUEUE_HEADERS
    )


def test_a_flagged_variance_has_its_flags_due_date_and_days_overdue(
    client, sam: User, variances
) -> None:
    client.force_login(sam)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    record_number = variances[0].enrollment.client.record_number
    flagged = next(line for line in lines[1:] if line[3] == record_number)
    row = dict(zip(lines[0], flagged, strict=True))
    assert (row["Flag due"], row["Days overdue"]) == ("2026-02-22", "10")


def test_an_export_holds_every_page_of_the_list(client, sam: User, variances, monkeypatch) -> None:
    monkeypatch.setattr(variance_views, "VARIANCE_PAGE_SIZE", 2)
    client.force_login(sam)
    assert len(client.get(URL).context["rows"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 3


def test_an_export_keeps_the_lists_filters(client, sam: User, variances) -> None:
    client.force_login(sam)
    query = {"status": Variance.Status.APPROVED}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[3] for line in lines[1:]] == [variances[1].enrollment.client.record_number]


def test_an_export_holds_no_variance_of_another_team(client, charlie: User, variances) -> None:
    client.force_login(charlie)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[3] for line in lines[1:]] == [variances[3].enrollment.client.record_number]


def test_a_filter_the_list_refuses_answers_400(client, sam: User, variances) -> None:
    client.force_login(sam)
    response = client.get(URL, {"status": "lost", "format": "csv"})
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_every_export_is_in_the_access_log(client, sam: User, variances) -> None:
    client.force_login(sam)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 3, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_export_of_a_part2_programs_variances_carries_the_notice(
    client, sam: User, variances
) -> None:
    Program.objects.filter(pk=variances[2].enrollment.program_id).update(is_part2=True)
    client.force_login(sam)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_an_export_of_other_programs_variances_carries_no_notice(
    client, sam: User, variances
) -> None:
    Program.objects.filter(pk=variances[3].enrollment.program_id).update(is_part2=True)
    client.force_login(sam)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_the_page_links_its_export(client, sam: User, variances) -> None:
    client.force_login(sam)
    html = client.get(URL, {"status": "pending"}).content.decode()
    assert 'id="variance-exports"' in html
    assert "?status=pending&amp;format=csv" in html


def test_an_empty_list_offers_no_export(client, sam: User) -> None:
    client.force_login(sam)
    assert 'id="variance-exports"' not in client.get(URL).content.decode()


def test_an_unknown_format_answers_400(client, sam: User, variances) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "pdf"}).status_code == 400
