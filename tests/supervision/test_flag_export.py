"""The flag list's export (``?format=csv|xlsx``, supervision.tables.flags_table): the list's
open flags for its filters, every page of them, in the viewer's scope, logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog, Enrollment
from supervision import tables
from supervision.models import Flag, FlagRule
from supervision.views import flags as flag_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines
from tests.helpers import in_days

pytestmark = pytest.mark.django_db

URL = reverse("supervision:flag_list")


@pytest.fixture
def flags(alice: User, bob: User, charlie: User) -> list[Flag]:
    """Open flags of alice (two rules), bob and charlie."""

    def overdue(case_manager: User) -> Enrollment:
        return factories.EnrollmentFactory(case_manager=case_manager, application_date=in_days(-40))

    alices = overdue(alice)
    return [
        factories.FlagFactory(enrollment=alices),
        factories.FlagFactory(enrollment=alices, rule=FlagRule.NO_SERVICE_PLAN, due_on=in_days(-5)),
        factories.FlagFactory(enrollment=overdue(bob)),
        factories.FlagFactory(enrollment=overdue(charlie)),
    ]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each flag, in the export's columns."""
    rows = []
    for row in response.context["rows"]:
        f, x = row["flag"], row["explanation"]
        e = f.enrollment
        rows.append([
            x["rule"], e.client.display_name, e.client.record_number, str(e.case_manager),
            e.program.name, x["due_on"], x["days_overdue"], f.raised_on,
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_headers_and_rows(client, sam: User, flags) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.FLAG_HEADERS
    assert is_subsequence(page_headers(page.content, "flags"), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 3  # alice's two, bob's one


def test_an_xlsx_has_the_pages_headers_and_rows(client, sam: User, flags) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.FLAG_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_holds_every_page_of_the_list(client, sam: User, flags, monkeypatch) -> None:
    monkeypatch.setattr(flag_views, "FLAG_LIST_PAGE_SIZE", 2)
    client.force_login(sam)
    assert len(client.get(URL).context["rows"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 3


def test_an_export_keeps_the_lists_rule(client, sam: User, flags) -> None:
    client.force_login(sam)
    query = {"rule": FlagRule.NO_SERVICE_PLAN}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 1


def test_an_export_holds_no_flag_of_another_team(client, charlie: User, alice: User, flags) -> None:
    client.force_login(charlie)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[2] for line in lines[1:]] == [flags[3].enrollment.client.record_number]
    assert alice.get_full_name() not in {line[3] for line in lines[1:]}


def test_every_export_is_in_the_access_log(client, sam: User, flags) -> None:
    client.force_login(sam)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 3, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, sam: User, flags) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "pdf"}).status_code == 400
