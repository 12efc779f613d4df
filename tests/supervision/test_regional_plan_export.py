"""The regional plans' export (``?format=csv|xlsx``,
supervision.tables.regional_plan_list_table): every region's plans as the list shows them, for
everyone signed in (agency business, not client records), logged."""

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
from supervision.models import RegionalPlan, RegionalPlanGoal
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines

pytestmark = pytest.mark.django_db

URL = reverse("supervision:regional_plan_list")
# Wednesday 4 March 2026, 13:00 in the agency's time zone (America/Boise).
FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def plans(sam: User, ada: User, charlie: User) -> list[RegionalPlan]:
    """sam's region's plan of last year, approved by ada (two goals), and this year's draft
    of charlie's region."""
    approved = factories.RegionalPlanFactory(
        region=sam.team.region,
        year=2025,
        prepared_by=sam,
        status=RegionalPlan.Status.APPROVED,
        # 2 March 2026 at 03:00 UTC is still 1 March in Boise.
        submitted_at=dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC),
        decided_by=ada,
        decided_at=dt.datetime(2026, 3, 3, 18, 0, tzinfo=dt.UTC),
    )
    for target in (dt.date(2025, 6, 30), dt.date(2025, 12, 31)):
        RegionalPlanGoal.objects.create(plan=approved, goal="Monthly contact.", target_on=target)
    draft = factories.RegionalPlanFactory(region=charlie.team.region, year=2026)
    return [approved, draft]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each plan, in the export's columns."""
    rows = []
    for p in response.context["plans"]:
        rows.append([
            p.year, p.region.name, p.get_status_display(), p.goal_count, str(p.prepared_by),
            _local(p.submitted_at), _local(p.decided_at), str(p.decided_by or ""),
        ])  # fmt: skip
    return rows


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def test_a_csv_has_the_pages_headers_and_rows(client, alice: User, plans) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.REGIONAL_PLAN_HEADERS
    assert is_subsequence(page_headers(page.content, "regional-plans"), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 2


def test_an_xlsx_has_the_pages_headers_and_rows(client, alice: User, plans) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.REGIONAL_PLAN_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_a_plan_has_its_goals_and_the_agencys_dates(client, alice: User, plans) -> None:
    client.force_login(alice)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    row = dict(zip(lines[0], lines[2], strict=True))
    assert row == {
        "Year": "2025", "Region": plans[0].region.name, "Status": "Approved", "Goals": "2",
        "Prepared by": str(plans[0].prepared_by), "Submitted": "2026-03-01",
        "Decided": "2026-03-03", "Decided by": str(plans[0].decided_by),
    }  # fmt: skip


def test_everyone_exports_every_regions_plans(client, charlie: User, plans) -> None:
    client.force_login(charlie)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[:2] for line in lines[1:]] == [
        ["2026", plans[1].region.name],
        ["2025", plans[0].region.name],
    ]


def test_an_export_carries_no_part2_notice(client, alice: User, plans) -> None:
    factories.EnrollmentFactory(case_manager=alice)
    Program.objects.update(is_part2=True)
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_every_export_is_in_the_access_log(client, alice: User, plans) -> None:
    client.force_login(alice)
    client.get(URL, {"format": "xlsx"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (alice, 2, None)
    assert entry.path.startswith(URL) and "format=xlsx" in entry.path


def test_the_page_links_its_export(client, alice: User, plans) -> None:
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert 'id="regional-plan-exports"' in html
    assert "?format=csv" in html


def test_an_empty_list_offers_no_export(client, alice: User) -> None:
    client.force_login(alice)
    assert 'id="regional-plan-exports"' not in client.get(URL).content.decode()


def test_an_unknown_format_answers_400(client, alice: User, plans) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "pdf"}).status_code == 400
