"""A case manager finds a former client of the team from the navigation bar's search, on a
desk and on a phone, and opens the client page (issue 11: find any client I may see)."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from accounts.models import User
from clients.models import Client, Enrollment
from tests import factories
from tests.e2e.conftest import login


def _former_client_of(case_manager: User) -> Client:
    """Rosa Delgado, whose only enrollment (with ``case_manager``) closed in January."""
    enrollment = factories.EnrollmentFactory(
        case_manager=case_manager,
        application_date=dt.date(2025, 1, 1),
        client__first_name="Rosa",
        client__last_name="Delgado",
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.CLOSED, closed_on=dt.date(2026, 1, 5), close_reason="goals_met"
    )
    return enrollment.client


def _find(page: Page, former: Client) -> None:
    search = page.get_by_role("search", name="Client search")
    search.get_by_label("Find a client by name, record number, birth date or phone").fill(
        "Roza Delgado"
    )
    search.get_by_role("button", name="Find").click()

    expect(page).to_have_url(re.compile(r"/clients/\?q=Roza\+Delgado$"))
    result = page.locator(f'.client-result[data-client="{former.pk}"]')
    expect(result).to_contain_text("Closed")
    expect(result).to_contain_text("2026-01-05")


def _open(page: Page, former: Client) -> None:
    page.locator(f'.client-result[data-client="{former.pk}"]').get_by_role(
        "link", name="Rosa Delgado"
    ).click()

    expect(page).to_have_url(re.compile(rf"/clients/{former.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosa Delgado")


def test_a_case_manager_finds_a_former_client_of_the_team(
    page: Page, alice: User, bob: User
) -> None:
    former = _former_client_of(bob)
    login(page, "alice")
    _find(page, former)
    _open(page, former)


def test_a_case_manager_finds_a_former_client_on_a_phone(
    page: Page, alice: User, bob: User
) -> None:
    former = _former_client_of(bob)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "alice")
    page.get_by_role("button", name="Menu").click()
    _find(page, former)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _open(page, former)
