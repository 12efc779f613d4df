"""Supervision end to end: a positive suicide screen puts the client at the top of the team
supervisor's review queue; the supervisor writes a case-specific supervision note from it,
pre-filled from the screen, and the flag is gone from the dashboard and the flag list; the
case manager then finds the note to acknowledge and acknowledges it (DESIGN.md step 7; CFP
bulletin 18B-08: the CCM/S guides the case manager on crises and gives case-specific
supervision)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from clients.models import Enrollment
from serviceplans.models import RiskAlert
from serviceplans.services import risk_screen_record
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule, SupervisionNote
from tests import factories
from tests.e2e.conftest import login

DISCUSSION = "Safety plan reviewed with Alice; crisis line numbers given to the mother."


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_supervisor_reviews_a_positive_suicide_screen_by_a_supervision_note(
    page: Page, enrollment: Enrollment, alice: User, bob: User, sam: User
) -> None:
    today = timezone.localdate()
    client = enrollment.client
    # Another client of the team with an overdue initial assessment: a flag, but no risk.
    overdue = factories.EnrollmentFactory(
        case_manager=bob, application_date=today - dt.timedelta(days=60)
    )
    # The case manager records a positive suicide screen (the real service: the alert), and
    # the evaluation raises the flag.
    screen = risk_screen_record(
        actor=alice,
        enrollment=enrollment,
        screened_on=today,
        suicidal_ideation=True,
        notes="Said she sometimes wishes she would not wake up; no plan.",
    )
    compliance_evaluate(as_of=today)
    flag = Flag.objects.open().get(enrollment=enrollment, rule=FlagRule.RISK_SCREEN_UNREVIEWED)

    # The supervisor lands on the dashboard: the client leads the review queue.
    login(page, "sam")
    expect(page.get_by_role("heading", name=re.compile("Dashboard"))).to_be_visible()
    queue = page.locator("#review-queue tr.queue-row")
    expect(queue).to_have_count(2)
    expect(queue.first).to_have_attribute("data-enrollment", str(enrollment.pk))
    expect(queue.first).to_contain_text(client.display_name)
    expect(queue.first.locator(".risk-items")).to_contain_text("Suicidal threats or ideation")
    expect(queue.nth(1)).to_have_attribute("data-enrollment", str(overdue.pk))

    # A case-specific note, pre-filled from the screen.
    queue.first.get_by_role("link", name="Write supervision note").click()
    expect(page.get_by_role("heading", name="New supervision note")).to_be_visible()
    expect(page.locator("#note-risk-screen")).to_contain_text("no plan")
    expect(page.get_by_label("Kind of supervision")).to_have_value("case_specific")
    expect(page.get_by_label("Case manager supervised")).to_have_value(str(alice.pk))
    expect(page.get_by_label("Suicidal threats or ideation")).to_be_checked()
    expect(page.get_by_label("Domestic violence")).not_to_be_checked()
    page.get_by_label("Discussion").fill(DISCUSSION)
    page.get_by_label("Recommendations").fill("Home visit within 48 hours; rescreen in a week.")
    page.locator("#id_tasks-0-description").fill("Home visit to go over the safety plan.")
    page.locator("#id_tasks-0-due_on").fill((today + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save note").click()

    expect(page.get_by_role("alert")).to_contain_text("The risk screen is marked reviewed.")
    expect(
        page.get_by_role("heading", name=re.compile("Case-specific supervision"))
    ).to_be_visible()
    expect(page.locator("#note-risk-alert")).to_contain_text(f"by {sam}")
    expect(page.locator("#note-tasks tr.task")).to_contain_text("Home visit to go over")
    note = SupervisionNote.objects.get()
    assert (note.enrollment, note.staff_supervised, note.risk_alert) == (
        enrollment,
        alice,
        screen.alert,
    )
    assert RiskAlert.objects.get(pk=screen.alert.pk).reviewed_by == sam

    # The flag is gone: resolved, off the queue and off the flag list.
    flag.refresh_from_db()
    assert (flag.resolved_on, flag.resolution) == (today, "Risk screen reviewed by a supervisor.")
    page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    queue = page.locator("#review-queue tr.queue-row")
    expect(queue.first).to_have_attribute("data-enrollment", str(overdue.pk))
    expect(page.locator("#review-queue .risk-items")).to_have_count(0)
    expect(
        page.locator("#review-queue").get_by_role("link", name="Write supervision note")
    ).to_have_count(0)
    page.goto(f"/flags/?rule={FlagRule.RISK_SCREEN_UNREVIEWED}")
    expect(page.locator("#no-flags")).to_be_visible()

    # The case manager finds the note to acknowledge and acknowledges it.
    _log_out(page)
    login(page, "alice")
    page.get_by_role("navigation").get_by_role("link", name="Supervision", exact=True).click()
    expect(page.locator("#notes-awaiting")).to_contain_text("1 note to acknowledge")
    page.locator(f'#notes tr[data-note="{note.pk}"]').get_by_role("link").click()
    expect(page.locator("#note-text")).to_contain_text(DISCUSSION)
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#note-status")).to_have_text("Acknowledged")
    note.refresh_from_db()
    assert note.acknowledged_on == today
