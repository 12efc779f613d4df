"""After a contact is saved, the caseload row and the client page show the enrollment's flags
as they stand after it (issue 11): the monitoring gap of a client never contacted goes away."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from clients.models import Enrollment
from supervision.compliance import compliance_evaluate
from tests import factories
from tests.e2e.conftest import login


@pytest.fixture
def gap(alice: User) -> Enrollment:
    """alice's enrollment, applied 40 days ago and never contacted: a monitoring gap."""
    today = timezone.localdate()
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=today - dt.timedelta(days=40)
    )
    compliance_evaluate(as_of=today, enrollment_ids=[enrollment.pk])
    return enrollment


def _record_phone_call(page: Page) -> None:
    modal = page.locator("#modal")
    expect(modal).to_be_visible()
    modal.get_by_label("Contact type").select_option(label="Phone")
    modal.get_by_label("Duration (minutes)").fill("15")
    modal.get_by_label("Note").fill("Called to book the assessment.")
    modal.get_by_role("button", name="Save contact").click()
    expect(modal).to_be_hidden()


def test_the_client_page_drops_the_flag_the_contact_met(page: Page, gap: Enrollment) -> None:
    login(page, "alice")
    page.goto(f"/clients/{gap.client_id}/")
    compliance = page.locator("#compliance")
    expect(compliance).to_contain_text("Monitoring gap")

    page.locator("#client-header").get_by_role("button", name="Record contact").click()
    _record_phone_call(page)

    expect(compliance).not_to_contain_text("Monitoring gap")


def test_the_caseload_row_drops_the_flag_the_contact_met(page: Page, gap: Enrollment) -> None:
    login(page, "alice")
    page.goto("/caseload/")
    row = page.locator(f'#caseload tr[data-enrollment="{gap.pk}"]')
    expect(row).to_contain_text("Monitoring gap")

    row.get_by_role("button", name="Record contact").click()
    _record_phone_call(page)

    expect(row).not_to_contain_text("Monitoring gap")
