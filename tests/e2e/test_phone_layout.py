"""Phone layout (issue 11): at 390x844 every main page fits the screen's width, for each role that
uses it: the document does not scroll sideways, neither html nor body hides the overflow (which
would only cut off what does not fit), no visible element ends past the right edge, and the
caseload's "Record contact" is on the first screen.

The records are long-named on purpose (client, program, provider, team), with a row in every
list, so that a table that does not stack or a word that does not wrap shows here. Dates are
relative to today, not frozen: the browser keeps its own clock, and would drop a session cookie
whose expiry a frozen server clock had put in its past.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Team, User
from clients.models import Enrollment
from supervision.models import FlagRule
from tests import factories
from tests.e2e.conftest import login

WIDTH, HEIGHT = 390, 844

# What the page does past the right edge: the document's scroll width, html's and body's
# computed overflow-x, and each visible element whose box ends past the width (a few).
MEASURE = """(width) => {
  const past = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (!element.checkVisibility()) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 0.5) {
      past.push(`${element.tagName.toLowerCase()}#${element.id}.${element.className}`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    htmlOverflowX: getComputedStyle(document.documentElement).overflowX,
    bodyOverflowX: getComputedStyle(document.body).overflowX,
    past: past.slice(0, 5),
  };
}"""

LONG = "Wolfeschlegelsteinhausen-Bergerdorff"


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return page


@pytest.fixture
def agency(alice: User, sam: User, ada: User, quinn: User, team: Team) -> Enrollment:
    """alice's long-named client with a row in every list: flags, a pending variance, a
    referral, a consent about to expire, a supervision note with a task, a contact and a
    planned visit."""
    team.name = f"North {LONG} Team"
    team.save(update_fields=["name"])
    program = factories.ProgramFactory(name=f"Children's Mental Health ({LONG} region)")
    enrollment = factories.EnrollmentFactory(
        case_manager=alice,
        program=program,
        client__first_name="Maximiliana-Josephine",
        client__last_name=LONG,
        application_date=timezone.localdate() - dt.timedelta(days=90),
    )
    for rule in (FlagRule.INITIAL_ASSESSMENT_OVERDUE, FlagRule.MONITORING_GAP):
        factories.FlagFactory(enrollment=enrollment, rule=rule)
    factories.VarianceFactory(enrollment=enrollment, reason=f"Out of state. {LONG} " * 8)
    provider = factories.ProviderFactory(name=f"{LONG} Community Recovery Services")
    factories.ReferralFactory(enrollment=enrollment, provider=provider)
    factories.ConsentFactory(
        client=enrollment.client,
        recipient_provider=provider,
        expires_on=timezone.localdate() + dt.timedelta(days=5),
    )
    note = factories.SupervisionNoteFactory(enrollment=enrollment, author=sam)
    factories.FollowUpTaskFactory(note=note)
    factories.ContactFactory(enrollment=enrollment, travel_minutes=25)
    factories.PlannedVisitFactory(enrollment=enrollment, location=f"{LONG} Avenue, back door")
    return enrollment


def _problems(page: Page, path: str) -> dict[str, Any]:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")  # the client page loads its cards after the page
    measured: dict[str, Any] = page.evaluate(MEASURE, WIDTH)
    problems: dict[str, Any] = {}
    if measured["scrollWidth"] > WIDTH:
        problems["scrollWidth"] = measured["scrollWidth"]
    hidden = {"html": measured["htmlOverflowX"], "body": measured["bodyOverflowX"]}
    if "hidden" in hidden.values() or "clip" in hidden.values():
        problems["overflow-x"] = hidden
    if measured["past"]:
        problems["past the right edge"] = measured["past"]
    return problems


def _all_problems(page: Page, paths: list[str]) -> dict[str, dict[str, Any]]:
    found = {path: _problems(page, path) for path in paths}
    return {path: problems for path, problems in found.items() if problems}


def test_the_case_managers_pages_fit_a_phone(phone: Page, agency: Enrollment) -> None:
    login(phone, "alice")
    client = f"/clients/{agency.client_id}/"
    paths = [
        "/caseload/",
        "/my-work/",
        "/schedule/",
        client,
        "/clients/",
        "/referrals/",
        "/flags/",
        "/notes/",
        "/consents/expiring/",
        "/providers/",
        "/variances/",
        "/clients/new/",
        f"{client}referrals/new/",
    ]
    assert _all_problems(phone, paths) == {}


def test_the_supervisors_pages_fit_a_phone(phone: Page, agency: Enrollment) -> None:
    login(phone, "sam")
    paths = [
        "/dashboard/",
        "/caseload/",
        "/my-work/",
        "/schedule/",
        f"/clients/{agency.client_id}/",
        "/flags/",
        "/notes/",
        "/variances/",
        "/referrals/",
        f"/notes/new/?enrollment={agency.pk}",
    ]
    assert _all_problems(phone, paths) == {}


def test_the_administrators_pages_fit_a_phone(phone: Page, agency: Enrollment) -> None:
    login(phone, "ada")
    paths = [
        "/variances/queue/",
        f"/dashboard/?team={agency.team_id}",
        "/flags/",
        "/caseload/",
        "/clients/",
    ]
    assert _all_problems(phone, paths) == {}


def test_the_qa_reviewers_pages_fit_a_phone(phone: Page, agency: Enrollment) -> None:
    login(phone, "quinn")
    paths = [f"/dashboard/?team={agency.team_id}", "/variances/", "/consents/expiring/"]
    assert _all_problems(phone, paths) == {}


def test_the_caseloads_first_record_contact_is_on_the_first_screen(
    phone: Page, agency: Enrollment
) -> None:
    login(phone, "alice")
    phone.goto("/caseload/")
    record = phone.locator("#caseload").get_by_role("button", name="Record contact").first
    expect(record).to_be_in_viewport(ratio=1)


def test_each_stacked_cell_is_labelled_with_its_column(phone: Page, agency: Enrollment) -> None:
    login(phone, "alice")
    phone.goto("/caseload/")
    row = phone.locator(f'#caseload tr[data-enrollment="{agency.pk}"]')
    expect(row.locator("td").nth(1)).to_have_attribute("data-label", "Record")
    expect(row.locator("td.days-since-contact")).to_have_attribute(
        "data-label", "Days since last contact"
    )


def test_the_navigation_folds_into_a_menu_that_fits_the_phone(
    phone: Page, agency: Enrollment
) -> None:
    login(phone, "sam")
    menu = phone.get_by_role("button", name="Menu")
    expect(phone.get_by_role("link", name="Referrals")).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")

    menu.click()

    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("link", name="Referrals")).to_be_visible()
    assert phone.evaluate(MEASURE, WIDTH)["past"] == []
