"""/api/v1/risk-screens/: recording a screen, the supervisor's alert, scope, no edits. (Another
team's 404 on a screen is a row of tests/test_url_matrix.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Enrollment
from serviceplans.models import RiskAlert, RiskScreen, StageOfChange
from tests import factories
from tests.helpers import listed_ids

pytestmark = pytest.mark.django_db

LIST_URL = reverse("risk-screen-list")


def detail_url(screen: RiskScreen) -> str:
    return reverse("risk-screen-detail", args=[screen.pk])


def answers(*, enrollment: Enrollment, **overrides: object) -> dict[str, object]:
    return {
        "enrollment": enrollment.pk,
        "screened_on": timezone.localdate().isoformat(),
        "mental_health_stage": StageOfChange.CONTEMPLATION,
        "substance_use_stage": StageOfChange.PRECONTEMPLATION,
        "medication_adherence": "partial",
        "appointment_adherence": "good",
        "notes": "Screened at the home visit.",
        **overrides,
    }


@pytest.fixture
def screen(enrollment: Enrollment) -> RiskScreen:
    return factories.RiskScreenFactory(enrollment=enrollment)


# --- List and retrieve ------------------------------------------------------------------------


def test_it_lists_the_screens_of_the_own_team(
    api: APIClient, bob: User, screen: RiskScreen
) -> None:
    api.force_login(bob)
    response = api.get(LIST_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {screen.pk}


def test_it_hides_another_teams_screens(
    api: APIClient, charlie: User, screen: RiskScreen, other_enrollment: Enrollment
) -> None:
    theirs = factories.RiskScreenFactory(enrollment=other_enrollment)
    api.force_login(charlie)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {theirs.pk}


def test_it_lists_every_screen_for_a_qa_reviewer(
    api: APIClient, quinn: User, screen: RiskScreen, other_enrollment: Enrollment
) -> None:
    theirs = factories.RiskScreenFactory(enrollment=other_enrollment)
    api.force_login(quinn)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {screen.pk, theirs.pk}


def test_it_filters_screens_by_enrollment(api: APIClient, alice: User, screen: RiskScreen) -> None:
    elsewhere = factories.RiskScreenFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice)
    )
    api.force_login(alice)
    response = api.get(LIST_URL, {"enrollment": elsewhere.enrollment_id})
    assert listed_ids(response) == {elsewhere.pk}


def test_it_filters_the_positive_screens(
    api: APIClient, alice: User, enrollment: Enrollment, screen: RiskScreen
) -> None:
    positive = factories.RiskScreenFactory(enrollment=enrollment, crisis=True, positive=True)
    api.force_login(alice)
    response = api.get(LIST_URL, {"positive": "true"})
    assert listed_ids(response) == {positive.pk}


def test_it_lists_screens_in_a_constant_number_of_queries(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    api.get(LIST_URL)  # the session's first request stamps the login time

    def queries_for_list(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(LIST_URL)
        assert response.json()["count"] == expected_rows
        return len(queries.captured_queries)

    def record(count: int) -> None:
        for screen in factories.RiskScreenFactory.create_batch(
            count, enrollment=enrollment, crisis=True, positive=True
        ):
            RiskAlert.objects.create(risk_screen=screen, team=enrollment.team)

    record(5)
    at_five = queries_for_list(5)
    record(45)
    assert queries_for_list(50) == at_five


def test_it_retrieves_a_screen(api: APIClient, alice: User, screen: RiskScreen) -> None:
    api.force_login(alice)
    response = api.get(detail_url(screen))
    assert response.status_code == 200
    assert (response.json()["positive"], response.json()["alert_raised"]) == (False, False)


def test_it_logs_a_denied_row_for_another_teams_screen(
    api: APIClient, charlie: User, screen: RiskScreen
) -> None:
    api.force_login(charlie)
    api.get(detail_url(screen))
    assert AccessLog.objects.filter(
        user=charlie, action=AccessLog.Action.DENIED, path=detail_url(screen)
    ).exists()


# --- Record -----------------------------------------------------------------------------------


def test_it_records_a_screen(api: APIClient, alice: User, enrollment: Enrollment) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, answers(enrollment=enrollment), format="json")
    assert response.status_code == 201
    screen = RiskScreen.objects.get(pk=response.json()["id"])
    assert (screen.author, screen.mental_health_stage) == (alice, StageOfChange.CONTEMPLATION)


def test_it_raises_no_alert_for_a_negative_screen(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, answers(enrollment=enrollment), format="json")
    assert (response.json()["positive"], response.json()["alert_raised"]) == (False, False)
    assert not RiskAlert.objects.exists()


def test_it_answers_a_positive_screen_with_its_alert(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL, answers(enrollment=enrollment, suicidal_ideation=True), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["positive"], body["alert_raised"]) == (True, True)
    assert body["positive_items"] == ["Suicidal threats or ideation"]


def test_it_raises_an_alert_for_the_team_on_a_positive_screen(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL, answers(enrollment=enrollment, domestic_violence=True), format="json"
    )
    alert = RiskAlert.objects.get()
    assert (alert.risk_screen_id, alert.team_id) == (response.json()["id"], enrollment.team_id)


def test_it_rejects_a_screen_in_the_future(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = api.post(
        LIST_URL, answers(enrollment=enrollment, screened_on=tomorrow.isoformat()), format="json"
    )
    assert response.status_code == 400
    assert "screened_on" in response.json()
    assert not RiskScreen.objects.exists()


def test_it_rejects_an_unknown_stage_of_change(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL, answers(enrollment=enrollment, mental_health_stage="denial"), format="json"
    )
    assert response.status_code == 400
    assert "mental_health_stage" in response.json()
    assert not RiskScreen.objects.exists()


def test_it_rejects_a_screen_for_another_teams_client(
    api: APIClient, alice: User, other_enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, answers(enrollment=other_enrollment), format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert not RiskScreen.objects.exists()


def test_it_forbids_a_teammate_recording_a_screen(
    api: APIClient, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(bob)
    response = api.post(LIST_URL, answers(enrollment=enrollment), format="json")
    assert response.status_code == 403
    assert not RiskScreen.objects.exists()


def test_it_forbids_an_administrator_recording_a_screen(
    api: APIClient, ada: User, enrollment: Enrollment
) -> None:
    api.force_login(ada)
    response = api.post(LIST_URL, answers(enrollment=enrollment), format="json")
    assert response.status_code == 403
    assert not RiskScreen.objects.exists()


def test_it_lets_the_supervisor_record_a_screen(
    api: APIClient, sam: User, enrollment: Enrollment
) -> None:
    api.force_login(sam)
    response = api.post(LIST_URL, answers(enrollment=enrollment, crisis=True), format="json")
    assert response.status_code == 201


# --- Never edited or deleted ------------------------------------------------------------------


def test_it_does_not_edit_a_screen(api: APIClient, alice: User, screen: RiskScreen) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(screen), {"crisis": True}, format="json")
    assert response.status_code == 405
    screen.refresh_from_db()
    assert not screen.crisis


def test_it_does_not_replace_a_screen(api: APIClient, alice: User, screen: RiskScreen) -> None:
    api.force_login(alice)
    response = api.put(detail_url(screen), answers(enrollment=screen.enrollment), format="json")
    assert response.status_code == 405


def test_it_does_not_delete_a_screen(api: APIClient, alice: User, screen: RiskScreen) -> None:
    api.force_login(alice)
    response = api.delete(detail_url(screen))
    assert response.status_code == 405
    assert RiskScreen.objects.filter(pk=screen.pk).exists()


# --- Schema -----------------------------------------------------------------------------------


def test_it_publishes_screens_in_the_schema_without_edits(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert set(paths["/api/v1/risk-screens/"]) == {"get", "post"}
    assert set(paths["/api/v1/risk-screens/{id}/"]) == {"get"}
