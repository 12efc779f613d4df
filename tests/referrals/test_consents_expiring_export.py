"""The expiring-soon list's export (``?format=csv|xlsx``,
referrals.tables.consents_expiring_table): the unrevoked consents of the viewer's clients that
expire within the warning window, all of them, in the viewer's scope, logged; the 42 CFR 2.32
notice when one of their clients is enrolled in a Part 2 program."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog, Program
from referrals import tables
from referrals.models import Consent, ServiceType
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines
from tests.helpers import in_days

pytestmark = pytest.mark.django_db

URL = reverse("referrals:consents_expiring")
# Wednesday 4 March 2026, 13:00 in the agency's time zone (America/Boise): a consent expires
# counting from the agency's today.
FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=False):
        yield


def _expiring(case_manager: User, days: int, **kwargs: Any) -> Consent:
    client = factories.EnrollmentFactory(case_manager=case_manager).client
    return factories.ConsentFactory(
        client=client, signed_on=in_days(-300), expires_on=in_days(days), **kwargs
    )


@pytest.fixture
def consents(alice: User, bob: User, charlie: User) -> list[Consent]:
    """alice's client's consent to a class of provider expiring in 20 days, bob's client's
    expiring today, charlie's client's (another team) in 5 days; alice's later and revoked
    ones are not listed."""
    _expiring(alice, 31)
    _expiring(alice, 5, revoked_on=in_days(-1))
    return [
        _expiring(alice, 20, recipient_provider=None, recipient_class=ServiceType.HOUSING),
        _expiring(bob, 0, purpose="=HYPERLINK(1)"),
        _expiring(charlie, 5),
    ]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each consent, in the export's columns."""
    rows = []
    for row in response.context["rows"]:
        c = row.consent
        recipient = (
            c.recipient_provider.name
            if c.recipient_provider
            else f"any {c.get_recipient_class_display().lower()} provider"
        )
        rows.append([
            c.expires_on, row.status.label, c.client.display_name, c.client.record_number,
            recipient, "; ".join(row.categories), c.signed_on, c.discloser, c.purpose,
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_headers_and_rows(client, alice: User, consents) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.CONSENT_HEADERS
    assert is_subsequence(page_headers(page.content, "expiring-consents"), lines[0])
    # The purpose a spreadsheet would run is escaped.
    expected = as_csv(_page_rows(page))
    expected[0][8] = "'=HYPERLINK(1)"
    assert lines[1:] == expected


def test_a_csv_shows_the_status_and_recipient_as_the_page(client, alice: User, consents) -> None:
    client.force_login(alice)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[:2] for line in lines[1:]] == [
        ["2026-03-04", "Expires today"],
        ["2026-03-24", "Expires in 20 days"],
    ]
    assert lines[2][4] == "any housing provider"


def test_an_xlsx_has_the_pages_headers_and_rows(client, alice: User, consents) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.CONSENT_HEADERS
    expected = as_xlsx(_page_rows(page))
    expected[0][8] = "'=HYPERLINK(1)"
    assert lines[1:] == expected


def test_an_export_holds_every_consent_of_the_list(client, alice: User, consents) -> None:
    # The list is not paginated: every consent it shows is in the file, and only those.
    for _ in range(4):
        _expiring(alice, 10)
    client.force_login(alice)
    assert len(client.get(URL).context["rows"]) == 6
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 6


def test_an_export_holds_no_consent_of_another_team(client, charlie: User, consents) -> None:
    client.force_login(charlie)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert [line[3] for line in lines[1:]] == [consents[2].client.record_number]


def test_every_export_is_in_the_access_log(client, alice: User, consents) -> None:
    client.force_login(alice)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (alice, 2, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_export_of_a_part2_clients_consent_carries_the_notice(
    client, alice: User, consents
) -> None:
    Program.objects.filter(enrollments__client=consents[1].client).update(is_part2=True)
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_an_export_of_other_clients_consents_carries_no_notice(
    client, alice: User, consents
) -> None:
    Program.objects.filter(enrollments__client=consents[2].client).update(is_part2=True)
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_the_page_links_its_export(client, alice: User, consents) -> None:
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert 'id="expiring-consents-exports"' in html
    assert f'href="{URL}?format=csv"' in html


def test_an_empty_list_offers_no_export(client, alice: User) -> None:
    client.force_login(alice)
    assert 'id="expiring-consents-exports"' not in client.get(URL).content.decode()


def test_an_unknown_format_answers_400(client, alice: User, consents) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "pdf"}).status_code == 400
