"""The contact modal on a phone (390 by 844): full-screen, nothing past the right edge, and the
number pad for minutes (issue 11, "Phone and tablet")."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from clients.models import Enrollment
from tests.e2e.conftest import login

PHONE = {"width": 390, "height": 844}


def test_the_contact_modal_fills_a_phone_screen(page: Page, enrollment: Enrollment) -> None:
    page.set_viewport_size(PHONE)
    login(page, "alice")
    page.goto(f"/clients/{enrollment.client_id}/")
    page.locator("#client-header").get_by_role("button", name="Record contact").click()
    dialog = page.locator("#modal .modal-dialog")
    expect(page.locator("#modal.show form")).to_be_visible()

    box = dialog.bounding_box()
    assert box is not None
    assert (box["x"], box["width"]) == (0, PHONE["width"])
    widest = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('#modal *'))"
        ".filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= PHONE["width"]
    expect(page.get_by_label("Duration (minutes)")).to_have_attribute("inputmode", "numeric")
