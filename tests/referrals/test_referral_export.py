"""The referral list's export (``?format=csv|xlsx``, referrals.tables.referral_list_table): the
list's referrals for its filters, every page of them, in the viewer's scope, logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog
from referrals import tables
from referrals.models import Referral
from referrals.views import referrals as referral_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines
from tests.helpers import in_days

pytestmark = pytest.mark.django_db

URL = reverse("referrals:referral_list")


@pytest.fixture
def referrals(alice: User, bob: User, charlie: User) -> list[Referral]:
    """alice's sent referral (a follow-up overdue) and draft, bob's draft, charlie's draft."""
    sent = factories.ReferralFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    Referral.objects.filter(pk=sent.pk).update(status="sent", follow_up_due_on=in_days(-2))
    return [
        sent,
        factories.ReferralFactory(enrollment=factories.EnrollmentFactory(case_manager=alice)),
        factories.ReferralFactory(enrollment=factories.EnrollmentFactory(case_manager=bob)),
        factories.ReferralFactory(enrollment=factories.EnrollmentFactory(case_manager=charlie)),
    ]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each referral, in the export's columns."""
    rows = []
    for row in response.context["rows"]:
        r, due = row.referral, row.follow_up
        e = r.enrollment
        follow_up = due.label if due else ("not sent yet" if r.status == "draft" else "")
        rows.append([
            due.due_on if due else None, follow_up, e.client.display_name,
            e.client.record_number, r.provider.name, r.service.name if r.service else "",
            r.get_status_display(), r.get_urgency_display(), str(e.case_manager), e.program.name,
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_headers_and_rows(client, sam: User, referrals) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.REFERRAL_HEADERS
    assert is_subsequence(page_headers(page.content, "referrals"), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert len(lines) == 1 + 3  # alice's two, bob's one
    assert lines[1][1] == "overdue by 2 days"


def test_an_xlsx_has_the_pages_headers_and_rows(client, sam: User, referrals) -> None:
    client.force_login(sam)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.REFERRAL_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_holds_every_page_of_the_list(client, sam: User, referrals, monkeypatch) -> None:
    monkeypatch.setattr(referral_views, "REFERRAL_LIST_PAGE_SIZE", 2)
    client.force_login(sam)
    assert len(client.get(URL).context["rows"]) == 2
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 3


def test_an_export_keeps_the_lists_case_manager(client, sam: User, alice: User, referrals) -> None:
    client.force_login(sam)
    query = {"case_manager": alice.pk}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert {line[8] for line in lines[1:]} == {str(alice)}


def test_an_export_holds_no_referral_of_another_team(client, charlie: User, referrals) -> None:
    client.force_login(charlie)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[3] for line in lines[1:]] == [referrals[3].enrollment.client.record_number]


def test_a_case_manager_outside_the_viewers_teams_answers_400(
    client, charlie: User, alice: User, referrals
) -> None:
    client.force_login(factories.SupervisorFactory(team=charlie.team))
    response = client.get(URL, {"case_manager": alice.pk, "format": "csv"})
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_every_export_is_in_the_access_log(client, sam: User, referrals) -> None:
    client.force_login(sam)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (sam, 3, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_unknown_format_answers_400(client, sam: User, referrals) -> None:
    client.force_login(sam)
    assert client.get(URL, {"format": "pdf"}).status_code == 400
