"""Recording a contact from the caseload with the keyboard alone (Tab, Enter, Escape and
typing), and where focus lands: on the first field when the modal opens, on the first field in
error after a refused save, and back on the button that opened the modal when it closes. The
confirmation is announced in a live region (issue 11, WCAG 2.4.3 and 4.1.3)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from clients.models import Contact, Enrollment
from tests.e2e.conftest import login

MAX_TABS = 60


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} was not reached with {MAX_TABS} presses of Tab")


def test_it_records_a_contact_with_the_keyboard_alone(page: Page, enrollment: Enrollment) -> None:
    login(page, "alice")
    page.goto("/caseload/")
    row = page.locator(f'#caseload tr[data-enrollment="{enrollment.pk}"]')
    opener = row.get_by_role("button", name="Record contact")
    modal = page.get_by_role("dialog", name=re.compile("Record a contact with"))

    tab_to(page, opener)
    page.keyboard.press("Enter")
    expect(modal).to_be_visible()
    expect(modal.get_by_label("Enrollment")).to_be_focused()

    contact_type = modal.get_by_label("Contact type")
    tab_to(page, contact_type)
    page.keyboard.type("Phone")
    expect(contact_type).to_have_value(Contact.Type.PHONE)
    # The rule of the chosen type is shown before Save.
    expect(modal.locator("#contact-type-rules")).to_contain_text("Write a note")
    tab_to(page, modal.get_by_label("Duration (minutes)"))
    page.keyboard.type("20")
    tab_to(page, modal.get_by_role("button", name="Save contact"))
    page.keyboard.press("Enter")

    # Refused (a phone contact needs a note): announced, and focus on the field to correct.
    expect(modal.get_by_role("alert")).to_contain_text("A note is required")
    note = modal.get_by_label("Note")
    expect(note).to_be_focused()
    page.keyboard.type("Phoned mother: school meeting moved to Thursday.")
    tab_to(page, modal.get_by_role("button", name="Save contact"))
    page.keyboard.press("Enter")

    expect(modal).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="recorded")).to_have_text(
        re.compile(r"Phone contact recorded: 20 min, 1 billable unit\.")
    )
    expect(row.get_by_role("button", name="Record contact")).to_be_focused()
    assert Contact.objects.filter(enrollment=enrollment, duration_minutes=20).exists()


def test_escape_closes_the_modal_and_returns_focus(page: Page, enrollment: Enrollment) -> None:
    login(page, "alice")
    page.goto("/caseload/")
    opener = page.locator(f'#caseload tr[data-enrollment="{enrollment.pk}"]').get_by_role(
        "button", name="Record contact"
    )
    modal = page.get_by_role("dialog", name=re.compile("Record a contact with"))
    tab_to(page, opener)
    page.keyboard.press("Enter")
    expect(modal.get_by_label("Enrollment")).to_be_focused()

    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    expect(opener).to_be_focused()


def test_it_offers_the_unsaved_note_back(page: Page, enrollment: Enrollment) -> None:
    login(page, "alice")
    page.goto("/caseload/")
    opener = page.locator(f'#caseload tr[data-enrollment="{enrollment.pk}"]').get_by_role(
        "button", name="Record contact"
    )
    modal = page.get_by_role("dialog", name=re.compile("Record a contact with"))
    tab_to(page, opener)
    page.keyboard.press("Enter")
    note = modal.get_by_label("Note")
    tab_to(page, note)
    page.keyboard.type("Half a note about the school")
    expect(modal.locator("#draft-status")).to_contain_text("Draft saved at", timeout=10_000)
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    expect(opener).to_be_focused()

    page.keyboard.press("Enter")
    restore = modal.get_by_role("button", name="Restore")
    expect(modal).to_contain_text("Restore your unsaved note from")
    tab_to(page, restore)
    page.keyboard.press("Enter")
    expect(modal.get_by_label("Note")).to_have_value("Half a note about the school")
