"""A planned home visit, from the client page to a recorded contact: planned from the client
page, on the week view, in the private iCalendar feed (parsed back: only the time, the type
and the record number), then recorded from the visit with the contact form pre-filled."""

from __future__ import annotations

import urllib.request

import icalendar
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Enrollment
from scheduling.models import PlannedVisit
from tests.e2e.conftest import login


def test_a_planned_home_visit_becomes_a_recorded_contact(
    page: Page, enrollment: Enrollment
) -> None:
    client = enrollment.client
    # Earlier today: planned on arrival, so it can be recorded at once (a contact cannot be
    # in the future) and it is a visit "in the past, neither recorded nor missed".
    start = timezone.localtime().replace(hour=0, minute=1, second=0, microsecond=0)
    login(page, "alice")

    page.goto(f"/clients/{client.pk}/")
    page.get_by_role("link", name="Plan a visit").click()
    page.get_by_label("Date and time").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_place").select_option(label="Client's home")
    page.get_by_label("Place details").fill("Green door, second floor")
    page.get_by_label("Type of contact").select_option(label="Home visit")
    page.get_by_label("With whom").fill("Client and mother")
    page.get_by_label("Purpose").fill("Review the attendance plan")
    page.get_by_role("button", name="Plan visit").click()

    visit = page.locator(".visit-planned")
    expect(visit).to_have_count(1)
    expect(visit).to_contain_text(client.display_name)
    expect(visit).to_contain_text("Home visit")
    assert PlannedVisit.objects.get().status == PlannedVisit.Status.PLANNED

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    on_my_work = page.locator('.my-work-item[data-kind="visit"]')
    expect(on_my_work).to_have_count(1)
    expect(on_my_work).to_contain_text(client.display_name)
    expect(on_my_work).to_contain_text("Home visit")
    expect(on_my_work.get_by_role("button", name="Record the visit")).to_be_visible()

    page.goto("/schedule/")
    page.get_by_role("link", name="Calendar feed").click()
    page.get_by_role("button", name="Turn on").click()
    feed_url = page.locator("#feed-url").input_value()
    with urllib.request.urlopen(feed_url) as response:  # no session: the token alone
        body = response.read()
    calendar = icalendar.Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Home visit · {client.record_number}"
    assert event.decoded("DTSTART") == start
    text = body.decode()
    for private in (client.first_name, client.last_name, "Green door", "attendance", "mother"):
        assert private not in text

    page.goto("/schedule/")
    page.locator(".visit-planned").get_by_role("link", name="Record contact").click()
    form = page.locator("#modal #contact-form")
    expect(form.get_by_label("Contact type")).to_have_value("home_visit")
    expect(form.get_by_label("Location")).to_have_value("Client's home: Green door, second floor")
    expect(form.get_by_label("Date and time")).to_have_value(start.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Duration (minutes)").fill("50")
    form.get_by_label("Note").fill("Walked through the attendance plan with mother.")
    form.get_by_role("button", name="Save contact").click()

    # The modal closes and the week reloads with the visit recorded.
    expect(page.locator(".visit-recorded")).to_contain_text("Recorded")
    recorded = PlannedVisit.objects.select_related("contact").get()
    assert recorded.status == PlannedVisit.Status.RECORDED
    assert recorded.contact is not None
    assert recorded.contact.occurred_at == start
