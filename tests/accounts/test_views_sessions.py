"""Logging in and out: Argon2, length-only passwords, lockout per (username, IP), logout."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.urls import reverse
from time_machine import TimeMachineFixture

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BOISE = ZoneInfo("America/Boise")
NOW = dt.datetime(2026, 3, 1, 9, tzinfo=BOISE)
IP = "10.0.0.7"
OTHER_IP = "10.0.0.8"


def log_in(client: HttpClient, username: str, password: str, ip: str = IP) -> HttpResponse:
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def fail(client: HttpClient, username: str, times: int, ip: str = IP) -> None:
    for _ in range(times):
        log_in(client, username, "not the right password", ip)


def is_logged_in(client: HttpClient) -> bool:
    return SESSION_KEY in client.session


def is_redirect_to_login(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


# --- Passwords --------------------------------------------------------------------------------


def test_it_hashes_passwords_with_argon2(alice: User) -> None:
    assert alice.password.startswith("argon2")


def test_it_rehashes_an_older_hash_with_argon2_on_login(alice: User, client: HttpClient) -> None:
    alice.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    alice.save(update_fields=["password"])
    log_in(client, "alice", PASSWORD)
    alice.refresh_from_db()
    assert alice.password.startswith("argon2")


def test_it_refuses_an_11_character_password(alice: User) -> None:
    with pytest.raises(ValidationError):
        validate_password("riverlanter", user=alice)


def test_it_accepts_a_12_character_lowercase_password(alice: User) -> None:
    validate_password("riverlantern", user=alice)


# --- Logging in -------------------------------------------------------------------------------


def test_it_logs_in_with_the_right_password(alice: User, client: HttpClient) -> None:
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert is_logged_in(client)


def test_it_does_not_log_in_with_a_wrong_password(alice: User, client: HttpClient) -> None:
    response = log_in(client, "alice", "not the right password")
    assert response.status_code == 200
    assert not is_logged_in(client)


def test_it_still_logs_in_after_9_failures(alice: User, client: HttpClient) -> None:
    fail(client, "alice", 9)
    log_in(client, "alice", PASSWORD)
    assert is_logged_in(client)


def test_it_locks_the_username_and_ip_after_10_failures(alice: User, client: HttpClient) -> None:
    fail(client, "alice", 10)
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_it_forgets_earlier_failures_after_a_successful_login(
    alice: User, client: HttpClient
) -> None:
    fail(client, "alice", 9)
    log_in(client, "alice", PASSWORD)
    client.post(reverse("accounts:logout"))
    fail(client, "alice", 9)
    log_in(client, "alice", PASSWORD)
    assert is_logged_in(client)


def test_it_does_not_lock_the_same_username_from_another_ip(
    alice: User, client: HttpClient
) -> None:
    fail(client, "alice", 10)
    log_in(client, "alice", PASSWORD, ip=OTHER_IP)
    assert is_logged_in(client)


def test_it_does_not_lock_another_username_from_the_same_ip(
    alice: User, bob: User, client: HttpClient
) -> None:
    fail(client, "alice", 10)
    log_in(client, "bob", PASSWORD)
    assert is_logged_in(client)


def test_it_lifts_the_lock_after_30_minutes(
    alice: User, client: HttpClient, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    fail(client, "alice", 10)
    time_machine.move_to(NOW + dt.timedelta(minutes=30, seconds=1), tick=False)
    log_in(client, "alice", PASSWORD)
    assert is_logged_in(client)


def test_it_keeps_the_lock_until_30_minutes_have_passed(
    alice: User, client: HttpClient, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    fail(client, "alice", 10)
    time_machine.move_to(NOW + dt.timedelta(minutes=29), tick=False)
    log_in(client, "alice", PASSWORD)
    assert not is_logged_in(client)


# --- Logging out ------------------------------------------------------------------------------


def test_it_deletes_the_session_on_logout(alice: User, client: HttpClient) -> None:
    client.force_login(alice)
    session_key = client.session.session_key
    client.post(reverse("accounts:logout"))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert not store().exists(session_key)


def test_it_sends_the_next_request_after_logout_to_login(alice: User, client: HttpClient) -> None:
    client.force_login(alice)
    client.post(reverse("accounts:logout"))
    assert is_redirect_to_login(client.get(reverse("home")))


def test_it_refuses_the_old_session_cookie_after_logout(alice: User, client: HttpClient) -> None:
    client.force_login(alice)
    old_session_key = client.session.session_key
    client.post(reverse("accounts:logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = old_session_key
    assert is_redirect_to_login(client.get(reverse("home")))


def test_it_only_logs_out_on_post(alice: User, client: HttpClient) -> None:
    client.force_login(alice)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert is_logged_in(client)
