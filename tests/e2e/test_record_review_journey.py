"""Browser journey: the QA reviewer draws a sample of a case manager's records, reviews one
(the items the data answers are pre-filled and shown with their evidence), adds a corrective
action and returns the findings; the case manager acknowledges them and completes the
corrective action from My work; the reviewer re-reviews the record and the trend shows it."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from quality.models import RecordReview
from tests import factories
from tests.e2e.conftest import login

ACTION = "Add the reason the assessment was late to the record."


def _log_in_as(page: Page, username: str) -> None:
    if page.get_by_role("button", name="Log out").count():
        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, username)


def test_a_record_is_drawn_reviewed_returned_corrected_and_re_reviewed(
    page: Page, alice: User, quinn: User
) -> None:
    today = timezone.localdate()
    applied = today - dt.timedelta(days=40)
    enrollment = factories.EnrollmentFactory(case_manager=alice, application_date=applied)
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=applied + dt.timedelta(days=31)
    )

    # The QA reviewer lands on the queue and draws a sample of alice's records.
    login(page, "quinn")
    expect(page.get_by_role("heading", name="Record reviews")).to_be_visible()
    page.get_by_role("link", name="Draw a sample").click()
    page.get_by_label("Case manager").select_option(str(alice.pk))
    page.get_by_label("Period start").fill((today - dt.timedelta(days=60)).isoformat())
    page.get_by_label("Period end").fill(today.isoformat())
    page.get_by_label("Records per program").fill("1")
    page.get_by_label("Seed").fill("2026")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.locator("#sample-seed")).to_have_text("2026")

    # The record drawn: the initial assessment item is pre-filled with its evidence.
    page.locator("#sample-reviews").get_by_role("link", name=enrollment.client.display_name).click()
    item = page.locator('.review-item[data-benchmark="initial-assessment-30-days"]')
    expect(item.locator(".evidence")).to_contain_text("Not met")
    expect(item.locator(".evidence")).to_contain_text("day 31 after application")
    expect(item.get_by_role("radio", name="Not met")).to_be_checked()
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator("#review-status")).to_have_text("Reviewed")

    # A corrective action for alice, then the findings go back to her.
    page.get_by_role("link", name="Add a corrective action").click()
    page.get_by_label("What to correct").fill(ACTION)
    page.get_by_label("Due by").fill((today + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#corrective-actions")).to_contain_text(ACTION)
    page.get_by_role("button", name="Return the findings").click()
    expect(page.locator("#review-status")).to_have_text("Findings returned")

    # alice sees the corrective action on My work, acknowledges and completes it.
    _log_in_as(page, "alice")
    page.get_by_role("navigation").get_by_role("link", name="My work").click()
    row = page.locator('.my-work-item[data-kind="corrective_action"]')
    expect(row).to_contain_text(ACTION)
    row.get_by_role("link", name="Open findings").click()
    page.get_by_role("button", name="Acknowledge the findings").click()
    expect(page.locator("#review-status")).to_have_text("Acknowledged")
    page.locator("#corrective-actions").get_by_label("What was done").fill("Note added.")
    page.locator("#corrective-actions").get_by_role("button", name="Mark done").click()
    expect(page.locator("#corrective-actions")).to_contain_text("Done")
    page.get_by_role("navigation").get_by_role("link", name="My work").click()
    expect(page.locator('.my-work-item[data-kind="corrective_action"]')).to_have_count(0)

    # The reviewer re-reviews the record; the trend counts both reviews this month.
    _log_in_as(page, "quinn")
    first = RecordReview.objects.get(enrollment=enrollment, previous__isnull=True)
    page.goto(f"/reviews/{first.pk}/")
    page.get_by_role("button", name="Re-review this record").click()
    expect(page.get_by_role("heading", name=re.compile("^Re-review"))).to_be_visible()
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator("#review-status")).to_have_text("Reviewed")
    page.get_by_role("navigation").get_by_role("link", name="Record reviews").click()
    page.get_by_role("link", name="Scores over time").click()
    trend_row = page.locator("#trend-table .trend-row")
    expect(trend_row).to_have_count(1)
    expect(trend_row).to_contain_text(f"{today:%Y-%m}")
    expect(trend_row.locator('[data-label="Records reviewed"]')).to_have_text("2")
