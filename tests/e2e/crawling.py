"""Following the links of the demo agency as one login: the crawl shared by the crawl test
(tests/e2e/test_crawl_demo.py) and the accessibility test (tests/e2e/test_axe.py).

The crawl starts at the home page and follows the links each page shows (GET only: it never
submits a form, logs out or opens the admin), visiting at most a few URLs of each URL name, so
that every kind of page is reached for every role without walking all 80 clients.
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import Resolver404, resolve
from pytest_django import DjangoDbBlocker

HREF = re.compile(r'href="(/[^"]*)"')
# Pages the crawl does not open: leaving (logout), configuration (the admin, its own suite in
# tests/test_url_matrix.py), static files and the API's browsable documents.
NOT_CRAWLED = ("/accounts/logout/", "/admin/", "/static/", "/api/")
URLS_PER_NAME = 3
PAGES_PER_LOGIN = 400


@pytest.fixture(scope="module")
def demo_agency(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo agency, seeded once for the module that uses it, in a transaction rolled back
    at the end (seeding goes through the services, so it takes a while)."""
    with django_db_blocker.unblock(), transaction.atomic():
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


def crawl_pages(client: HttpClient) -> list[CrawledPage]:
    """Every page reached from the home page (following its redirects), in the order visited,
    with the status it answered and whether it is an HTML page (not a PDF, say)."""
    seen: dict[str, CrawledPage] = {}
    per_name: Counter[str] = Counter()
    queue = deque(["/"])
    while queue and len(seen) < PAGES_PER_LOGIN:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        html = "text/html" in response.get("Content-Type", "")
        seen[path] = CrawledPage(path, response.status_code, html)
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if response.status_code != 200 or not html:
            continue
        for href in HREF.findall(response.content.decode()):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            name = url_name(link)
            if link in seen or link.startswith(NOT_CRAWLED) or name is None:
                continue
            if per_name[name] >= URLS_PER_NAME:
                continue
            per_name[name] += 1
            queue.append(link)
    return list(seen.values())


def crawl(client: HttpClient) -> dict[str, int]:
    """Every page reached from the home page, and the status it answered."""
    return {page.path: page.status for page in crawl_pages(client)}
