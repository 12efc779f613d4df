"""A supervisor switches the caseload between the case managers of the team."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from accounts.models import User
from tests import factories
from tests.e2e.conftest import login


def test_it_switches_between_case_managers(page: Page, alice: User, bob: User, sam: User) -> None:
    alices = factories.EnrollmentFactory(case_manager=alice).client
    bobs = factories.EnrollmentFactory(case_manager=bob).client
    login(page, "sam")
    # Supervisors land on their dashboard; the caseload is one click away.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Caseload", exact=True
    ).click()

    table = page.locator("#caseload")
    case_manager = page.get_by_label("Case manager", exact=True)

    case_manager.select_option(value=str(alice.pk))
    expect(table).to_contain_text(alices.display_name)
    expect(table).not_to_contain_text(bobs.display_name)
    expect(page).to_have_url(re.compile(rf"case_manager={alice.pk}"))

    case_manager.select_option(value=str(bob.pk))
    expect(table).to_contain_text(bobs.display_name)
    expect(table).not_to_contain_text(alices.display_name)
    expect(page).to_have_url(re.compile(rf"case_manager={bob.pk}"))
