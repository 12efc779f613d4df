"""Following the links of the demo agency as one login: the crawl shared by the crawl test
(tests/e2e/test_crawl_demo.py) and the accessibility test (tests/e2e/test_axe.py).

The crawl starts at the home page and follows the links each page shows and the fragments htmx
loads into it (GET only: it never submits a form, logs out or opens the admin), visiting at
most a few URLs of each URL name, and apart from them a few of its exports (``?format=``).
With ``every_client`` it also opens every client page it finds (walking the lists' pages to
find them all) and, from each, the pages that client's page links to, a few of each URL name
per client: data variants (a screen with a stage of change, a closed enrollment) are what hide
server errors, so the crawl test opens them all. The accessibility test needs one page per
pattern and crawls without it.
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import Resolver404, resolve
from pytest_django import DjangoDbBlocker

from tests import migration_data

# Links, and the fragments htmx loads into a page by GET (the client page's cards).
HREF = re.compile(r'(?:href|hx-get)="(/[^"]*)"')
# Pages the crawl does not open: leaving (logout), configuration (the admin, its own suite in
# tests/test_url_matrix.py), static files and the API's browsable documents.
NOT_CRAWLED = ("/accounts/logout/", "/admin/", "/static/", "/api/")
URLS_PER_NAME = 3
PAGES_PER_LOGIN = 6000
CLIENT_PAGE = "workspace:client"


@pytest.fixture(scope="module")
def demo_agency(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo agency, seeded once for the module that uses it, in a transaction rolled back
    at the end (seeding goes through the services, so it takes a while)."""
    with django_db_blocker.unblock(), transaction.atomic():
        migration_data.restore()
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def url_pattern(path: str) -> str:
    """The route a path resolves to (``clients/<int:pk>/``): one page per pattern is enough to
    check what its template renders."""
    return resolve(urlsplit(path).path).route


@dataclass(frozen=True)
class CrawledPage:
    path: str
    status: int
    html: bool
    # A part of a page that htmx loads into it (no <html> of its own): checked for
    # accessibility within the page that loads it, not alone.
    fragment: bool = False


def crawl_pages(client: HttpClient, *, every_client: bool = False) -> list[CrawledPage]:
    """Every page reached from the home page (following its redirects), in the order visited,
    with the status it answered and whether it is an HTML page (not a PDF, say)."""
    seen: dict[str, CrawledPage] = {}
    # A link counts against its URL name, or against (URL name, client page) when it was
    # found on a client's page during an every-client crawl.
    per_key: Counter[tuple[str, str]] = Counter()
    queue = deque(["/"])
    while queue and len(seen) < PAGES_PER_LOGIN:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        html = "text/html" in response.get("Content-Type", "")
        fragment = html and b"<html" not in response.content[:500].lower()
        seen[path] = CrawledPage(path, response.status_code, html, fragment)
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if response.status_code != 200 or not html:
            continue
        on_client_page = every_client and url_name(path) == CLIENT_PAGE
        for href in HREF.findall(response.content.decode()):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            name = url_name(link)
            if link in seen or link.startswith(NOT_CRAWLED) or name is None:
                continue
            if every_client and (name == CLIENT_PAGE or _is_next_page(link)):
                queue.append(link)
                continue
            # A page's export (?format=) counts apart from the page: the lists' own variants
            # would otherwise use up its URL name before the file is opened.
            kind = f"{name} file" if "format" in parse_qs(urlsplit(link).query) else name
            key = (kind, urlsplit(path).path if on_client_page else "")
            if per_key[key] >= URLS_PER_NAME:
                continue
            per_key[key] += 1
            queue.append(link)
    return list(seen.values())


def _is_next_page(link: str) -> bool:
    """A list's pagination link (``?page=2``), which the every-client crawl always follows."""
    return "page" in parse_qs(urlsplit(link).query)


def crawl(client: HttpClient) -> dict[str, int]:
    """Every page reached from the home page with every client's pages, and the status each
    answered."""
    return {page.path: page.status for page in crawl_pages(client, every_client=True)}
