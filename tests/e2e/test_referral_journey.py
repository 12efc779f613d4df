"""Linkage end to end: a case manager searches the directory for a Spanish-speaking
substance-use provider with a short waitlist, refers a client from a goal of the active plan,
is stopped for lack of a consent, records the consent, sends the referral, downloads the
packet, and records acceptance and the first appointment; the disclosure shows in the
client's accounting of disclosures."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from clients.models import Enrollment
from referrals.forms.referrals import provider_label
from referrals.models import Consent, Disclosure, ProviderService, Referral, ServiceType
from referrals.models import ReferralStatus as S
from tests import factories
from tests.e2e.conftest import login

GOAL = "I want to stay sober so I can get my kids back."


def _iso(day: dt.date) -> str:
    return day.strftime("%Y-%m-%d")


@pytest.fixture
def directory() -> dict[str, object]:
    """Four substance-use and mental-health providers; only one is Spanish-speaking, treats
    substance use and has a short wait."""
    casa = factories.ProviderFactory(
        name="Casa Esperanza Recovery",
        languages=["English", "Spanish"],
        waitlist_weeks=1,
        phone="208-555-0142",
    )
    ProviderService.objects.create(
        provider=casa, name="Intensive outpatient", service_type=ServiceType.SUBSTANCE_USE
    )
    factories.ProviderFactory(name="Valley Treatment Center", languages=["English"])
    factories.ProviderFactory(name="Sol Recovery", languages=["Spanish"], waitlist_weeks=8)
    factories.ProviderFactory(
        name="Puente Counseling",
        languages=["Spanish"],
        waitlist_weeks=1,
        service_type=ServiceType.MENTAL_HEALTH,
    )
    return {"casa": casa}


def test_it_refers_from_a_goal_under_a_consent_and_accounts_for_the_packet(
    page: Page, enrollment: Enrollment, alice: User, directory: dict[str, object]
) -> None:
    client = enrollment.client
    casa = directory["casa"]
    today = timezone.localdate()
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    factories.GoalFactory(plan=plan, client_words=GOAL, life_domain="substance_use")
    login(page, "alice")

    # The directory: Spanish-speaking substance-use providers with at most two weeks' wait.
    page.get_by_role("navigation").get_by_role("link", name="Directory").click()
    filters = page.locator("#directory-filters")
    filters.get_by_label("Service type").select_option(label="Substance use")
    filters.get_by_label("Language").fill("Spanish")
    filters.get_by_label("Waitlist at most (weeks)").fill("2")
    filters.get_by_role("button", name="Search").click()
    expect(page.locator("#directory tbody tr")).to_have_count(1)
    expect(page.locator("#directory tbody tr")).to_contain_text("Casa Esperanza Recovery")

    # From the goal of the active plan, a referral to that provider.
    page.goto(f"/plans/{plan.pk}/")
    page.locator("#goals .goal", has_text=GOAL).get_by_role("link", name="Refer").click()
    expect(page.get_by_role("heading", name="New referral")).to_be_visible()
    expect(page.locator("#referral-goal")).to_contain_text(GOAL)
    finder = page.locator("#provider-finder")
    finder.get_by_label("Service type").select_option(label="Substance use")
    finder.get_by_label("Language").fill("Spanish")
    finder.get_by_label("Waitlist at most (weeks)").fill("2")
    finder.get_by_role("button", name="Find").click()
    expect(page.locator("#providers-found")).to_contain_text("1 active provider offered")
    form = page.locator("#referral-form")
    expect(form.get_by_label("Plan goal", exact=True)).to_have_value(str(plan.goals.get().pk))
    form.get_by_label("Provider*", exact=True).select_option(
        label=provider_label(type(casa).objects.prefetch_related("services").get(pk=casa.pk))
    )
    form.get_by_label("Service", exact=True).select_option(
        label="Intensive outpatient (Substance use)"
    )
    form.get_by_label("Reason for referral").fill(
        "Daily methamphetamine use; wants treatment in Spanish close to home."
    )
    form.get_by_label("Urgency").select_option(label="Urgent")
    form.get_by_label("The client's readiness").fill("Preparation: asked for help this week.")
    form.get_by_label("Barriers").fill("No car; bus pass from the county.")
    form.get_by_label("Service plan goals").check()
    form.get_by_label("Substance-use treatment records (42 CFR Part 2)").check()
    form.get_by_role("button", name="Save draft referral").click()
    expect(page.get_by_role("heading", name="Referral to Casa Esperanza Recovery")).to_contain_text(
        "Draft"
    )
    referral = Referral.objects.get()
    assert (referral.goal.client_words, referral.provider, referral.categories) == (
        GOAL,
        casa,
        ["identifying", "service_plan", "substance_use"],
    )

    # Sending it is stopped: no release of information covers it.
    transition = page.locator("#transition")
    expect(transition.get_by_label("Next step")).to_have_text("Sent")
    transition.get_by_label("Note").fill("Faxed to intake.")
    transition.get_by_role("button", name="Record step").click()
    expect(transition).to_contain_text(
        "Not sent: no release of information covers this referral. Missing: "
        "a signed release of information for this provider."
    )
    referral.refresh_from_db()
    assert (referral.status, referral.steps.count()) == (S.DRAFT, 0)

    # The consent, recorded from the link, with the provider and what is shared filled in.
    page.locator("#consent-missing").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Record a release of information")).to_be_visible()
    consent_form = page.locator("#consent-form")
    expect(consent_form.get_by_label("Recipient: a provider in the directory")).to_have_value(
        str(casa.pk)
    )
    expect(
        consent_form.get_by_label("Substance-use treatment records (42 CFR Part 2)")
    ).to_be_checked()
    consent_form.get_by_label("Purpose of the disclosure").fill(
        "Referral for substance-use treatment and coordination of care."
    )
    consent_form.get_by_label("Expires on", exact=True).fill(_iso(today + dt.timedelta(days=365)))
    consent_form.get_by_label("The client was told of the right to revoke this consent").check()
    consent_form.get_by_role("button", name="Save release").click()
    expect(page).to_have_url(re.compile(rf"/referrals/{referral.pk}/$"))
    consent = Consent.objects.get(client=client)

    # Now it is sent, under that consent, and a follow-up is due.
    transition = page.locator("#transition")
    transition.get_by_label("Note").fill("Faxed to intake.")
    transition.get_by_role("button", name="Record step").click()
    expect(page.locator("#referral-status")).to_have_text("Sent")
    days = enrollment.program.referral_follow_up_days
    expect(page.locator("#follow-up")).to_contain_text(f"due in {days} days")
    referral.refresh_from_db()
    assert (referral.status, referral.consent) == (S.SENT, consent)

    # The packet: a PDF, entered in the accounting of disclosures.
    with page.expect_download() as download_info:
        page.locator("#packet").get_by_role("button", name="Download packet (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"referral-{referral.pk}-packet.pdf"
    with open(download.path(), "rb") as packet:
        assert packet.read(4) == b"%PDF"
    disclosure = Disclosure.objects.get()
    assert (disclosure.referral, disclosure.consent, disclosure.recipient) == (
        referral,
        consent,
        casa,
    )

    # Accepted, then the first appointment.
    transition = page.locator("#transition")
    transition.get_by_label("Next step").select_option(label="Accepted")
    transition.get_by_label("Note").fill("Intake accepted her; no wait.")
    transition.get_by_role("button", name="Record step").click()
    expect(page.locator("#referral-status")).to_have_text("Accepted")
    first_visit = _iso(today + dt.timedelta(days=6))
    transition = page.locator("#transition")
    transition.get_by_label("Next step").select_option(label="Appointment scheduled")
    transition.get_by_label("Note").fill(f"First appointment {first_visit} at 10:00, in Spanish.")
    transition.get_by_role("button", name="Record step").click()
    expect(page.locator("#referral-status")).to_have_text("Appointment scheduled")
    expect(page.locator("#steps tr.step[data-status]")).to_have_count(3)
    expect(page.locator("#steps")).to_contain_text(f"First appointment {first_visit}")
    referral.refresh_from_db()
    assert [s.to_status for s in referral.steps.all()] == [
        S.SENT,
        S.ACCEPTED,
        S.APPOINTMENT_SCHEDULED,
    ]
    assert [s.by for s in referral.steps.all()] == [alice, alice, alice]

    # The client page: the referral with its follow-up, and the disclosure in the accounting.
    page.locator("#referral-header").get_by_role("link", name=client.display_name).click()
    expect(page.locator("#referrals .referral")).to_contain_text("Casa Esperanza Recovery")
    expect(page.locator("#referrals .referral")).to_contain_text("Appointment scheduled")
    accounting = page.locator("#disclosures .disclosure-row")
    expect(accounting).to_have_count(1)
    expect(accounting).to_contain_text("Casa Esperanza Recovery")
    expect(accounting).to_contain_text("Substance-use treatment records (42 CFR Part 2)")
    expect(accounting).to_contain_text("by Alice")
