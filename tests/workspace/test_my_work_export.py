"""My work's export (``?format=csv|xlsx``, workspace.tables.my_work_table): every item the page
lists, in its order, for the work asked for, with the 42 CFR 2.32 notice when an item belongs
to an enrollment of a Part 2 program, logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog, Enrollment, Program
from referrals.models import ReferralStatus
from supervision.models import FlagRule
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, xlsx_lines
from workspace import my_work, tables

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)
URL = reverse("workspace:my_work")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _one_of_each_kind(enrollment: Enrollment) -> None:
    """On ``enrollment``, an item of every kind My work lists: an overdue initial assessment,
    a plan review, a referral follow-up and the release it relies on, a supervision task and
    a note to acknowledge, a flag, a planned visit and a corrective action."""
    Enrollment.objects.filter(pk=enrollment.pk).update(
        application_date=TODAY - dt.timedelta(days=40)
    )
    factories.ServicePlanFactory(
        enrollment=enrollment, active=True, start_date=TODAY - dt.timedelta(days=200)
    )
    consent = factories.ConsentFactory(
        client=enrollment.client,
        signed_on=TODAY - dt.timedelta(days=300),
        expires_on=TODAY + dt.timedelta(days=3),
    )
    factories.ReferralFactory(
        enrollment=enrollment,
        status=ReferralStatus.SENT,
        follow_up_due_on=TODAY,
        consent=consent,
    )
    note = factories.SupervisionNoteFactory(enrollment=enrollment)
    factories.FollowUpTaskFactory(note=note, due_on=TODAY)
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP, due_on=TODAY)
    factories.PlannedVisitFactory(enrollment=enrollment)
    factories.CorrectiveActionFactory(review__enrollment=enrollment)


@pytest.fixture
def work(enrollment: Enrollment, other_enrollment: Enrollment) -> None:
    """An item of every kind on alice's enrollment, and charlie's visit."""
    _one_of_each_kind(enrollment)
    factories.PlannedVisitFactory(enrollment=other_enrollment)


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context lists of each item, in the export's columns."""
    rows = []
    for item in response.context["items"]:
        client = item.client
        rows.append([
            item.due.due_on, item.due.label, item.kind_label,
            client.display_name if client else "", client.record_number if client else "",
            item.what,
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_items_in_its_order(client, alice: User, work) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.MY_WORK_HEADERS
    assert lines[1:] == as_csv(_page_rows(page))
    assert {item.kind for item in page.context["items"]} == set(my_work.KIND_ORDER)


def test_an_xlsx_has_the_pages_items_in_its_order(client, alice: User, work) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.MY_WORK_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_keeps_the_case_manager_switched_to(client, sam: User, alice: User, work) -> None:
    client.force_login(sam)
    query = {"case_manager": alice.pk}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + len(page.context["items"]) > 1


def test_a_supervisors_own_export_holds_their_own_work_only(client, sam: User, work) -> None:
    client.force_login(sam)
    assert csv_lines(client.get(URL, {"format": "csv"})) == [tables.MY_WORK_HEADERS]


def test_an_export_holds_no_item_of_another_team(
    client, charlie: User, other_enrollment: Enrollment, work
) -> None:
    client.force_login(charlie)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[4] for line in lines[1:]] == [other_enrollment.client.record_number]


def test_a_case_manager_outside_the_viewers_teams_answers_400(
    client, sam: User, charlie: User, work
) -> None:
    client.force_login(sam)
    response = client.get(URL, {"case_manager": charlie.pk, "format": "csv"})
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_the_export_is_refused_to_an_administrator(client, ada: User, work) -> None:
    client.force_login(ada)
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_the_my_work_table_refuses_a_qa_reviewer(quinn: User, work) -> None:
    # An export job rebuilds the table in a worker, with no view in front of it.
    with pytest.raises(PermissionDenied):
        tables.my_work_table(quinn, QueryDict())


def test_an_export_of_a_part2_programs_items_carries_the_notice(client, alice: User, work) -> None:
    Program.objects.update(is_part2=True)
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_an_export_of_other_programs_items_carries_no_notice(client, alice: User, work) -> None:
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_another_teams_part2_program_gives_no_notice(
    client, alice: User, other_enrollment: Enrollment, work
) -> None:
    Program.objects.filter(pk=other_enrollment.program_id).update(is_part2=True)
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("kind", my_work.KIND_ORDER)
def test_each_kind_of_item_of_a_part2_program_holds_part2(
    alice: User, enrollment: Enrollment, kind: str
) -> None:
    _one_of_each_kind(enrollment)
    Program.objects.filter(pk=enrollment.program_id).update(is_part2=True)
    items = my_work.my_work_items(viewer=alice, case_manager=alice, today=TODAY)
    of_kind = [item for item in items if item.kind == kind]
    assert of_kind
    assert tables.my_work_holds_part2(of_kind)


def test_part2_is_read_in_one_query_for_every_kind(
    alice: User, enrollment: Enrollment, django_assert_num_queries
) -> None:
    _one_of_each_kind(enrollment)
    items = my_work.my_work_items(viewer=alice, case_manager=alice, today=TODAY)
    with django_assert_num_queries(1):
        assert not tables.my_work_holds_part2(items)


def test_every_export_is_in_the_access_log(client, alice: User, work) -> None:
    client.force_login(alice)
    items = client.get(URL).context["items"]
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (alice, len(items), None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, alice: User, work) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_the_page_links_to_its_files_with_its_query(client, sam: User, alice: User, work) -> None:
    client.force_login(sam)
    response = client.get(URL, {"case_manager": alice.pk})
    assert response.context["export_links"] == {
        "csv": f"{URL}?case_manager={alice.pk}&format=csv",
        "xlsx": f"{URL}?case_manager={alice.pk}&format=xlsx",
    }
    assert 'id="my-work-exports"' in response.content.decode()


def test_the_page_shows_no_links_when_nothing_is_due(client, alice: User) -> None:
    client.force_login(alice)
    assert 'id="my-work-exports"' not in client.get(URL).content.decode()
