"""The clinical core end to end: a case manager completes the initial comprehensive assessment,
records a risk screen with a positive suicide item and sees the client flagged at risk on the
client page and the caseload; builds a service plan with two goals, an intervention under each
and a barrier; the team's supervisor approves it; the case manager then records a phone
contact against one of its goals, which the timeline shows."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from clients.models import Contact, Enrollment
from serviceplans.due_dates import plus_months
from serviceplans.models import Assessment, RiskAlert, ServicePlan
from tests.e2e.conftest import login

DOMAINS = (
    "Mental health",
    "Substance use",
    "Medical / HIV",
    "Housing",
    "Family and relationships",
    "Legal / criminal justice",
    "Education / employment",
    "Strengths",
)
SCHOOL_GOAL = "I want to go back to school every day."
SLEEP_GOAL = "I want to sleep through the night without nightmares."


def _iso(day: dt.date) -> str:
    return day.strftime("%Y-%m-%d")


def _complete_the_initial_assessment(page: Page) -> None:
    page.locator("#assessments").get_by_role("button", name="Start assessment").click()
    expect(page.get_by_role("heading", name="Initial comprehensive assessment")).to_be_visible()
    for domain in DOMAINS:
        page.get_by_label(f"{domain}: need level").select_option(label="Moderate")
    page.get_by_label("Mental health: findings").fill(
        "Low mood since the move; passive thoughts of not wanting to be here."
    )
    page.get_by_label("Summary").fill("School refusal with low mood; family supportive.")
    page.get_by_role("button", name="Complete and lock").click()
    expect(page.get_by_role("heading", name="Initial comprehensive assessment")).to_contain_text(
        "Completed"
    )


def _record_a_positive_suicide_screen(page: Page) -> None:
    page.locator("#assessments").get_by_role("link", name="Record risk screen").click()
    expect(page.get_by_role("heading", name="Readiness, risk and adherence screen")).to_be_visible()
    page.get_by_label("Suicidal threats or ideation").check()
    page.get_by_label("Notes").fill("Said she sometimes wishes she would not wake up; no plan.")
    page.get_by_role("button", name="Record screen").click()


def _add_goal_with_an_intervention(page: Page, words: str, what: str, target: dt.date) -> None:
    page.get_by_role("link", name="Add goal").click()
    page.get_by_label("The goal, in the client's own words").fill(words)
    page.get_by_label("Life domain").select_option(label="Mental health")
    page.get_by_label("Target date").fill(_iso(target))
    page.get_by_role("button", name="Save").click()
    goal = page.locator("#goals .goal", has_text=words)
    expect(goal).to_be_visible()

    goal.get_by_role("link", name="Add objective or intervention").click()
    page.get_by_label("Kind").select_option(label="Intervention")
    page.get_by_label("Who does it").select_option(label="Case manager")
    page.get_by_label("What is done").fill(what)
    page.get_by_label("When / how often").fill("Weekly")
    page.get_by_label("Where", exact=True).fill("Home")
    # crispy marks a required field with an asterisk, which is part of its label.
    page.get_by_label("Why*", exact=True).fill("So that the goal can be reached step by step.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#goals .goal", has_text=words).locator("tr.action")).to_contain_text(what)


def _log_in_as(page: Page, username: str) -> None:
    if page.get_by_role("button", name="Log out").count():
        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, username)


def _caseload_row(page: Page, enrollment: Enrollment) -> Locator:
    return page.locator(f'#caseload tr[data-enrollment="{enrollment.pk}"]')


def test_it_assesses_plans_approves_and_records_a_contact_against_a_goal(
    page: Page, enrollment: Enrollment, alice: User, sam: User
) -> None:
    client = enrollment.client
    today = timezone.localdate()
    login(page, "alice")

    # Initial comprehensive assessment: due 30 days after application, shown on the caseload
    # (one link from My work, where case managers land).
    page.get_by_role("navigation").get_by_role("link", name="Caseload", exact=True).click()
    row = _caseload_row(page, enrollment)
    expect(row.locator(".assessment-due")).to_have_text("due in 20 days")
    expect(row.locator(".at-risk")).to_have_count(0)
    row.get_by_role("link", name=client.display_name).click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    _complete_the_initial_assessment(page)
    assessment = Assessment.objects.get(enrollment=enrollment)
    assert (assessment.status, assessment.completed_on) == (Assessment.Status.COMPLETED, today)

    # A positive suicide item: the client is flagged at risk and the supervisor alerted.
    # The update is due on the anniversary: 365 days ahead, or 366 across a 29 February.
    update_in = (plus_months(today, enrollment.program.reassessment_interval_months) - today).days
    page.get_by_role("link", name=client.display_name).click()
    expect(page.locator("#assessments .assessment-due")).to_contain_text(f"due in {update_in} days")
    expect(page.locator("#at-risk")).to_have_count(0)
    _record_a_positive_suicide_screen(page)
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("The team's supervisor has been alerted.")
    expect(page.locator("#at-risk")).to_contain_text("At risk")
    expect(page.locator("#at-risk")).to_contain_text("Suicidal threats or ideation")
    assert RiskAlert.objects.filter(risk_screen__enrollment=enrollment).count() == 1

    page.get_by_role("navigation").get_by_role("link", name="Caseload").click()
    row = _caseload_row(page, enrollment)
    expect(row.locator(".at-risk")).to_have_text("At risk")
    expect(row.locator(".assessment-due")).to_have_text(f"due in {update_in} days")

    # A plan with two goals, an intervention under each, and a barrier.
    row.get_by_role("link", name=client.display_name).click()
    page.locator("#service-plans").get_by_role("button", name="Start plan").click()
    expect(page.get_by_role("heading", name="Service plan, version 1")).to_contain_text("Draft")
    plan_url = page.url
    target = today + dt.timedelta(days=90)
    _add_goal_with_an_intervention(
        page, SCHOOL_GOAL, "Meet the school counselor about a shortened timetable.", target
    )
    _add_goal_with_an_intervention(
        page, SLEEP_GOAL, "Refer to the clinic for a sleep and trauma assessment.", target
    )
    page.get_by_role("link", name="Add barrier").click()
    page.get_by_label("Barrier to engagement").select_option(label="Transport")
    page.get_by_label("Strategy to reduce it").fill("County bus pass; first visits driven.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#barriers tr.barrier")).to_contain_text("Transport")

    page.get_by_role("link", name="Edit plan details").click()
    page.get_by_label("Rationale of case management explained to the client on").fill(_iso(today))
    page.get_by_label("Client signed on").fill(_iso(today))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#client-signed")).to_have_text(_iso(today))
    expect(page.locator("#plan-buttons").get_by_role("link", name="Approve")).to_have_count(0)

    # The supervisor of the team approves it.
    _log_in_as(page, "sam")
    page.goto(plan_url)
    page.locator("#plan-buttons").get_by_role("link", name="Approve").click()
    page.get_by_role("button", name="Approve plan").click()
    expect(page.get_by_role("heading", name="Service plan, version 1")).to_contain_text("Active")
    expect(page.locator("#approval")).to_contain_text(_iso(today))
    plan = ServicePlan.objects.get(enrollment=enrollment)
    assert (plan.status, plan.approved_by) == (ServicePlan.Status.ACTIVE, sam)

    # The case manager records a phone contact from the caseload against one goal.
    _log_in_as(page, "alice")
    page.get_by_role("navigation").get_by_role("link", name="Caseload", exact=True).click()
    row = _caseload_row(page, enrollment)
    row.get_by_role("button", name="Record contact").click()
    modal = page.locator("#modal")
    expect(modal).to_be_visible()
    form = modal.locator("#modal-content form")
    form.get_by_label("Contact type").select_option(label="Phone")
    form.get_by_label("Duration (minutes)").fill("25")
    note = "Talked through the first week back at school; mother on the call."
    form.get_by_label("Note").fill(note)
    # A clinical contact must name a goal of the active plan.
    form.get_by_role("button", name="Save contact").click()
    expect(modal.locator("#div_id_goals")).to_contain_text(
        "Name at least one goal of the active plan this contact served."
    )
    assert not Contact.objects.exists()
    form.get_by_label(SCHOOL_GOAL).check()
    form.get_by_role("button", name="Save contact").click()
    expect(modal).to_be_hidden()

    contact = Contact.objects.get()
    assert [link.goal.client_words for link in contact.goal_links.all()] == [SCHOOL_GOAL]
    row.get_by_role("link", name=client.display_name).click()
    newest = page.locator("#timeline .contact").first
    expect(newest).to_contain_text(note)
    expect(newest.locator(".contact-goal")).to_have_text([SCHOOL_GOAL])
