"""A client of another team cannot be reached by typing its address."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from clients.models import Enrollment
from tests.e2e.conftest import login


def test_it_answers_404_for_another_teams_client(
    page: Page, enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    own, others = enrollment.client, other_enrollment.client
    login(page, "alice")

    # The same address shape opens alice's own client, so the 404 below is about scope.
    response = page.goto(f"/clients/{own.pk}/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_contain_text(own.last_name)

    response = page.goto(f"/clients/{others.pk}/")
    assert response is not None and response.status == 404
    body = page.locator("body")
    expect(body).not_to_contain_text(others.last_name)
    expect(body).not_to_contain_text(others.record_number)
