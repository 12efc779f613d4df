"""The idle logoff warning (WCAG 2.2.1), with the session shortened to seconds: it shows
before the session ends, with focus on "Stay signed in", which keeps the session; left alone,
the page goes to the login page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from accounts.models import User
from tests.e2e.conftest import login


def test_stay_signed_in_keeps_the_session_past_its_idle_expiry(
    page: Page, alice: User, settings: Settings
) -> None:
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_IDLE_WARNING_SECONDS = 6
    login(page, "alice")

    warning = page.get_by_role("alertdialog", name="You are about to be signed out")
    expect(warning).to_be_visible()
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    with page.expect_response("**/accounts/session/keep-alive/") as renewal:
        stay.click()
    assert renewal.value.status == 200
    expect(warning).to_be_hidden()

    # Two seconds past the expiry the login gave (about six after the click), the page has
    # not left and the renewed session still answers.
    page.wait_for_timeout(6_000)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    response = page.request.get("/caseload/", max_redirects=0)
    assert response.status == 200


def test_the_page_goes_to_the_login_page_when_time_runs_out(
    page: Page, alice: User, settings: Settings
) -> None:
    settings.SESSION_COOKIE_AGE = 5
    settings.SESSION_IDLE_WARNING_SECONDS = 2
    login(page, "alice")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="), timeout=8_000)
