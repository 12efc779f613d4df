"""Session lifetime: 15 minutes idle (renewed by each request) and 12 hours at most."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.urls import reverse
from time_machine import TimeMachineFixture

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BOISE = ZoneInfo("America/Boise")
LOGIN_AT = dt.datetime(2026, 3, 2, 8, tzinfo=BOISE)


def is_redirect_to_login(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


@pytest.fixture
def logged_in(alice: User, client: HttpClient, time_machine: TimeMachineFixture) -> HttpClient:
    """alice logged in at LOGIN_AT, with one request made then (the clock stands still)."""
    time_machine.move_to(LOGIN_AT, tick=False)
    client.force_login(alice)
    assert not is_redirect_to_login(client.get(reverse("home")))
    return client


def get_home_at(
    client: HttpClient, time_machine: TimeMachineFixture, at: dt.datetime
) -> HttpResponse:
    time_machine.move_to(at, tick=False)
    return client.get(reverse("home"))


# --- Idle timeout -----------------------------------------------------------------------------


def test_it_stores_the_session_with_a_15_minute_expiry(logged_in: HttpClient) -> None:
    session = Session.objects.get(session_key=logged_in.session.session_key)
    assert session.expire_date == LOGIN_AT + dt.timedelta(minutes=15)


def test_it_keeps_a_session_used_within_14_minutes(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    response = get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(minutes=14))
    assert not is_redirect_to_login(response)


def test_it_renews_the_session_on_each_request(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(minutes=14))
    response = get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(minutes=28))
    assert not is_redirect_to_login(response)


def test_it_pushes_the_expiry_back_on_each_request(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(minutes=14))
    session = Session.objects.get(session_key=logged_in.session.session_key)
    assert session.expire_date == LOGIN_AT + dt.timedelta(minutes=14 + 15)


def test_it_does_not_write_the_session_again_within_a_minute(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(seconds=59))
    session = Session.objects.get(session_key=logged_in.session.session_key)
    assert session.expire_date == LOGIN_AT + dt.timedelta(minutes=15)


def test_it_ends_a_session_idle_for_15_minutes(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    response = get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(minutes=15))
    assert is_redirect_to_login(response)


def test_it_ends_a_session_idle_for_15_minutes_after_the_last_request(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(minutes=10))
    response = get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(minutes=25, seconds=1))
    assert is_redirect_to_login(response)


# --- Absolute timeout -------------------------------------------------------------------------


def keep_busy_until(
    client: HttpClient, time_machine: TimeMachineFixture, until: dt.timedelta
) -> list[bool]:
    """A request every 10 minutes from LOGIN_AT up to ``until``; which ones were turned away."""
    turned_away = []
    elapsed = dt.timedelta(minutes=10)
    while elapsed <= until:
        response = get_home_at(client, time_machine, LOGIN_AT + elapsed)
        turned_away.append(is_redirect_to_login(response))
        elapsed += dt.timedelta(minutes=10)
    return turned_away


def test_it_keeps_a_busy_session_for_almost_12_hours(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    turned_away = keep_busy_until(logged_in, time_machine, dt.timedelta(hours=11, minutes=50))
    assert not any(turned_away)


def test_it_ends_a_busy_session_after_12_hours(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    keep_busy_until(logged_in, time_machine, dt.timedelta(hours=11, minutes=50))
    response = get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(hours=12, minutes=1))
    assert is_redirect_to_login(response)


def test_it_deletes_the_session_at_the_absolute_timeout(
    logged_in: HttpClient, time_machine: TimeMachineFixture
) -> None:
    keep_busy_until(logged_in, time_machine, dt.timedelta(hours=11, minutes=50))
    session_key = logged_in.session.session_key
    get_home_at(logged_in, time_machine, LOGIN_AT + dt.timedelta(hours=12, minutes=1))
    assert not Session.objects.filter(session_key=session_key).exists()


def test_it_counts_the_12_hours_from_the_login_itself(
    alice: User, client: HttpClient, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LOGIN_AT, tick=False)
    client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    keep_busy_until(client, time_machine, dt.timedelta(hours=11, minutes=50))
    response = get_home_at(client, time_machine, LOGIN_AT + dt.timedelta(hours=12, minutes=1))
    assert is_redirect_to_login(response)
