"""The supervision notes' export (``?format=csv|xlsx``, supervision.tables.note_list_table):
the note list's notes for its filters, every page of them, in the viewer's scope, logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import AccessLog, Program
from supervision import tables
from supervision.models import ConcernCategory, SupervisionNote
from supervision.views import notes as note_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines
from tests.helpers import days_ago

pytestmark = pytest.mark.django_db

URL = reverse("supervision:note_list")


@pytest.fixture
def notes(alice: User, bob: User, sam: User, charlie: User) -> list[SupervisionNote]:
    """sam's notes to his team: alice's about a client (a concern, one task open and one
    done), bob's acknowledged, alice's clinical supervision session (no client); and a note
    of charlie's team."""
    about_a_client = factories.SupervisionNoteFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice),
        author=sam,
        held_on=days_ago(1),
        concerns=[ConcernCategory.CRISIS, ConcernCategory.DOMESTIC_VIOLENCE],
    )
    factories.FollowUpTaskFactory(note=about_a_client)
    factories.FollowUpTaskFactory(note=about_a_client, done_on=days_ago(0))
    acknowledged = factories.SupervisionNoteFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob),
        author=sam,
        held_on=days_ago(2),
        acknowledged_on=days_ago(0),
        acknowledged_at=timezone.now(),
    )
    session = factories.SupervisionNoteFactory(
        enrollment=None,
        kind=SupervisionNote.Kind.CLINICAL_SESSION,
        team=alice.team,
        staff_supervised=alice,
        author=sam,
        held_on=days_ago(3),
    )
    others = factories.SupervisionNoteFactory(
        enrollment=factories.EnrollmentFactory(case_manager=charlie), held_on=days_ago(1)
    )
    return [about_a_client, acknowledged, session, others]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each note, in the export's columns."""
    rows = []
    for n in response.context["notes"]:
        e = n.enrollment
        rows.append([
            n.held_on, n.get_kind_display(), e.client.display_name if e else "",
            e.client.record_number if e else "", e.program.name if e else "",
            str(n.staff_supervised), str(n.author), "; ".join(n.concern_labels), n.open_tasks,
            n.acknowledged_on,
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_headers_and_rows(client, sam: User, notes) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.NOTE_HEADERS
    assert is_subsequence(page_headers(page.content, "notes"), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 3  # alice's two, bob's one


def test_an_xlsx_has_the_pages_headers_and_rows(client, sam: User, notes) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.NOTE_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_a_note_shows_its_concerns_and_open_tasks(client, sam: User, notes) -> None:
    client.force_login(sam)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    row = dict(zip(lines[0], lines[1], strict=True))
    assert row["Concerns"] == "Crisis; Domestic violence"
    assert (row["Open tasks"], row["Acknowledged"]) == ("1", "")


def test_a_clinical_session_is_exported_without_a_client(client, sam: User, notes) -> None:
    client.force_login(sam)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    row = dict(zip(lines[0], lines[-1], strict=True))
    assert row["Kind"] == "Clinical supervision session"
    assert (row["Client"], row["Record number"], row["Program"]) == ("", "", "")


def test_an_export_holds_every_page_of_the_list(client, sam: User, notes, monkeypatch) -> None:
    monkeypatch.setattr(note_views, "NOTE_LIST_PAGE_SIZE", 2)
    client.force_login(sam)
    assert len(client.get(URL).context["notes"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 3


def test_an_export_keeps_the_lists_filters(client, sam: User, notes) -> None:
    client.force_login(sam)
    query = {"acknowledged": "no", "kind": SupervisionNote.Kind.CASE_SPECIFIC}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[3] for line in lines[1:]] == [notes[0].enrollment.client.record_number]


def test_an_export_keeps_the_lists_client(client, sam: User, notes) -> None:
    client.force_login(sam)
    query = {"client": notes[1].enrollment.client_id}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[3] for line in lines[1:]] == [notes[1].enrollment.client.record_number]


def test_a_case_managers_export_has_their_notes_to_acknowledge_first(
    client, alice: User, sam: User, notes
) -> None:
    acknowledged = factories.SupervisionNoteFactory(
        enrollment=notes[0].enrollment,
        author=sam,
        held_on=days_ago(0),
        acknowledged_on=days_ago(0),
        acknowledged_at=timezone.now(),
    )
    client.force_login(alice)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [n.pk for n in page.context["notes"]] == [notes[0].pk, notes[2].pk, acknowledged.pk]


def test_an_export_holds_no_note_of_another_team(client, charlie: User, notes) -> None:
    client.force_login(factories.SupervisorFactory(team=charlie.team))
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[3] for line in lines[1:]] == [notes[3].enrollment.client.record_number]


def test_a_case_managers_export_holds_no_colleagues_note(client, bob: User, notes) -> None:
    client.force_login(bob)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[3] for line in lines[1:]] == [notes[1].enrollment.client.record_number]


def test_a_kind_the_list_does_not_know_answers_400(client, sam: User, notes) -> None:
    client.force_login(sam)
    response = client.get(URL, {"kind": "gossip", "format": "csv"})
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_every_export_is_in_the_access_log(client, sam: User, notes) -> None:
    client.force_login(sam)
    client.get(URL, {"format": "xlsx"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 3, None)
    assert entry.path.startswith(URL) and "format=xlsx" in entry.path


def test_an_export_of_a_part2_programs_notes_carries_the_notice(client, sam: User, notes) -> None:
    Program.objects.filter(pk=notes[0].enrollment.program_id).update(is_part2=True)
    client.force_login(sam)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_an_export_of_other_programs_notes_carries_no_notice(client, sam: User, notes) -> None:
    Program.objects.filter(pk=notes[3].enrollment.program_id).update(is_part2=True)
    client.force_login(sam)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_the_page_links_its_export(client, sam: User, notes) -> None:
    client.force_login(sam)
    html = client.get(URL, {"kind": SupervisionNote.Kind.CASE_SPECIFIC}).content.decode()
    assert 'id="note-exports"' in html
    assert "?kind=case_specific&amp;format=csv" in html


def test_an_empty_list_offers_no_export(client, sam: User) -> None:
    client.force_login(sam)
    assert 'id="note-exports"' not in client.get(URL).content.decode()


def test_an_unknown_format_answers_400(client, sam: User, notes) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "pdf"}).status_code == 400
