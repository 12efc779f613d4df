"""Browser journey 2: a case manager's client has an overdue initial assessment (flagged by
the compliance evaluation); she asks for a variance from the client page; the administrator
approves it from the variance queue; the flag is gone from her caseload, until the new date."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from clients.models import Enrollment
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule, Variance
from tests import factories
from tests.e2e.conftest import login

INITIAL = FlagRule.INITIAL_ASSESSMENT_OVERDUE
REASON = "The family was out of state for three weeks; first visit booked for Monday."


def _log_in_as(page: Page, username: str) -> None:
    if page.get_by_role("button", name="Log out").count():
        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, username)


def _caseload_flags(page: Page, enrollment: Enrollment) -> Locator:
    return page.locator(f'#caseload tr[data-enrollment="{enrollment.pk}"] .open-flags')


def test_a_variance_is_requested_approved_and_the_flag_leaves_the_caseload(
    page: Page, alice: User, ada: User
) -> None:
    today = timezone.localdate()
    new_date = today + dt.timedelta(days=14)
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=today - dt.timedelta(days=40)
    )
    client = enrollment.client
    compliance_evaluate(as_of=today)
    flag = Flag.objects.open().get(enrollment=enrollment, rule=INITIAL)

    # The case manager sees the overdue assessment on her caseload and on the client page.
    login(page, "alice")
    page.get_by_role("navigation").get_by_role("link", name="Caseload", exact=True).click()
    flags = _caseload_flags(page, enrollment)
    expect(flags.locator(f'[data-rule="{INITIAL}"]')).to_have_count(1)
    page.locator(f'#caseload tr[data-enrollment="{enrollment.pk}"]').get_by_role(
        "link", name=client.display_name
    ).click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    overdue = page.locator(f'#compliance .flag[data-rule="{INITIAL}"]')
    expect(overdue).to_contain_text("10 days overdue")
    expect(overdue).to_contain_text("Complete the comprehensive assessment.")

    # She asks for a variance against the flag: its standard is filled in.
    overdue.get_by_role("link", name="Request variance").click()
    expect(page.get_by_role("heading", name="Request a variance")).to_be_visible()
    expect(page.locator("#flag-explained")).to_contain_text("standard 7")
    page.get_by_label("Why it cannot be met").fill(REASON)
    # A date in the past is refused on the form, beside the field.
    page.get_by_label("Proposed new due date").fill(today.isoformat())
    page.get_by_role("button", name="Request variance").click()
    expect(page.locator("#div_id_proposed_due_on")).to_contain_text(
        "The proposed new due date must be after today."
    )
    page.get_by_label("Proposed new due date").fill(new_date.isoformat())
    page.get_by_role("button", name="Request variance").click()
    expect(page.locator("#variance-status")).to_have_text("Pending")
    variance = Variance.objects.get()
    assert (variance.flag_id, variance.rule, variance.requested_by) == (flag.pk, INITIAL, alice)

    # The administrator approves it from the queue.
    _log_in_as(page, "ada")
    page.get_by_role("navigation").get_by_role("link", name="Variances", exact=True).click()
    expect(page.get_by_role("heading", name="Variance queue")).to_be_visible()
    row = page.locator(f'#variance-queue tr[data-variance="{variance.pk}"]')
    expect(row).to_contain_text(client.display_name)
    expect(row).to_contain_text(REASON)
    expect(row.locator(".days-overdue")).to_have_text("10 days overdue")
    expect(row.locator('input[name="approved_due_on"]')).to_have_value(new_date.isoformat())
    row.get_by_role("button", name="Approve").click()
    # Nothing is signed before the decision is confirmed.
    expect(page.get_by_role("heading", name="Confirm the decision")).to_be_visible()
    expect(page.locator("#until")).to_have_text(new_date.isoformat())
    variance.refresh_from_db()
    assert variance.status == Variance.Status.PENDING
    page.get_by_role("button", name="Sign the approval").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Approved the variance for {client.display_name} until {new_date.isoformat()}."
    )
    expect(page.locator(f'#variance-queue tr[data-variance="{variance.pk}"]')).to_have_count(0)
    variance.refresh_from_db()
    assert (variance.status, variance.approved_due_on, variance.decided_by) == (
        Variance.Status.APPROVED,
        new_date,
        ada,
    )

    # The flag has left the case manager's caseload; the client page says until when.
    _log_in_as(page, "alice")
    page.get_by_role("navigation").get_by_role("link", name="Caseload", exact=True).click()
    flags = _caseload_flags(page, enrollment)
    expect(flags).to_be_visible()
    expect(flags.locator(f'[data-rule="{INITIAL}"]')).to_have_count(0)
    expect(flags.locator(f'[data-rule="{FlagRule.MONITORING_GAP}"]')).to_have_count(1)
    page.goto(f"/clients/{client.pk}/")
    expect(page.locator(f'#compliance .flag[data-rule="{INITIAL}"]')).to_have_count(0)
    expect(page.locator(f'#variances li[data-variance="{variance.pk}"]')).to_contain_text(
        f"Approved until {new_date.isoformat()}"
    )
    flag.refresh_from_db()
    assert flag.resolution == f"Variance approved until {new_date.isoformat()}."
