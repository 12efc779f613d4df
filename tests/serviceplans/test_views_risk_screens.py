"""The readiness, risk and adherence screen: the form, its read-only page, and the at-risk
badge on the client page. (Another team's 404 on a screen's page is a row of
tests/test_url_matrix.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from serviceplans.models import RiskAlert, RiskScreen
from tests import factories

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _form(**overrides):
    data = {
        "screened_on": "2026-03-02",
        "mental_health_stage": "contemplation",
        "substance_use_stage": "",
        "medication_adherence": "good",
        "appointment_adherence": "partial",
        "notes": "Missed Tuesday's appointment.",
    }
    data.update(overrides)
    return data


def _record(client, enrollment, **overrides):
    return client.post(
        reverse("serviceplans:risk_screen_create", args=[enrollment.pk]), _form(**overrides)
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The form ---------------------------------------------------------------------------------


def test_it_shows_the_form_dated_today(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.get(reverse("serviceplans:risk_screen_create", args=[enrollment.pk]))
    assert response.status_code == 200
    assert response.context["form"]["screened_on"].value() == dt.date(2026, 3, 2)
    assert 'name="child_abuse_neglect"' in response.content.decode()


def test_it_records_a_negative_screen(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = _record(client, enrollment)
    assert response.url == reverse("workspace:client", args=[enrollment.client_id])
    screen = RiskScreen.objects.get()
    assert (screen.author, screen.positive, screen.appointment_adherence) == (
        alice,
        False,
        "partial",
    )
    assert _messages(response) == ["Risk screen recorded: no risk item positive."]
    assert not RiskAlert.objects.exists()


def test_it_says_the_supervisor_was_alerted_of_a_positive_screen(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = _record(client, enrollment, suicidal_ideation="on", crisis="on")
    assert _messages(response) == [
        "Risk screen recorded: at risk (Suicidal threats or ideation, Crisis). "
        "The team's supervisor has been alerted."
    ]
    alert = RiskAlert.objects.get()
    assert (alert.team, alert.raised_at) == (enrollment.team, FROZEN)


def test_it_refuses_a_future_date(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = _record(client, enrollment, screened_on="2026-03-03", crisis="on")
    assert response.status_code == 400
    assert response.context["form"].errors["screened_on"] == [
        "The screening date cannot be in the future."
    ]
    assert not RiskScreen.objects.exists()
    assert not RiskAlert.objects.exists()


def test_it_refuses_a_screen_without_a_date(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = _record(client, enrollment, screened_on="")
    assert response.status_code == 400
    assert "screened_on" in response.context["form"].errors
    assert not RiskScreen.objects.exists()


def test_it_refuses_an_unknown_stage_of_change(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = _record(client, enrollment, mental_health_stage="denial")
    assert response.status_code == 400
    assert "mental_health_stage" in response.context["form"].errors
    assert not RiskScreen.objects.exists()


def test_it_answers_403_to_a_teammate(client, bob, enrollment, frozen):
    client.force_login(bob)
    response = _record(client, enrollment, crisis="on")
    assert response.status_code == 403
    assert not RiskScreen.objects.exists()


def test_it_answers_404_to_another_team(client, charlie, enrollment, frozen):
    client.force_login(charlie)
    response = _record(client, enrollment, crisis="on")
    assert response.status_code == 404
    assert not RiskScreen.objects.exists()


@pytest.mark.parametrize("reader", ["ada", "quinn"])
def test_it_answers_403_to_administrators_and_qa_reviewers(
    client, request, enrollment, frozen, reader
):
    client.force_login(request.getfixturevalue(reader))
    response = _record(client, enrollment, crisis="on")
    assert response.status_code == 403
    assert not RiskScreen.objects.exists()


# --- The screen's page ------------------------------------------------------------------------


def test_it_shows_a_positive_screen_read_only(client, bob, enrollment):
    screen = factories.RiskScreenFactory(
        enrollment=enrollment, domestic_violence=True, positive=True, mental_health_stage="action"
    )
    RiskAlert.objects.create(risk_screen=screen, team=enrollment.team)
    client.force_login(bob)
    response = client.get(reverse("serviceplans:risk_screen_detail", args=[screen.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Domestic violence (current or history in the household)" in page
    assert "Supervisor alerted" in page
    assert "Action" in page
    assert "<form" not in page.split("</nav>", 1)[1]


def test_it_shows_a_negative_screen(client, alice, enrollment):
    screen = factories.RiskScreenFactory(enrollment=enrollment)
    client.force_login(alice)
    response = client.get(reverse("serviceplans:risk_screen_detail", args=[screen.pk]))
    assert response.status_code == 200
    assert response.context["alert"] is None
    assert "No risk item" in response.content.decode()


# --- The client page --------------------------------------------------------------------------


def _client_page(client, user, enrollment):
    client.force_login(user)
    return client.get(reverse("workspace:client", args=[enrollment.client_id]))


def test_it_marks_the_client_at_risk_naming_the_positive_items(client, bob, enrollment):
    factories.RiskScreenFactory(
        enrollment=enrollment, suicidal_ideation=True, aggressive_behaviour=True, positive=True
    )
    response = _client_page(client, bob, enrollment)
    assert response.context["assessments"].at_risk
    header = response.content.decode().split('id="client-header"', 1)[1].split("</h1>", 1)[1]
    header = header.split('class="row g-3"', 1)[0]
    assert "At risk" in header
    assert "Suicidal threats or ideation; Aggressive behaviour" in header


def test_it_marks_the_client_at_risk_from_any_of_their_enrollments(client, alice, enrollment):
    other = factories.EnrollmentFactory(client=enrollment.client, case_manager=alice)
    factories.RiskScreenFactory(enrollment=enrollment)
    factories.RiskScreenFactory(enrollment=other, crisis=True, positive=True)
    response = _client_page(client, alice, enrollment)
    assert response.context["assessments"].at_risk_items == ["Crisis"]


def test_it_clears_the_mark_after_a_later_negative_screen(client, alice, enrollment):
    factories.RiskScreenFactory(
        enrollment=enrollment, screened_on=dt.date(2026, 1, 5), crisis=True, positive=True
    )
    latest = factories.RiskScreenFactory(enrollment=enrollment, screened_on=dt.date(2026, 2, 5))
    response = _client_page(client, alice, enrollment)
    assert not response.context["assessments"].at_risk
    assert 'id="at-risk"' not in response.content.decode()
    (item,) = response.context["assessments"].enrollments
    assert item.latest_screen == latest


def test_it_does_not_mark_a_client_never_screened(client, alice, enrollment):
    response = _client_page(client, alice, enrollment)
    assert not response.context["assessments"].at_risk


def test_it_offers_a_writer_the_risk_screen_button(client, sam, enrollment):
    page = _client_page(client, sam, enrollment).content.decode()
    assert reverse("serviceplans:risk_screen_create", args=[enrollment.pk]) in page


def _queries(client, user, enrollment) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert response.status_code == 200
    return len(queries)


def test_it_uses_the_same_number_of_queries_at_1_and_10_assessments_and_screens(
    client, alice, enrollment
):
    def add(n):
        for day in range(n):
            factories.AssessmentFactory(enrollment=enrollment, completed=True)
            factories.RiskScreenFactory(
                enrollment=enrollment,
                screened_on=enrollment.application_date + dt.timedelta(days=day),
                crisis=True,
                positive=True,
            )

    add(1)
    at_one = _queries(client, alice, enrollment)
    add(9)
    assert _queries(client, alice, enrollment) == at_one


def _alerted_screen(enrollment):
    screen = factories.RiskScreenFactory(enrollment=enrollment, crisis=True, positive=True)
    RiskAlert.objects.create(risk_screen=screen, team_id=enrollment.team_id)
    return screen


def test_it_offers_the_teams_supervisor_the_note_on_an_unreviewed_alert(client, sam, enrollment):
    screen = _alerted_screen(enrollment)
    client.force_login(sam)
    page = client.get(reverse("serviceplans:risk_screen_detail", args=[screen.pk]))
    assert reverse("supervision:note_create") in page.content.decode()


@pytest.mark.parametrize("reader", ["alice", "ada", "quinn"])
def test_it_offers_the_note_to_no_one_else(request, client, enrollment, reader):
    screen = _alerted_screen(enrollment)
    client.force_login(request.getfixturevalue(reader))
    page = client.get(reverse("serviceplans:risk_screen_detail", args=[screen.pk]))
    assert page.status_code == 200
    assert reverse("supervision:note_create") not in page.content.decode()
