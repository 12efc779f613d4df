"""Recording a contact from the client page: the modal keeps a refused contact open with the
message beside the field and saves nothing; once corrected it lands on top of the timeline."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from clients.models import Contact, Enrollment
from tests import factories
from tests.e2e.conftest import login


def test_it_refuses_a_crisis_contact_without_a_note_then_saves_it(
    page: Page, enrollment: Enrollment
) -> None:
    client = enrollment.client
    factories.ContactFactory(enrollment=enrollment, note="An older phone call.")
    login(page, "alice")
    page.goto(f"/clients/{client.pk}/")
    timeline = page.locator("#timeline .contact")
    expect(timeline).to_have_count(1)

    page.locator("#client-header").get_by_role("button", name="Record contact").click()
    modal = page.locator("#modal")
    expect(modal).to_be_visible()
    form = modal.locator("#modal-content form")
    form.get_by_label("Contact type").select_option(label="Crisis intervention")
    form.get_by_label("Duration (minutes)").fill("45")
    form.get_by_role("button", name="Save contact").click()

    note_field = modal.locator("#div_id_note")
    expect(note_field).to_contain_text("A note is required for crisis intervention.")
    expect(modal).to_be_visible()
    expect(timeline).to_have_count(1)
    assert not Contact.objects.filter(contact_type=Contact.Type.CRISIS_INTERVENTION).exists()

    note = "Safety plan reviewed with client and mother; crisis line numbers given."
    form.get_by_label("Note").fill(note)
    form.get_by_role("button", name="Save contact").click()

    expect(modal).to_be_hidden()
    expect(timeline).to_have_count(2)
    expect(timeline.first).to_contain_text(note)
    expect(timeline.first.locator(".contact-type")).to_have_text("Crisis intervention")
