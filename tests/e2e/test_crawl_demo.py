"""The demo agency crawled as every role: every page a demo login reaches by following links
answers without a server error, and no link leads a login to a page that refuses it.

The crawl starts at the home page and follows the links each page shows (GET only: it never
submits a form, logs out or opens the admin), visiting at most a few URLs of each URL name, so
that every kind of page is reached for every role without walking all 80 clients. It runs on
the demo agency itself (``seed_demo``), whose records fill every optional field, so a page that
fails only on real-looking data fails here. Seeding goes through the services, so the module
seeds once, in a transaction rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as HttpClient

from accounts.models import User
from devtools.demo.staff import STAFF
from tests.e2e.crawling import crawl, demo_agency

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
    assert len(pages) > 10
    assert failed == {}


@pytest.mark.parametrize("username", [spec.username for spec in STAFF])
def test_no_demo_login_is_shown_a_link_it_would_be_refused(
    crawled: Callable[[str], dict[str, int]], username: str
) -> None:
    refused = {path: status for path, status in crawled(username).items() if status in (403, 404)}
    assert refused == {}
