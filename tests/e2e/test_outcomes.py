"""Outcome measures in a browser: the case manager records the intake and a follow-up from
the client page; the client page's card (loaded by htmx) draws the change from baseline with
Chart.js beside its table; the card and the outcomes report have no serious accessibility
violation and fit a phone's 390 px."""

from __future__ import annotations

import datetime as dt

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Enrollment
from outcomes.models import OutcomeMeasurement
from tests.e2e.conftest import login

SERIOUS = ("serious", "critical")


def _serious(page: Page) -> list[str]:
    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]


def _record(page: Page, client_id: int, occasion: str, day: dt.date, days_of_use: str) -> None:
    page.goto(f"/clients/{client_id}/")
    page.locator("#outcomes").get_by_role("link", name="Record measures").click()
    page.get_by_label("Occasion").select_option(label=occasion)
    page.get_by_label("Measured on").fill(day.isoformat())
    page.get_by_label("Days of substance use").fill(days_of_use)
    page.get_by_label("Housing status").select_option(label="Emergency shelter")
    page.get_by_role("button", name="Record measures").click()
    page.wait_for_url(f"**/clients/{client_id}/**")


def test_a_case_manager_records_measures_and_sees_the_change(
    page: Page, enrollment: Enrollment
) -> None:
    enrollment.application_date = timezone.localdate() - dt.timedelta(days=100)
    enrollment.save(update_fields=["application_date"])
    client_id = enrollment.client_id
    login(page, "alice")
    _record(page, client_id, "Intake (baseline)", enrollment.application_date, "12")
    _record(page, client_id, "Follow-up", timezone.localdate(), "2")
    assert OutcomeMeasurement.objects.count() == 2

    card = page.locator("#outcomes")
    expect(card.get_by_role("row", name="Days of substance use")).to_contain_text("Improved")
    expect(card.locator("canvas[data-drawn]")).to_have_count(1)
    assert _serious(page) == []


def test_the_report_fits_a_phone_and_passes_axe(page: Page, enrollment: Enrollment) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "alice")
    for path in ("/reports/outcomes/", "/reports/continuity/", f"/clients/{enrollment.client_id}/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert _serious(page) == [], path
