"""After logging out, the caseload asks for a login again."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.conftest import login


def test_it_sends_back_to_the_login_page_after_logout(page: Page, alice: User) -> None:
    login(page, "alice")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
