"""Intake looks for the person first, and a misspelt name still finds them."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from accounts.models import User
from tests import factories
from tests.e2e.conftest import login


def test_it_finds_john_smith_when_searching_jon_smyth(page: Page, alice: User, bob: User) -> None:
    john = factories.ClientFactory(first_name="John", last_name="Smith", created_by=bob)
    login(page, "alice")

    page.get_by_role("link", name="New client").click()
    search = page.locator("#duplicate-search")
    search.get_by_label("First name").fill("Jon")
    search.get_by_label("Last name").fill("Smyth")
    search.get_by_role("button", name="Search").click()

    matches = page.locator("#possible-duplicates")
    expect(matches).to_be_visible()
    expect(matches.get_by_role("link", name="John Smith")).to_be_visible()
    expect(matches).to_contain_text(john.record_number)
