"""The demo agency crawled as every role: every page a demo login reaches by following links
answers without a server error, and no link leads a login to a page that refuses it.

The crawl starts at the home page and follows the links each page shows (GET only: it never
submits a form, logs out or opens the admin): a few URLs of each URL name, and every client
page it finds with the pages each client's page links to, so that every demo client's pages
are opened at least once (tests/e2e/crawling.py). It runs on
the demo agency itself (``seed_demo``), whose records fill every optional field, so a page that
fails only on real-looking data fails here. Seeding goes through the services, so the module
seeds once, in a transaction rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import User
from clients.models import Client
from devtools.demo.staff import STAFF
from tests.e2e.crawling import PAGES_PER_LOGIN, crawl, demo_agency, url_name
from tests.test_url_matrix import EXPORTING_PAGES

pytestmark = pytest.mark.django_db
# The module's seeded agency (a module-scoped fixture, imported so that pytest finds it here).
__all__ = ["demo_agency"]


@pytest.fixture(scope="module")
def crawled(demo_agency: None) -> Callable[[str], dict[str, int]]:
    """The pages each demo login reaches, crawled once per login for every test here."""
    pages: dict[str, dict[str, int]] = {}

    def pages_of(username: str) -> dict[str, int]:
        if username not in pages:
            client = HttpClient()
            client.force_login(User.objects.get(username=username))
            pages[username] = crawl(client)
        return pages[username]

    return pages_of


@pytest.mark.parametrize("username", [spec.username for spec in STAFF])
def test_every_page_a_demo_login_reaches_answers_without_a_server_error(
    crawled: Callable[[str], dict[str, int]], username: str
) -> None:
    pages = crawled(username)
    failed = {path: status for path, status in pages.items() if status >= 500}
    assert 10 < len(pages) < PAGES_PER_LOGIN  # the crawl ended because it had seen everything
    assert failed == {}


@pytest.mark.parametrize("username", [spec.username for spec in STAFF])
def test_no_demo_login_is_shown_a_link_it_would_be_refused(
    crawled: Callable[[str], dict[str, int]], username: str
) -> None:
    refused = {path: status for path, status in crawled(username).items() if status in (403, 404)}
    assert refused == {}


def test_the_crawl_opens_every_demo_clients_page(
    crawled: Callable[[str], dict[str, int]],
) -> None:
    opened = {path for spec in STAFF for path in crawled(spec.username)}
    client_pages = {
        reverse("workspace:client", args=[pk]) for pk in Client.objects.values_list("pk", flat=True)
    }
    assert len(client_pages) > 50
    assert client_pages - opened == set()


def test_the_crawl_downloads_every_export_from_the_page_that_offers_it(
    crawled: Callable[[str], dict[str, int]],
) -> None:
    """Each page's export links (``?format=``) are followed and answer with the file, so an
    export that fails only on the demo's full records fails here."""
    downloaded = {
        url_name(path)
        for spec in STAFF
        for path, status in crawled(spec.username).items()
        if "format=" in path and status == 200
    }
    assert set(EXPORTING_PAGES) - downloaded == set()
