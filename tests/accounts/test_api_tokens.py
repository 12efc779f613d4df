"""Expiring API tokens (accounts.api_tokens): minted on the account page by a session past
the second factor, shown once, refused once expired, revoked or their owner gone (403, as the
API answers any request it does not authenticate: the session comes first)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.api_tokens import token_mint
from accounts.models import ApiToken, User
from accounts.second_factor import second_factor_reset
from clients.departures import staff_depart
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT = "accounts:account"


def _mint(client: HttpClient, user: User, days: int = 30) -> str:
    client.force_login(user)
    response = client.post(reverse(ACCOUNT), {"name": "Monthly report", "days": days})
    return response.context["secret"]


def _bearer(secret: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def test_a_token_opens_the_api(client: HttpClient, alice: User) -> None:
    secret = _mint(client, alice)
    assert _bearer(secret).get(reverse("client-list")).status_code == 200


def test_only_the_tokens_hash_is_stored(client: HttpClient, alice: User) -> None:
    secret = _mint(client, alice)
    assert ApiToken.objects.get().key_sha256 == hashlib.sha256(secret.encode()).hexdigest()


def test_the_secret_is_shown_once(client: HttpClient, alice: User) -> None:
    secret = _mint(client, alice)
    assert secret not in client.get(reverse(ACCOUNT)).content.decode()


def test_a_password_alone_cannot_mint_a_token(alice: User) -> None:
    request = RequestFactory().post("/")
    request.user = alice
    request.session = {}  # type: ignore[assignment]  # a session that never passed the code
    with pytest.raises(PermissionDenied):
        token_mint(request=request, name="Script", days=30)


def test_the_account_page_waits_for_the_second_factor(client: HttpClient, alice: User) -> None:
    client.post(reverse("accounts:login"), {"username": alice.username, "password": PASSWORD})
    response = client.post(reverse(ACCOUNT), {"name": "Script", "days": 30})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_more_days_than_allowed_are_refused_on_the_form(client: HttpClient, alice: User) -> None:
    client.force_login(alice)
    response = client.post(reverse(ACCOUNT), {"name": "Script", "days": 91})
    assert response.status_code == 400
    assert "Between 1 and 90 days." in response.content.decode()


def test_an_expired_token_is_refused(client: HttpClient, alice: User) -> None:
    secret = _mint(client, alice, days=1)
    with time_machine.travel(dt.timedelta(days=1, seconds=1)):
        assert _bearer(secret).get(reverse("client-list")).status_code == 403


def test_a_revoked_token_is_refused(client: HttpClient, alice: User) -> None:
    secret = _mint(client, alice)
    client.post(reverse("accounts:api_token_revoke", args=[ApiToken.objects.get().pk]))
    assert _bearer(secret).get(reverse("client-list")).status_code == 403


def test_someone_else_cannot_revoke_a_token(client: HttpClient, alice: User, bob: User) -> None:
    secret = _mint(client, alice)
    client.force_login(bob)
    client.post(reverse("accounts:api_token_revoke", args=[ApiToken.objects.get().pk]))
    assert _bearer(secret).get(reverse("client-list")).status_code == 200


def test_a_made_up_token_is_refused(alice: User) -> None:
    assert _bearer("cw_not-a-token").get(reverse("client-list")).status_code == 403


def test_a_departure_revokes_the_leavers_tokens(
    client: HttpClient, ada: User, alice: User, bob: User
) -> None:
    secret = _mint(client, alice)
    staff_depart(actor=ada, user=alice, successor=bob)
    assert _bearer(secret).get(reverse("client-list")).status_code == 403


def test_a_second_factor_reset_revokes_the_tokens(
    client: HttpClient, ada: User, alice: User
) -> None:
    secret = _mint(client, alice)
    second_factor_reset(actor=ada, user=alice, reason="Phone lost")
    assert _bearer(secret).get(reverse("client-list")).status_code == 403


def test_a_token_writes_without_a_csrf_token(
    client: HttpClient, alice: User, enrollment: object
) -> None:
    secret = _mint(client, alice)
    client_id = enrollment.client_id  # type: ignore[attr-defined]  # the conftest's Enrollment
    api = _bearer(secret)
    api.enforce_csrf_checks = True
    response = api.patch(
        reverse("client-detail", args=[client_id]), {"preferred_name": "Jo"}, format="json"
    )
    assert response.status_code == 200
