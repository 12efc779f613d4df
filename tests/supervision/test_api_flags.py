"""/api/v1/flags/: compliance flags, read-only, scoped like the client records, each with its
explanation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Enrollment
from supervision.models import Flag, FlagRule
from tests import factories
from tests.helpers import listed_ids

pytestmark = pytest.mark.django_db

FLAGS_URL = reverse("flag-list")
FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)


def flag_url(flag: Flag) -> str:
    return reverse("flag-detail", args=[flag.pk])


@pytest.fixture
def flag(enrollment: Enrollment) -> Flag:
    return factories.FlagFactory(enrollment=enrollment)


def _resolved(enrollment: Enrollment, rule: str = FlagRule.MONITORING_GAP) -> Flag:
    return factories.FlagFactory(
        enrollment=enrollment,
        rule=rule,
        resolved_on=dt.date(2026, 3, 1),
        resolved_at=dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC),
        resolution="Contact made.",
    )


def test_it_lists_the_flags_of_the_users_teams(
    api: APIClient, bob: User, flag: Flag, other_enrollment: Enrollment
) -> None:
    factories.FlagFactory(enrollment=other_enrollment)
    api.force_login(bob)
    assert listed_ids(api.get(FLAGS_URL)) == {flag.pk}


@pytest.mark.parametrize("role", ["ada", "quinn"])
def test_it_lists_every_flag_for_administrators_and_qa(
    api: APIClient, request: pytest.FixtureRequest, role: str, flag: Flag, other_enrollment
) -> None:
    other = factories.FlagFactory(enrollment=other_enrollment)
    api.force_login(request.getfixturevalue(role))
    assert listed_ids(api.get(FLAGS_URL)) == {flag.pk, other.pk}


def test_it_explains_each_flag(api: APIClient, alice: User, enrollment: Enrollment) -> None:
    with time_machine.travel(FROZEN, tick=False):
        flag = factories.FlagFactory(enrollment=enrollment, due_on=TODAY - dt.timedelta(days=6))
        api.force_login(alice)
        body = api.get(flag_url(flag)).json()
    assert body["rule"] == "initial_assessment_overdue"
    assert body["client"] == enrollment.client_id
    assert body["is_open"] is True
    assert body["explanation"] == {
        "rule": "Initial comprehensive assessment overdue",
        "standard": "Idaho CMH clinical case management standard 7: a comprehensive assessment "
        "completed within 30 days of application for services",
        "due_on": "2026-02-24",
        "days_overdue": 6,
        "satisfied_by": "Complete the comprehensive assessment.",
    }


def test_it_filters_open_flags(api: APIClient, alice: User, flag: Flag, enrollment) -> None:
    _resolved(enrollment)
    api.force_login(alice)
    assert listed_ids(api.get(FLAGS_URL, {"open": "true"})) == {flag.pk}


def test_it_filters_resolved_flags(api: APIClient, alice: User, flag: Flag, enrollment) -> None:
    resolved = _resolved(enrollment)
    api.force_login(alice)
    assert listed_ids(api.get(FLAGS_URL, {"open": "false"})) == {resolved.pk}


def test_it_filters_by_rule(api: APIClient, alice: User, flag: Flag, enrollment) -> None:
    gap = factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    api.force_login(alice)
    assert listed_ids(api.get(FLAGS_URL, {"rule": "monitoring_gap"})) == {gap.pk}


def test_it_filters_by_enrollment(api: APIClient, alice: User, flag: Flag) -> None:
    factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    api.force_login(alice)
    assert listed_ids(api.get(FLAGS_URL, {"enrollment": flag.enrollment_id})) == {flag.pk}


def test_it_answers_400_for_an_unknown_rule(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.get(FLAGS_URL, {"rule": "no_such_rule"})
    assert response.status_code == 400
    assert "rule" in response.json()


def test_it_logs_a_denied_row_for_another_teams_flag(
    api: APIClient, charlie: User, flag: Flag
) -> None:
    api.force_login(charlie)
    api.get(flag_url(flag))
    assert AccessLog.objects.filter(
        user=charlie, client=flag.enrollment.client, action=AccessLog.Action.DENIED
    ).exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_is_read_only(api: APIClient, sam: User, flag: Flag, method: str) -> None:
    api.force_login(sam)
    url = FLAGS_URL if method == "post" else flag_url(flag)
    assert getattr(api, method)(url, {}, format="json").status_code == 405


def test_it_uses_the_same_number_of_queries_for_5_and_50_flags(api: APIClient, sam: User) -> None:
    api.force_login(sam)
    api.get(FLAGS_URL)  # the session's first request stamps the login time

    def queries_for_list(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(FLAGS_URL)
        assert response.json()["count"] == expected_rows
        return len(queries.captured_queries)

    def record(count: int) -> None:
        for _ in range(count):
            factories.FlagFactory(
                enrollment=factories.EnrollmentFactory(
                    case_manager=factories.CaseManagerFactory(team=sam.team)
                )
            )

    record(5)
    at_five = queries_for_list(5)
    record(45)
    assert queries_for_list(50) == at_five
