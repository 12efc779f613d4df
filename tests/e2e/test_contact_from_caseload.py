"""A case manager records a phone contact from the caseload's modal and finds it on top of the
client's timeline; the caseload row shows the contact at once."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from clients.models import Enrollment
from tests.e2e.conftest import login


def test_it_records_a_phone_contact_from_the_caseload(page: Page, enrollment: Enrollment) -> None:
    client = enrollment.client
    note = "Phoned mother: school meeting moved to Thursday."
    login(page, "alice")
    # Case managers land on My work; the caseload is one link away.
    page.get_by_role("link", name="Caseload", exact=True).click()
    expect(page).to_have_url(re.compile(r"/caseload/$"))
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    row = page.locator(f'#caseload tr[data-enrollment="{enrollment.pk}"]')
    expect(row).to_contain_text(client.display_name)
    days_since_contact = row.locator(".days-since-contact")
    expect(days_since_contact).to_have_text("never")

    row.get_by_role("button", name="Record contact").click()
    modal = page.locator("#modal")
    expect(modal).to_be_visible()
    form = modal.locator("#modal-content form")
    expect(form).to_contain_text(f"Record a contact with {client.display_name}")
    form.get_by_label("Contact type").select_option(label="Phone")
    form.get_by_label("Duration (minutes)").fill("15")
    form.get_by_label("Note").fill(note)
    form.get_by_role("button", name="Save contact").click()

    expect(modal).to_be_hidden()
    # The table reloads on the contactRecorded event sent with the saved response.
    expect(days_since_contact).to_have_text("0")

    row.get_by_role("link", name=client.display_name).click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    newest = page.locator("#timeline .contact").first
    expect(newest).to_contain_text(note)
    expect(newest.locator(".contact-type")).to_have_text("Phone")
    expect(newest).to_contain_text("15 min")
