"""The schedule's export (``?format=csv|xlsx``, scheduling.tables.schedule_table): the
viewer's own visits of the week asked for, as the week shows them, cancelled ones too, logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import AccessLog, Enrollment, Program
from scheduling import tables
from scheduling.models import PlannedVisit
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, xlsx_lines
from tests.scheduling.conftest import local

pytestmark = pytest.mark.django_db

URL = reverse("scheduling:schedule")


@pytest.fixture
def week(visit: PlannedVisit, past_visit: PlannedVisit, enrollment: Enrollment, bob: User):
    """alice's visits this week: Monday's past one, Thursday's, and Friday's cancelled; one
    next week; bob's on Thursday."""
    factories.PlannedVisitFactory(
        enrollment=enrollment,
        scheduled_start=local(2026, 3, 6, 9, 30),
        status=PlannedVisit.Status.CANCELLED,
        purpose="Review the budget",
        location="Library",
    )
    factories.PlannedVisitFactory(enrollment=enrollment, scheduled_start=local(2026, 3, 10))
    factories.PlannedVisitFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob),
        scheduled_start=local(2026, 3, 5),
    )


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each visit, day by day, in the export's columns."""
    rows = []
    for day in response.context["days"]:
        for v in day["visits"]:
            starts = timezone.localtime(v.scheduled_start)
            client = v.enrollment.client
            rows.append([
                day["date"], starts.strftime("%H:%M"), v.expected_minutes, client.display_name,
                client.record_number, v.get_contact_type_display(), v.get_place_display(),
                v.location, v.with_whom, v.purpose, v.get_status_display(), str(v.case_manager),
            ])  # fmt: skip
    return rows


def test_a_csv_has_the_weeks_visits(client, alice: User, week) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.VISIT_HEADERS
    assert lines[1:] == as_csv(_page_rows(page))
    assert [(line[0], line[1], line[10]) for line in lines[1:]] == [
        ("2026-03-02", "10:00", "Planned"),
        ("2026-03-05", "10:00", "Planned"),
        ("2026-03-06", "09:30", "Cancelled"),
    ]


def test_an_xlsx_has_the_weeks_visits(client, alice: User, week) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.VISIT_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_keeps_the_week_asked_for(client, alice: User, week) -> None:
    client.force_login(alice)
    query = {"week": "2026-W11"}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[0] for line in lines[1:]] == ["2026-03-10"]


def test_an_export_keeps_the_week_of_a_date(client, alice: User, week) -> None:
    client.force_login(alice)
    lines = csv_lines(client.get(URL, {"start": "2026-03-12", "format": "csv"}))
    assert [line[0] for line in lines[1:]] == ["2026-03-10"]


def test_a_bad_week_answers_400(client, alice: User, week) -> None:
    client.force_login(alice)
    assert client.get(URL, {"week": "2026-W99", "format": "csv"}).status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_an_export_holds_only_the_viewers_own_visits(client, bob: User, week) -> None:
    client.force_login(bob)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert {line[11] for line in lines[1:]} == {str(bob)}
    assert len(lines) == 1 + 1


def test_an_export_holds_no_visit_of_another_team(client, charlie: User, week) -> None:
    client.force_login(charlie)
    assert csv_lines(client.get(URL, {"format": "csv"})) == [tables.VISIT_HEADERS]


def test_the_export_is_refused_to_an_administrator(client, ada: User, week) -> None:
    client.force_login(ada)
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_the_schedule_table_refuses_a_qa_reviewer(quinn: User, week) -> None:
    # An export job rebuilds the table in a worker, with no view in front of it.
    with pytest.raises(PermissionDenied):
        tables.schedule_table(quinn, QueryDict())


def test_an_export_of_a_part2_programs_visits_carries_the_notice(client, alice: User, week) -> None:
    Program.objects.update(is_part2=True)
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_an_export_of_other_programs_visits_carries_no_notice(client, alice: User, week) -> None:
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_every_export_is_in_the_access_log(client, alice: User, week) -> None:
    client.force_login(alice)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (alice, 3, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, alice: User, week) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_the_page_links_to_its_files_with_its_query(client, alice: User, week) -> None:
    client.force_login(alice)
    response = client.get(URL, {"week": "2026-W10"})
    assert response.context["export_links"] == {
        "csv": f"{URL}?week=2026-W10&format=csv",
        "xlsx": f"{URL}?week=2026-W10&format=xlsx",
    }
    assert 'id="week-exports"' in response.content.decode()


def test_the_page_shows_no_links_for_a_week_without_visits(client, alice: User, week) -> None:
    client.force_login(alice)
    assert 'id="week-exports"' not in client.get(URL, {"week": "2026-W20"}).content.decode()
