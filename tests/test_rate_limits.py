"""Rate limits (issue 13): the API per user (casemgmt.throttling.StaffRateThrottle) and client
searches per user (clients.views.searches), counted in the cache."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient
from django.test.utils import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from casemgmt.ratelimit import within_rate

pytestmark = pytest.mark.django_db

DIRECTORY = "clients:client_list"


@override_settings(API_RATE_LIMIT="3/minute")
def test_the_api_answers_429_past_the_users_limit(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    answers = [api.get(reverse("client-list")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


@override_settings(API_RATE_LIMIT="1/minute")
def test_the_api_counts_each_user_apart(api: APIClient, alice: User, bob: User) -> None:
    api.force_login(alice)
    api.get(reverse("client-list"))
    api.force_login(bob)
    assert api.get(reverse("client-list")).status_code == 200


@override_settings(SEARCH_RATE_LIMIT_PER_MINUTE=2)
def test_a_search_past_the_limit_answers_429(client: HttpClient, alice: User) -> None:
    client.force_login(alice)
    answers = [client.get(reverse(DIRECTORY), {"q": "smith"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


@override_settings(SEARCH_RATE_LIMIT_PER_MINUTE=2)
def test_the_refusal_says_to_wait(client: HttpClient, alice: User) -> None:
    client.force_login(alice)
    for _ in range(3):
        response = client.get(reverse(DIRECTORY), {"q": "smith"})
    assert "Too many searches in a minute" in response.content.decode()
    assert response["Retry-After"] == "60"


@override_settings(SEARCH_RATE_LIMIT_PER_MINUTE=1)
def test_opening_the_directory_is_not_a_search(client: HttpClient, alice: User) -> None:
    client.force_login(alice)
    assert [client.get(reverse(DIRECTORY)).status_code for _ in range(3)] == [200, 200, 200]


@override_settings(SEARCH_RATE_LIMIT_PER_MINUTE=1)
def test_a_registrations_duplicate_search_counts_too(client: HttpClient, alice: User) -> None:
    client.force_login(alice)
    client.get(reverse(DIRECTORY), {"q": "smith"})
    search = {"first_name": "Jon", "last_name": "Smyth", "date_of_birth": "1985-03-14"}
    assert client.get(reverse("clients:register"), search).status_code == 429


def test_the_count_starts_again_in_the_next_minute() -> None:
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, 1, tzinfo=dt.UTC), tick=False) as t:
        assert within_rate("k", limit=1)
        assert not within_rate("k", limit=1)
        t.shift(dt.timedelta(seconds=60))
        assert within_rate("k", limit=1)
