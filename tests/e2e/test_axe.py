"""Accessibility: axe-core (axe-playwright-python) on every kind of page the demo agency's
crawl reaches, once per role, finds no serious and no critical violation. No rule is disabled
and no element excluded: axe runs with its defaults on the whole document.

The pages are those of the crawl (tests/e2e/crawling.py), one per URL pattern: a pattern's
pages share one template, and the crawl already opens the data variants for server errors.
Chromium renders them with the real CSS and JavaScript (htmx loads its cards and the modal),
but the requests are answered in this thread by Django's test client, logged in as the role,
instead of by a live server: the demo agency is then seeded once for the module inside a
transaction (as the crawl test does), which a live server's own connection could not see.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client as HttpClient
from playwright.sync_api import Browser, Page, Route, expect

from accounts.models import Role, User
from devtools.demo.staff import STAFF
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.crawling import CrawledPage, crawl_pages, demo_agency, url_pattern

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_agency")]
# The module's seeded agency (a module-scoped fixture, imported so that pytest finds it here).
__all__ = ["demo_agency"]

ORIGIN = "http://casework.test"
FAILING_IMPACTS = ("serious", "critical")
# One demo login per role: the first of each in the table of demo logins.
ROLE_LOGINS = list({spec.role: spec.username for spec in reversed(STAFF)}.values())
# Headers htmx sends that change what a view answers (a partial instead of the page).
FORWARDED_HEADERS = ("hx-request", "hx-target", "hx-trigger", "hx-current-url", "x-csrftoken")


def _serve_with(client: HttpClient) -> Callable[[Route], None]:
    """A Playwright route handler that answers the browser's requests with the test client
    (static files from the finders, as runserver would).

    Playwright calls the handler in a greenlet of its own, with its own context variables,
    where Django would open a second database connection that cannot see the module's
    uncommitted agency; the client runs in a copy of this test's context instead, which holds
    the same connection.
    """
    test_context = contextvars.copy_context()
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def handle(route: Route) -> None:
        request = route.request
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            route.abort()
            return
        if parts.path.startswith(static_prefix):
            found = finders.find(parts.path.removeprefix(static_prefix))
            if isinstance(found, str):
                route.fulfill(path=found)
            else:
                route.fulfill(status=404)
            return
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() in FORWARDED_HEADERS
        }
        response = test_context.run(
            client.generic,
            request.method,
            f"{parts.path}?{parts.query}" if parts.query else parts.path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", ""),
            headers=headers,
        )
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]  # only when streaming
            if response.streaming
            else response.content
        )
        route.fulfill(status=response.status_code, headers=dict(response.items()), body=body)

    return handle


@pytest.fixture
def page_as(browser: Browser) -> Iterator[Callable[[HttpClient], Page]]:
    """A browser page whose requests the given test client answers. Reduced motion, so that
    axe never measures a dialog half faded in."""
    context = browser.new_context(base_url=ORIGIN, reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)

    def open_page(client: HttpClient) -> Page:
        page = context.new_page()
        page.route("**/*", _serve_with(client))
        return page

    yield open_page
    context.close()


def _logged_in(username: str) -> HttpClient:
    client = HttpClient()
    client.force_login(User.objects.get(username=username))
    return client


def _one_page_per_pattern(pages: list[CrawledPage]) -> list[str]:
    first: dict[str, str] = {}
    for page in pages:
        if page.status == 200 and page.html and not page.fragment:
            first.setdefault(url_pattern(page.path), page.path)
    return list(first.values())


def _serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def _open(page: Page, path: str) -> None:
    """Opens the page and waits for htmx's cards to load."""
    page.goto(path)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("username", ROLE_LOGINS)
def test_no_page_a_role_reaches_has_a_serious_accessibility_violation(
    page_as: Callable[[HttpClient], Page], username: str
) -> None:
    client = _logged_in(username)
    paths = _one_page_per_pattern(crawl_pages(client))
    page = page_as(client)
    violations: dict[str, list[str]] = {}
    for path in paths:
        _open(page, path)
        found = _serious_violations(page)
        if found:
            violations[path] = found
    assert len(paths) > 10
    assert violations == {}


def test_the_open_contact_modal_has_no_serious_accessibility_violation(
    page_as: Callable[[HttpClient], Page],
) -> None:
    case_manager = next(spec.username for spec in STAFF if spec.role == Role.CASE_MANAGER)
    page = page_as(_logged_in(case_manager))
    page.goto("/caseload/")
    page.get_by_role("button", name="Record contact").first.click()
    expect(page.locator("#modal.show form")).to_be_visible()
    page.wait_for_load_state("networkidle")

    assert _serious_violations(page) == []
