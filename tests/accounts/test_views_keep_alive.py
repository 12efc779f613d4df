"""The idle warning's "Stay signed in" (accounts:keep_alive) and the seconds left that pages
report to its countdown (static/js/idle.js)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from accounts.middleware import IDLE_SECONDS_HEADER
from accounts.models import User

pytestmark = pytest.mark.django_db

BOISE = ZoneInfo("America/Boise")
LOGIN_AT = dt.datetime(2026, 3, 2, 8, tzinfo=BOISE)
KEEP_ALIVE = reverse("accounts:keep_alive")


@pytest.fixture
def logged_in(alice: User, client: HttpClient, time_machine: TimeMachineFixture) -> HttpClient:
    """alice logged in at LOGIN_AT (the clock stands still)."""
    time_machine.move_to(LOGIN_AT, tick=False)
    client.force_login(alice)
    return client


def test_it_pushes_the_idle_expiry_back(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LOGIN_AT + dt.timedelta(minutes=13, seconds=30), tick=False)
    logged_in.post(KEEP_ALIVE)
    session = Session.objects.get(session_key=logged_in.session.session_key)
    assert session.expire_date == LOGIN_AT + dt.timedelta(minutes=13 + 15, seconds=30)


def test_it_renews_even_within_a_minute_of_the_last_renewal(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LOGIN_AT + dt.timedelta(seconds=30), tick=False)
    logged_in.post(KEEP_ALIVE)
    session = Session.objects.get(session_key=logged_in.session.session_key)
    assert session.expire_date == LOGIN_AT + dt.timedelta(minutes=15, seconds=30)


def test_it_keeps_the_session_past_its_first_expiry(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LOGIN_AT + dt.timedelta(minutes=14), tick=False)
    logged_in.post(KEEP_ALIVE)
    time_machine.move_to(LOGIN_AT + dt.timedelta(minutes=20), tick=False)
    response = logged_in.get(reverse("workspace:caseload"))
    assert response.status_code == 200


def test_it_answers_the_seconds_left(logged_in: HttpClient) -> None:
    response = logged_in.post(KEEP_ALIVE)
    assert response.json() == {"seconds_left": 15 * 60}


def test_it_answers_401_once_the_session_has_ended(client: HttpClient) -> None:
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 401


def test_it_refuses_get(logged_in: HttpClient) -> None:
    response = logged_in.get(KEEP_ALIVE)
    assert response.status_code == 405


def test_a_page_reports_the_seconds_left_before_the_idle_logoff(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LOGIN_AT + dt.timedelta(seconds=40), tick=False)
    response = logged_in.get(reverse("workspace:caseload"))
    assert response[IDLE_SECONDS_HEADER] == str(15 * 60 - 40)


def test_a_page_renders_the_warning_with_its_timings_from_the_settings(
    logged_in: HttpClient, settings: Settings
) -> None:
    settings.SESSION_IDLE_WARNING_SECONDS = 45
    response = logged_in.get(reverse("workspace:caseload"))
    content = response.content.decode()
    assert 'role="alertdialog"' in content
    assert 'data-warning-seconds="45"' in content
    assert f'data-seconds-left="{15 * 60}"' in content
