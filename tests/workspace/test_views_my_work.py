"""/my-work/: the case managers' landing page, a supervisor's switch, marking a task done from
it, who may open it and its query count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from referrals.models import ReferralStatus
from supervision.models import FlagRule, FollowUpTask
from tests import factories
from tests.helpers import assert_list_queries_constant

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)
URL = "/my-work/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def task(enrollment):
    note = factories.SupervisionNoteFactory(enrollment=enrollment, acknowledged_on=TODAY)
    return factories.FollowUpTaskFactory(note=note, due_on=TODAY)


def _get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_its_url_is_my_work():
    assert reverse("workspace:my_work") == URL


def test_it_shows_a_case_manager_their_items(client, alice, task):
    response = _get(client, alice)
    assert response.status_code == 200
    assert [item.pk for item in response.context["items"]] == [task.pk]
    assert b'data-kind="task"' in response.content


def test_it_links_the_item_to_its_client(client, alice, task, client_record):
    response = _get(client, alice)
    assert f'href="/clients/{client_record.pk}/"'.encode() in response.content
    assert client_record.record_number.encode() in response.content


def test_it_says_when_nothing_is_due(client, alice):
    response = _get(client, alice)
    assert b'id="my-work-empty"' in response.content


def test_a_task_is_marked_done_from_the_page(client, alice, task):
    response = _get(client, alice)
    assert f'action="/follow-up-tasks/{task.pk}/done/"'.encode() in response.content
    done = client.post(f"/follow-up-tasks/{task.pk}/done/", {"next": URL})
    assert done.status_code == 302
    assert done["Location"] == URL
    assert FollowUpTask.objects.get(pk=task.pk).done_on == TODAY


def test_marking_done_ignores_a_next_page_elsewhere(client, alice, task):
    client.force_login(alice)
    done = client.post(f"/follow-up-tasks/{task.pk}/done/", {"next": "https://evil.example/"})
    assert done["Location"] == f"/notes/{task.note_id}/"


def test_a_task_done_leaves_the_page(client, alice, task):
    client.force_login(alice)
    client.post(f"/follow-up-tasks/{task.pk}/done/", {"next": URL})
    assert client.get(URL).context["items"] == []


def test_a_supervisor_sees_their_own_work_by_default(client, sam, task):
    response = _get(client, sam)
    assert response.status_code == 200
    assert response.context["owner"] == sam
    assert response.context["items"] == []


def test_a_supervisor_switches_to_a_case_manager_of_their_team(client, sam, alice, task):
    response = _get(client, sam, case_manager=alice.pk)
    assert response.context["owner"] == alice
    assert [item.pk for item in response.context["items"]] == [task.pk]


def test_a_supervisors_switch_offers_the_case_managers_of_their_teams(client, sam, alice, bob):
    response = _get(client, sam)
    assert set(response.context["choices"]) == {alice, bob}


def test_a_supervisor_cannot_switch_to_another_teams_case_manager(client, sam, charlie):
    assert _get(client, sam, case_manager=charlie.pk).status_code == 404


def test_a_case_manager_cannot_open_a_teammates_work(client, alice, bob):
    assert _get(client, alice, case_manager=bob.pk).status_code == 404


def test_a_case_manager_asking_for_their_own_work_gets_it(client, alice):
    assert _get(client, alice, case_manager=alice.pk).status_code == 200


def test_a_case_manager_pick_that_is_not_a_number_shows_their_own(client, alice):
    assert _get(client, alice, case_manager="x").context["owner"] == alice


def test_an_administrator_is_refused(client, ada):
    assert _get(client, ada).status_code == 403


def test_a_qa_reviewer_is_refused(client, quinn):
    assert _get(client, quinn).status_code == 403


def test_the_navigation_links_my_work_for_a_case_manager(client, alice):
    assert b'id="nav-my-work"' in _get(client, alice).content


def test_the_navigation_links_my_work_for_a_supervisor(client, sam):
    assert b'id="nav-my-work"' in _get(client, sam).content


def test_the_navigation_has_no_my_work_for_an_administrator(client, ada):
    client.force_login(ada)
    assert b'id="nav-my-work"' not in client.get(reverse("workspace:caseload")).content


# --- Landing ----------------------------------------------------------------------------------


def test_a_case_manager_lands_on_my_work(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert (response.status_code, response["Location"]) == (302, URL)


def test_a_supervisor_lands_on_the_dashboard(client, sam):
    client.force_login(sam)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("workspace:dashboard")


def test_an_administrator_lands_on_the_caseload(client, ada):
    client.force_login(ada)
    response = client.get(reverse("home"))
    assert response.templates[0].name == "workspace/caseload.html"


# --- Query count ------------------------------------------------------------------------------


def _record(alice):
    def record(n: int) -> None:
        # Each round: one item of every kind (an overdue assessment, a plan review, a referral
        # follow-up, a task, a note, a consent, a flag and a planned visit): eight items.
        for _ in range(n // 5):
            enrollment = factories.EnrollmentFactory(
                case_manager=alice, application_date=TODAY - dt.timedelta(days=40)
            )
            factories.ServicePlanFactory(
                enrollment=enrollment, active=True, start_date=TODAY - dt.timedelta(days=200)
            )
            consent = factories.ConsentFactory(
                client=enrollment.client,
                signed_on=TODAY - dt.timedelta(days=300),
                expires_on=TODAY + dt.timedelta(days=3),
            )
            factories.ReferralFactory(
                enrollment=enrollment,
                status=ReferralStatus.SENT,
                follow_up_due_on=TODAY,
                consent=consent,
            )
            note = factories.SupervisionNoteFactory(enrollment=enrollment)
            factories.FollowUpTaskFactory(note=note, due_on=TODAY)
            factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
            factories.PlannedVisitFactory(enrollment=enrollment)

    return record


def test_its_query_count_does_not_grow_with_the_items(client, alice):
    client.force_login(alice)
    assert_list_queries_constant(
        client, URL, _record(alice), rows_of=lambda r: len(r.context["items"]) * 5 // 8
    )
