"""A team's week's export (``?format=csv|xlsx``, scheduling.tables.team_schedule_table): each
case manager's visits counted per day as the page shows them (counts: no 42 CFR 2.32 notice),
or, with ``?case_manager=``, that case manager's visits of the week; for the team's
supervisor only, logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from django.urls import reverse

from accounts.models import Team, User
from clients.models import AccessLog, Enrollment, Program
from exports.tables import InvalidQuery
from scheduling import tables
from scheduling.models import PlannedVisit
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, page_headers, xlsx_lines
from tests.scheduling.conftest import local
from tests.scheduling.test_schedule_export import _page_rows as _page_visit_rows

pytestmark = pytest.mark.django_db

MONDAY_HEADERS = [
    "Week of", "Case manager", "Mon 2 Mar", "Tue 3 Mar", "Wed 4 Mar", "Thu 5 Mar", "Fri 6 Mar",
    "Sat 7 Mar", "Sun 8 Mar", "Week",
]  # fmt: skip


def _url(team: Team) -> str:
    return reverse("scheduling:team_schedule", args=[team.pk])


@pytest.fixture
def team_supervisor(sam: User, team: Team) -> User:
    team.supervisors.add(sam)
    return sam


@pytest.fixture
def week(visit: PlannedVisit, past_visit: PlannedVisit, bob: User, charlie: User) -> None:
    """alice: Monday's visit missed, Thursday's planned, Friday's cancelled (not counted); bob:
    two on Friday, one recorded; charlie (another team): one on Thursday."""
    PlannedVisit.objects.filter(pk=past_visit.pk).update(
        status=PlannedVisit.Status.MISSED,
        contact=factories.ContactFactory(enrollment=past_visit.enrollment),
    )
    factories.PlannedVisitFactory(
        enrollment=visit.enrollment,
        scheduled_start=local(2026, 3, 6),
        status=PlannedVisit.Status.CANCELLED,
    )
    bobs = factories.EnrollmentFactory(case_manager=bob)
    factories.PlannedVisitFactory(enrollment=bobs, scheduled_start=local(2026, 3, 6, 9))
    factories.PlannedVisitFactory(
        enrollment=bobs,
        scheduled_start=local(2026, 3, 6, 11),
        status=PlannedVisit.Status.RECORDED,
        contact=factories.ContactFactory(enrollment=bobs),
    )
    factories.PlannedVisitFactory(
        enrollment=factories.EnrollmentFactory(case_manager=charlie),
        scheduled_start=local(2026, 3, 5),
    )


def _cell(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n)


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each case manager's week, in the export's columns."""
    monday = response.context["monday"]
    return [
        [monday, str(row.case_manager), *(_cell(day) for day in row.days), row.total]
        for row in response.context["rows"]
    ]


def test_a_csv_has_the_pages_headers_and_counts(
    client, team_supervisor: User, team: Team, alice: User, bob: User, week
) -> None:
    client.force_login(team_supervisor)
    page = client.get(_url(team))
    lines = csv_lines(client.get(_url(team), {"format": "csv"}))
    assert lines[0] == MONDAY_HEADERS
    # The page's column headers, then its row headers (the case managers' names).
    assert page_headers(page.content, "team-week-grid")[: len(lines[0]) - 1] == lines[0][1:]
    assert lines[1:] == as_csv(_page_rows(page))
    by_name = {line[1]: line for line in lines[1:]}
    assert by_name[str(alice)][2:] == ["1 missed", "", "", "1 planned", "", "", "", "2"]
    assert by_name[str(bob)][6] == "1 planned, 1 recorded"


def test_an_xlsx_has_the_pages_headers_and_counts(
    client, team_supervisor: User, team: Team, week
) -> None:
    client.force_login(team_supervisor)
    page = client.get(_url(team))
    lines = xlsx_lines(client.get(_url(team), {"format": "xlsx"}))
    assert lines[0] == MONDAY_HEADERS
    assert lines[1:] == as_xlsx([[None if c == "" else c for c in r] for r in _page_rows(page)])


def test_an_export_keeps_the_week_asked_for(
    client, team_supervisor: User, team: Team, week
) -> None:
    client.force_login(team_supervisor)
    query = {"week": "2026-W11"}
    page = client.get(_url(team), query)
    lines = csv_lines(client.get(_url(team), {**query, "format": "csv"}))
    assert lines[0][2] == "Mon 9 Mar"
    assert lines[1:] == as_csv(_page_rows(page))
    assert {line[-1] for line in lines[1:]} == {"0"}


def test_an_export_of_a_case_managers_week_holds_their_visits(
    client, team_supervisor: User, team: Team, alice: User, week
) -> None:
    client.force_login(team_supervisor)
    query = {"case_manager": alice.pk}
    page = client.get(_url(team), query)
    lines = csv_lines(client.get(_url(team), {**query, "format": "csv"}))
    assert lines[0] == tables.VISIT_HEADERS
    assert lines[1:] == as_csv(_page_visit_rows(page))
    assert [line[10] for line in lines[1:]] == ["Missed", "Planned", "Cancelled"]


def test_a_case_manager_outside_the_teams_week_answers_400(
    client, team_supervisor: User, team: Team, charlie: User, week
) -> None:
    client.force_login(team_supervisor)
    response = client.get(_url(team), {"case_manager": charlie.pk, "format": "csv"})
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_a_bad_week_answers_400(client, team_supervisor: User, team: Team, week) -> None:
    client.force_login(team_supervisor)
    assert client.get(_url(team), {"week": "2026-W99", "format": "csv"}).status_code == 400


def test_an_export_holds_no_case_manager_of_another_team(
    client, team_supervisor: User, team: Team, charlie: User, week
) -> None:
    client.force_login(team_supervisor)
    lines = csv_lines(client.get(_url(team), {"format": "csv"}))
    assert str(charlie) not in {line[1] for line in lines[1:]}


def test_the_address_names_the_team_whatever_the_query(
    client, team_supervisor: User, team: Team, other_team: Team, alice: User, week
) -> None:
    other_team.supervisors.add(team_supervisor)
    client.force_login(team_supervisor)
    lines = csv_lines(client.get(_url(team), {"team": other_team.pk, "format": "csv"}))
    assert str(alice) in {line[1] for line in lines[1:]}


def test_a_team_not_supervised_answers_404(
    client, team_supervisor: User, other_team: Team, week
) -> None:
    client.force_login(team_supervisor)
    assert client.get(_url(other_team), {"format": "csv"}).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_the_team_table_refuses_a_team_not_supervised(
    team_supervisor: User, other_team: Team, week
) -> None:
    # An export job rebuilds the table in a worker from the stored query alone.
    with pytest.raises(InvalidQuery):
        tables.team_schedule_table(team_supervisor, QueryDict(f"team={other_team.pk}"))


def test_the_team_table_is_built_from_the_stored_query(
    team_supervisor: User, team: Team, week
) -> None:
    table = tables.team_schedule_table(team_supervisor, QueryDict(f"team={team.pk}"))
    assert table.headers == MONDAY_HEADERS
    assert table.count == len(list(table.rows)) == 2


def test_an_export_of_counts_carries_no_notice(
    client, team_supervisor: User, team: Team, week
) -> None:
    Program.objects.update(is_part2=True)
    client.force_login(team_supervisor)
    response = client.get(_url(team), {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_an_export_of_a_part2_programs_visits_carries_the_notice(
    client, team_supervisor: User, team: Team, alice: User, enrollment: Enrollment, week
) -> None:
    Program.objects.filter(pk=enrollment.program_id).update(is_part2=True)
    client.force_login(team_supervisor)
    response = client.get(_url(team), {"case_manager": alice.pk, "format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_every_export_is_in_the_access_log(client, team_supervisor: User, team: Team, week) -> None:
    client.force_login(team_supervisor)
    client.get(_url(team), {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (team_supervisor, 2, None)
    assert entry.path.startswith(_url(team)) and "format=csv" in entry.path


def test_the_page_links_to_its_files_with_its_query(
    client, team_supervisor: User, team: Team, week
) -> None:
    client.force_login(team_supervisor)
    response = client.get(_url(team), {"week": "2026-W10"})
    assert response.context["export_links"] == {
        "csv": f"{_url(team)}?week=2026-W10&format=csv",
        "xlsx": f"{_url(team)}?week=2026-W10&format=xlsx",
    }
    assert 'id="team-week-exports"' in response.content.decode()
