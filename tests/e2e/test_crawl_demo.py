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

import io
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import Resolver404, resolve
from pytest_django import DjangoDbBlocker

from accounts.models import User
from devtools.demo.staff import STAFF

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"]*)"')
# Pages the crawl does not open: leaving (logout), configuration (the admin, its own suite in
# tests/test_url_matrix.py), static files and the API's browsable documents.
NOT_CRAWLED = ("/accounts/logout/", "/admin/", "/static/", "/api/")
URLS_PER_NAME = 3
PAGES_PER_LOGIN = 400


@pytest.fixture(scope="module")
def demo_agency(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client: HttpClient) -> dict[str, int]:
    """Every page reached from the home page (following its redirects), and the status it
    answered."""
    seen: dict[str, int] = {}
    per_name: Counter[str] = Counter()
    queue = deque(["/"])
    while queue and len(seen) < PAGES_PER_LOGIN:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            name = _url_name(link)
            if link in seen or link.startswith(NOT_CRAWLED) or name is None:
                continue
            if per_name[name] >= URLS_PER_NAME:
                continue
            per_name[name] += 1
            queue.append(link)
    return seen


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
