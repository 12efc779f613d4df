"""A large export in a browser: a case manager asks for every contact of the staff log, more
rows than a request writes, and lands on the job's page; the job (run in process here; a real
worker in tests/exports/test_worker.py) is ready, its file downloads, and the page has no
serious accessibility violation and fits a phone's 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Enrollment
from tests import factories
from tests.e2e.conftest import login

SERIOUS = ("serious", "critical")


@pytest.fixture
def three_contacts(enrollment: Enrollment, settings, tmp_path) -> None:
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    for days in (1, 2, 3):
        factories.ContactFactory(
            enrollment=enrollment, occurred_at=timezone.now() - dt.timedelta(days=days)
        )


def test_a_large_export_becomes_a_job_whose_file_downloads(page: Page, three_contacts) -> None:
    login(page, "alice")
    page.goto("/reports/activity/")
    page.locator("#export-contacts-csv").click()
    page.wait_for_url("**/exports/*/")
    expect(page.locator("#export-status")).to_contain_text("Ready")
    with page.expect_download() as download:
        page.locator("#export-download").click()
    assert download.value.suggested_filename.startswith("staff-activity-contacts-")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in SERIOUS] == []
