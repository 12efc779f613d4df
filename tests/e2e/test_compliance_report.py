"""The compliance-rate report in a browser: the figures as of the date at once, the year's
trend's twelve month ends loaded after them one by one (htmx) and drawn (Chart.js) beside
their table; a figure opens the
enrollments behind it; no serious accessibility violation, and it fits a phone's 390 px."""

from __future__ import annotations

import datetime as dt

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Enrollment
from tests.e2e.conftest import login

SERIOUS = ("serious", "critical")


def test_a_qa_reviewer_reads_the_rates_the_trend_and_the_enrollments_behind(
    page: Page, enrollment: Enrollment, quinn
) -> None:
    # Applied 45 days ago and never assessed: the initial assessment is not met today.
    enrollment.application_date = timezone.localdate() - dt.timedelta(days=45)
    enrollment.save(update_fields=["application_date"])
    login(page, "quinn")
    page.goto("/reports/compliance/")
    # Each of the twelve month ends arrives as its own row, and the chart redraws with each.
    expect(page.locator("#compliance-trend-table tbody tr[data-points]")).to_have_count(12)
    expect(page.locator('#compliance-chart[data-judged="12"]')).to_have_count(1)
    page.set_viewport_size({"width": 390, "height": 844})
    # The chart was drawn at the desktop's width; Chart.js redraws it when its box resizes,
    # a frame or two after the viewport does (a timeout here is a page wider than a phone).
    page.wait_for_function("document.documentElement.scrollWidth <= 390")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in SERIOUS] == []
    page.locator("#compliance-table").get_by_role("link", name="1 not met").first.click()
    expect(page.get_by_text(enrollment.client.record_number)).to_be_visible()
