"""The second factor as a person meets it: the first login adds an authenticator app (the test
reads the key off the page and computes its codes, as the app would), then logs out and in
again with a code; wrong codes lead to the lockout."""

from __future__ import annotations

import base64
import time
from typing import Any

from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.conftest import authenticator_code
from tests.factories import PASSWORD


def _code_from_key(key: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(key.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _password(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_first_login_adds_an_authenticator_and_the_next_uses_its_code(
    page: Page, alice: User
) -> None:
    _password(page, "alice")
    expect(page.get_by_role("heading", name="Add an authenticator app")).to_be_visible()
    key = page.locator("#authenticator-key").inner_text()
    page.get_by_label("Code from the app").fill(_code_from_key(key))
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-code")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    _password(page, "alice")
    expect(page.get_by_role("heading", name="Code from your authenticator")).to_be_visible()
    # The code of the next 30 seconds: the one just used is not taken twice.
    page.get_by_label("Code").fill(_code_from_key(key, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()


def test_wrong_codes_lock_the_login_out(page: Page, alice: User, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    right = authenticator_code("alice")
    wrong = "000000" if right != "000000" else "111111"
    _password(page, "alice")
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code does not match")).to_be_visible()
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Too many failed log-ins")).to_be_visible()
