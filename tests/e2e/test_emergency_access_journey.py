"""Break the glass: a case manager searches for a client of another team, sees only that one
matches outside her teams, requests emergency access with a reason, and lands on the client's
page read-only, with the banner saying until when (clients.emergency)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from accounts.models import User
from clients.models import AccessLog, EmergencyAccess
from tests import factories
from tests.e2e.conftest import login


def test_a_case_manager_opens_another_teams_client_read_only(
    page: Page, alice: User, charlie: User
) -> None:
    maria = factories.EnrollmentFactory(
        case_manager=charlie, client__first_name="Maria", client__last_name="Lopez"
    ).client
    login(page, "alice")

    search = page.get_by_role("search", name="Client search")
    search.get_by_label("Find a client by name, record number, birth date or phone").fill(
        "Maria Lopez"
    )
    search.get_by_role("button", name="Find").click()
    outside = page.locator("#outside-scope")
    expect(outside).to_contain_text("1 more match outside your teams")
    expect(page.locator(f'[data-client="{maria.pk}"]')).to_have_count(0)
    expect(page.get_by_text(maria.record_number)).to_have_count(0)

    outside.get_by_role("link", name="Request emergency access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request emergency access")
    expect(page.locator("#emergency-match-count")).to_contain_text("matches one client")
    page.get_by_label("Kind of emergency").select_option(label="Client safety")
    page.get_by_label("Why you need this record now").fill(
        "Police called about a welfare check tonight; her case manager is away."
    )
    page.get_by_role("button", name="Open the record read-only").click()

    expect(page).to_have_url(re.compile(rf"/clients/{maria.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maria")
    banner = page.locator("#emergency-access-banner")
    expect(banner).to_contain_text(re.compile(r"Emergency access until \d\d:\d\d — read-only"))
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Record contact")).to_have_count(0)
    assert EmergencyAccess.objects.get().user == alice
    assert AccessLog.objects.filter(
        user=alice, client=maria, action=AccessLog.Action.EMERGENCY
    ).exists()
