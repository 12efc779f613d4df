"""The dashboard's export (``?format=csv|xlsx``, workspace.tables.dashboard_table): the
case-manager table as the page shows it, for the team and the order asked for, counts only
(no 42 CFR 2.32 notice), refused to case managers, logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse

from accounts.models import Team, User
from clients.models import AccessLog, Program
from supervision.models import FlagRule
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, page_headers, xlsx_lines
from workspace import tables

pytestmark = pytest.mark.django_db

URL = reverse("workspace:dashboard")


@pytest.fixture
def caseloads(alice: User, bob: User, charlie: User) -> None:
    """alice (North): 2 clients, 2 monitoring gaps; bob (North): 1 client, a missing service
    plan; charlie (South): 1 client, a monitoring gap."""
    for _ in range(2):
        factories.FlagFactory(
            enrollment=factories.EnrollmentFactory(case_manager=alice),
            rule=FlagRule.MONITORING_GAP,
        )
    factories.FlagFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob), rule=FlagRule.NO_SERVICE_PLAN
    )
    factories.FlagFactory(
        enrollment=factories.EnrollmentFactory(case_manager=charlie),
        rule=FlagRule.MONITORING_GAP,
    )


@pytest.fixture
def two_teams_supervisor(team: Team, other_team: Team):
    return factories.SupervisorFactory(team=team, supervises=[team, other_team])


def _first_names(lines: list[list[str]]) -> list[str]:
    return [line[0].split()[0] for line in lines[1:]]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each case manager, in the page's columns."""
    several = response.context["several_teams"]
    return [
        [
            summary.name,
            *([summary.team_name] if several else []),
            summary.caseload,
            summary.at_risk,
            *counts,
            summary.open_flags,
        ]
        for summary, counts in response.context["summaries"]
    ]


def test_a_csv_has_the_pages_headers_and_rows(client, sam: User, caseloads) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == page_headers(page.content, "case-managers")
    assert lines[0] == [
        "Case manager", "Caseload", "Clients at risk", "No service plan", "Monitoring gap",
        "Open flags",
    ]  # fmt: skip
    assert lines[1:] == as_csv(_page_rows(page))
    assert _first_names(lines) == ["Alice", "Bob"]


def test_an_xlsx_has_the_pages_headers_and_rows(client, sam: User, caseloads) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == page_headers(page.content, "case-managers")
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_of_several_teams_has_the_team_column(
    client, two_teams_supervisor: User, caseloads
) -> None:
    client.force_login(two_teams_supervisor)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0][:2] == ["Case manager", "Team"]
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[1] for line in lines[1:]] == ["North Team", "North Team", "South Team"]


def test_an_export_keeps_the_team_picked(
    client, two_teams_supervisor: User, other_team: Team, caseloads
) -> None:
    client.force_login(two_teams_supervisor)
    query = {"team": other_team.pk}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert _first_names(lines) == ["Charlie"]


def test_an_export_keeps_the_pages_order(client, sam: User, caseloads) -> None:
    client.force_login(sam)
    query = {"sort": "-caseload"}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert _first_names(lines) == ["Alice", "Bob"]
    assert _first_names(csv_lines(client.get(URL, {"sort": "caseload", "format": "csv"}))) == [
        "Bob",
        "Alice",
    ]


def test_an_export_holds_no_case_manager_of_another_team(
    client, sam: User, charlie: User, caseloads
) -> None:
    client.force_login(sam)
    lines = csv_lines(client.get(URL, {"team": charlie.team_id, "format": "csv"}))
    assert "Charlie" not in _first_names(lines)


def test_the_export_is_refused_to_a_case_manager(client, alice: User, caseloads) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "csv"}).status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_the_dashboard_table_refuses_a_case_manager(alice: User, caseloads) -> None:
    # An export job rebuilds the table in a worker, with no view in front of it.
    with pytest.raises(PermissionDenied):
        tables.dashboard_table(alice, QueryDict())


def test_an_export_of_part2_programs_carries_no_notice(client, sam: User, caseloads) -> None:
    Program.objects.update(is_part2=True)
    client.force_login(sam)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_every_export_is_in_the_access_log(client, sam: User, caseloads) -> None:
    client.force_login(sam)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 2, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, sam: User, caseloads) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_the_page_links_to_its_files_with_its_query(client, sam: User, caseloads) -> None:
    client.force_login(sam)
    response = client.get(URL, {"sort": "name"})
    assert response.context["export_links"] == {
        "csv": f"{URL}?sort=name&format=csv",
        "xlsx": f"{URL}?sort=name&format=xlsx",
    }
    assert 'id="case-managers-exports"' in response.content.decode()


def test_the_page_shows_no_links_without_case_managers(client, ada: User) -> None:
    client.force_login(ada)
    factories.TeamFactory()
    assert 'id="case-managers-exports"' not in client.get(URL).content.decode()
