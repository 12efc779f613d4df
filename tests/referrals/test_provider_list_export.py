"""The provider directory's export (``?format=csv|xlsx``, referrals.tables.provider_list_table):
the directory's providers for its search and filters, every page of them, logged; providers are
organisations, not client records, so no 42 CFR 2.32 notice."""

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
from referrals.models import Provider, ProviderService, ServiceType
from referrals.views import providers as provider_views
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, is_subsequence, page_headers, xlsx_lines
from tests.helpers import days_ago

pytestmark = pytest.mark.django_db

URL = reverse("referrals:provider_list")
# Wednesday 4 March 2026, 13:00 in the agency's time zone (America/Boise): a waitlist is stale
# counting from the agency's today.
FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def providers() -> list[Provider]:
    """A Spanish-speaking substance-use clinic with a housing service too and a stale waitlist,
    a housing provider with no known waitlist, and an inactive clinic."""
    harbor = factories.ProviderFactory(
        name="Harbor Recovery",
        phone="208-555-0100",
        address="1 Harbor Way, Boise",
        languages=["English", "Spanish"],
        waitlist_weeks=1,
        waitlist_checked_on=days_ago(45),
        eligibility_notes="Adolescents 12-17.",
    )
    ProviderService.objects.create(
        provider=harbor, name="Recovery housing", service_type=ServiceType.HOUSING
    )
    return [
        harbor,
        factories.ProviderFactory(
            name="Valley Housing",
            service_type=ServiceType.HOUSING,
            accepts_medicaid=False,
            waitlist_weeks=None,
            waitlist_checked_on=None,
        ),
        factories.ProviderFactory(name="Closed Clinic", is_active=False),
    ]


def _page_rows(response: Any) -> list[list[Any]]:
    """What the page's context shows of each provider, in the export's columns."""
    rows = []
    for row in response.context["rows"]:
        p = row["provider"]
        waitlist = "unknown" if p.waitlist_weeks is None else f"{p.waitlist_weeks} week"
        if p.waitlist_weeks not in (None, 1):
            waitlist += "s"
        rows.append([
            p.name, "Yes" if p.is_active else "No", p.phone, p.address,
            "; ".join(row["service_types"]), "; ".join(s.name for s in row["services"]),
            ", ".join(p.languages), "Yes" if p.accepts_medicaid else "No", waitlist,
            p.waitlist_checked_on, "Yes" if row["waitlist_stale"] else "No", p.eligibility_notes,
        ])  # fmt: skip
    return rows


def test_a_csv_has_the_pages_headers_and_rows(client, alice: User, providers) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = csv_lines(client.get(URL, {"format": "csv"}))
    assert lines[0] == tables.PROVIDER_HEADERS
    assert is_subsequence(page_headers(page.content, "directory"), lines[0])
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[0] for line in lines[1:]] == ["Harbor Recovery", "Valley Housing"]


def test_a_csv_shows_each_service_and_the_waitlist_as_the_page(
    client, alice: User, providers
) -> None:
    client.force_login(alice)
    harbor, valley = csv_lines(client.get(URL, {"format": "csv"}))[1:]
    assert harbor[4:12] == [
        "Housing; Substance use", "Recovery housing; Substance use",
        "English, Spanish", "Yes", "1 week", "2026-01-18", "Yes", "Adolescents 12-17.",
    ]  # fmt: skip
    assert valley[7:11] == ["No", "unknown", "", "Yes"]


def test_an_xlsx_has_the_pages_headers_and_rows(client, alice: User, providers) -> None:
    client.force_login(alice)
    page = client.get(URL)
    lines = xlsx_lines(client.get(URL, {"format": "xlsx"}))
    assert lines[0] == tables.PROVIDER_HEADERS
    assert lines[1:] == as_xlsx(_page_rows(page))


def test_an_export_holds_every_page_of_the_directory(
    client, alice: User, providers, monkeypatch
) -> None:
    monkeypatch.setattr(provider_views, "PROVIDER_PAGE_SIZE", 1)
    client.force_login(alice)
    assert len(client.get(URL).context["rows"]) == 1
    assert len(csv_lines(client.get(URL, {"format": "csv"}))) == 1 + 2


def test_an_export_keeps_the_directorys_search_and_filters(client, alice: User, providers) -> None:
    client.force_login(alice)
    query = {"service_type": ServiceType.HOUSING, "accepts_medicaid": "false"}
    page = client.get(URL, query)
    lines = csv_lines(client.get(URL, {**query, "format": "csv"}))
    assert lines[1:] == as_csv(_page_rows(page))
    assert [line[0] for line in lines[1:]] == ["Valley Housing"]


def test_an_export_holds_inactive_providers_only_when_asked(client, alice: User, providers) -> None:
    client.force_login(alice)
    lines = csv_lines(client.get(URL, {"is_active": "false", "format": "csv"}))
    assert [line[:2] for line in lines[1:]] == [["Closed Clinic", "No"]]


def test_a_waitlist_that_is_not_a_number_answers_400(client, alice: User, providers) -> None:
    client.force_login(alice)
    response = client.get(URL, {"max_waitlist_weeks": "soon", "format": "csv"})
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_every_export_is_in_the_access_log(client, alice: User, providers) -> None:
    client.force_login(alice)
    client.get(URL, {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (alice, 2, None)
    assert entry.path.startswith(URL) and "format=csv" in entry.path


def test_an_export_of_the_directory_carries_no_notice(client, alice: User, providers) -> None:
    # Referrals of Part 2 programs to these providers do not make the directory a record.
    factories.ReferralFactory(provider=providers[0])
    Program.objects.update(is_part2=True)
    client.force_login(alice)
    response = client.get(URL, {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_the_page_links_its_export_with_its_filters(client, alice: User, providers) -> None:
    client.force_login(alice)
    html = client.get(URL, {"language": "Spanish"}).content.decode()
    assert 'id="directory-exports"' in html
    assert "?language=Spanish&amp;format=csv" in html


def test_the_htmx_table_links_the_export_of_its_filters(client, alice: User, providers) -> None:
    client.force_login(alice)
    html = client.get(URL, {"language": "Spanish"}, headers={"HX-Request": "true"})
    assert "?language=Spanish&amp;format=xlsx" in html.content.decode()


def test_an_empty_directory_offers_no_export(client, alice: User, providers) -> None:
    client.force_login(alice)
    html = client.get(URL, {"search": "nothing like this"}).content.decode()
    assert 'id="directory-exports"' not in html


def test_an_unknown_format_answers_400(client, alice: User, providers) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "pdf"}).status_code == 400
