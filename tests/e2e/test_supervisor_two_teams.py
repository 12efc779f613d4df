"""A supervisor of two teams (CFP bulletin 18B-08: the clinical case manager/supervisor
reviews the teams' caseloads): the dashboard shows both teams at once, the case-manager table
is sorted by open flags from its header, and a supervision note written from the client
page arrives with the risk screen's concerns pre-filled, as from the review queue."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Team, User
from serviceplans.services import risk_screen_record
from supervision.models import FlagRule, SupervisionNote
from tests import factories
from tests.e2e.conftest import login


def test_a_supervisor_of_two_teams_sorts_by_open_flags_and_writes_a_note_from_the_client_page(
    page: Page, team: Team, other_team: Team, alice: User, bob: User, charlie: User
) -> None:
    today = timezone.localdate()
    factories.SupervisorFactory(username="sofia", team=team, supervises=[team, other_team])
    # charlie (the other team) has the most open flags, bob none.
    for _ in range(2):
        factories.FlagFactory(
            enrollment=factories.EnrollmentFactory(case_manager=charlie),
            rule=FlagRule.MONITORING_GAP,
        )
    enrollment = factories.EnrollmentFactory(case_manager=alice)
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    risk_screen_record(
        actor=alice,
        enrollment=enrollment,
        screened_on=today,
        domestic_violence=True,
        notes="Mother's partner returned to the household last week.",
    )

    login(page, "sofia")
    expect(page.get_by_role("heading", name=re.compile("Dashboard"))).to_be_visible()
    table = page.locator("#case-managers")
    expect(table.locator("tbody td.team")).to_contain_text(
        ["North Team", "North Team", "South Team"]
    )

    # Sorted by open flags from the header, with the keyboard: the most first.
    header = table.get_by_role("columnheader", name=re.compile("Open flags"))
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "descending")
    rows = table.locator("tbody tr")
    expect(rows.first).to_have_attribute("data-case-manager", str(charlie.pk))
    expect(rows.last).to_have_attribute("data-case-manager", str(bob.pk))

    # From the client page, the note arrives with the screen's concerns ticked.
    page.goto(reverse("workspace:client", args=[enrollment.client_id]))
    page.locator("#supervision").get_by_role("link", name="Write supervision note").click()
    expect(page.get_by_role("heading", name="New supervision note")).to_be_visible()
    expect(page.get_by_label("Domestic violence")).to_be_checked()
    expect(page.get_by_label("Suicidal threats or ideation")).not_to_be_checked()
    expect(page.get_by_label("Case manager supervised")).to_have_value(str(alice.pk))
    page.get_by_label("Discussion").fill("Safety at home discussed; DV advocate referral agreed.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("alert")).to_contain_text("The risk screen is marked reviewed.")
    note = SupervisionNote.objects.get(enrollment=enrollment)
    assert note.concerns == ["domestic_violence"]
