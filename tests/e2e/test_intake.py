"""Intake looks for the person first, and a misspelt name still finds them; the form to
register someone new opens only when the worker says none of the matches is the person."""

from __future__ import annotations

import re

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


def test_it_registers_someone_new_after_saying_none_of_the_matches_is_them(
    page: Page, alice: User
) -> None:
    factories.ClientFactory(first_name="John", last_name="Smith", created_by=alice)
    login(page, "alice")

    page.get_by_role("link", name="New client").click()
    search = page.locator("#duplicate-search")
    search.get_by_label("First name").fill("Jon")
    search.get_by_label("Last name").fill("Smyth")
    search.get_by_label("Date of birth").fill("1990-06-01")
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("button", name="Register client")).to_have_count(0)

    page.get_by_role("link", name="None of these is the person: register a new client").click()
    registration = page.locator("form[method=post]").filter(has_text="Register client")
    expect(registration.get_by_label("First name")).to_have_value("Jon")
    expect(registration.get_by_label("Last name")).to_have_value("Smyth")
    registration.get_by_role("button", name="Register client").click()

    expect(page).to_have_url(re.compile(r"/clients/\d+/enrollments/new/$"))
