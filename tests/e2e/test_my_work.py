"""A case manager lands on My work, marks a supervision task done from it and opens the contact
modal for a planned visit from it."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Enrollment
from supervision.models import FollowUpTask
from tests import factories
from tests.e2e.conftest import login


def test_a_task_is_marked_done_from_my_work(page: Page, enrollment: Enrollment) -> None:
    today = timezone.localdate()
    note = factories.SupervisionNoteFactory(enrollment=enrollment, acknowledged_on=today)
    task = factories.FollowUpTaskFactory(
        note=note, due_on=today, description="Call the school counselor about the timetable."
    )
    login(page, "alice")

    expect(page).to_have_url(re.compile(r"/my-work/$"))
    item = page.locator(f'#my-work .my-work-item[data-kind="task"][data-pk="{task.pk}"]')
    expect(item).to_contain_text("Call the school counselor")
    expect(item.locator(".my-work-due")).to_have_text("due today")
    item.get_by_role("button", name="Mark done").click()

    expect(page).to_have_url(re.compile(r"/my-work/$"))
    expect(page.get_by_role("alert")).to_contain_text("Follow-up task marked done.")
    expect(item).to_have_count(0)
    assert FollowUpTask.objects.get(pk=task.pk).done_on == today


def test_a_planned_visit_opens_the_contact_modal_from_my_work(
    page: Page, enrollment: Enrollment
) -> None:
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9)))
    visit = factories.PlannedVisitFactory(enrollment=enrollment, scheduled_start=start)
    login(page, "alice")

    item = page.locator(f'#my-work .my-work-item[data-kind="visit"][data-pk="{visit.pk}"]')
    item.get_by_role("button", name="Record the visit").click()

    modal = page.locator("#modal")
    expect(modal).to_be_visible()
    expect(modal.locator("#modal-content form")).to_contain_text(
        f"Record a contact with {enrollment.client.display_name}"
    )
