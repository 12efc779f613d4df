"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Chromium is looked for at $CHROMIUM_PATH, else /usr/bin/chromium, else on the PATH. Without
it the tests skip with the reason, except where CASEWORK_REQUIRE_BROWSER=1 (CI), where they
fail: CI must not pass on browser tests that never ran.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tests.factories import PASSWORD

DEBIAN_CHROMIUM = "/usr/bin/chromium"
TIMEOUT_MS = 5_000
# No network here beyond package registries: anything Chromium fetches in the background
# only fails, slowly and noisily.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

E2E_DIR = Path(__file__).resolve().parent

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def chromium_path() -> str | None:
    """An explicit CHROMIUM_PATH is the only place looked at, so it can also say "none"."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        where = os.environ.get("CHROMIUM_PATH") or DEBIAN_CHROMIUM
        reason = f"Chromium not found at {where} (install Debian's chromium to run browser tests)"
        if os.environ.get("CASEWORK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; CASEWORK_REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        pytest.skip(reason)
    # From start to stop, Playwright's sync API keeps an event loop running in this thread,
    # and Django refuses ORM calls from a thread with a running loop. The test thread only
    # sets up and checks data while the live server's thread answers the browser, so the
    # check is relaxed for as long as the loop runs (with `pytest -n`, that is also for the
    # tests a worker runs after its browser tests).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, on the live server, that fails the
    test if the Content-Security-Policy refused anything on its pages. When the test ends,
    the requests the page still has in flight are let finish before the context closes: the
    database is flushed next, and a request the live server is still answering (an htmx card
    loading as the test's last check passes) holds locks that the flush's TRUNCATE then
    deadlocks with."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    in_flight: set[Request] = set()

    def sent(request: Request) -> None:
        in_flight.add(request)

    def done(request: Request) -> None:
        in_flight.discard(request)

    context.on("request", sent)
    context.on("requestfinished", done)
    context.on("requestfailed", done)
    page = context.new_page()
    refused: list[str] = []

    def logged(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", logged)
    yield page
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while in_flight and not page.is_closed() and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # Playwright delivers the request events while it waits
    context.close()
    # Every journey is also a check of the Content-Security-Policy: a script or style the
    # policy refused is a page that does not work as written.
    assert refused == [], "\n".join(refused)


def authenticator_code(username: str) -> str:
    """The code the person's authenticator app shows now (their device is made if they have
    none). The device forgets the codes it took, so a test may log the same person in twice
    within one 30-second step, as a person could not."""
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{TOTP(device.bin_key).token():06d}"


def login(page: Page, username: str) -> None:
    """Log in through the form, as a person would: the password, then the code from their
    authenticator app; wait to leave the login pages."""
    code = authenticator_code(username)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/second-factor/" not in url)
