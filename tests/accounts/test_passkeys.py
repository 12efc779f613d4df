"""Passkeys as the second factor (accounts.passkeys): the gate (authentication open after the
password, registration only after the second factor), registering from the account page,
logging in with one, the lockout, the remembered device, listing, removal and the
administrator's reset. A software authenticator stands in for the browser
(tests/accounts/soft_authenticator.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from fido2.utils import websafe_encode
from pytest_django import DjangoAssertNumQueries

from accounts.models import Passkey, User
from accounts.passkeys import REGISTRATION_STATE, passkey_registration_begin
from tests.accounts.soft_authenticator import SoftAuthenticator
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CASELOAD = "workspace:caseload"
VERIFY = "accounts:second_factor"
ACCOUNT = "accounts:account"
REGISTER_BEGIN = "accounts:passkey_registration_begin"
REGISTER_COMPLETE = "accounts:passkey_registration_complete"
LOGIN_BEGIN = "accounts:passkey_authentication_begin"
LOGIN_COMPLETE = "accounts:passkey_authentication_complete"
NOW = dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def soft() -> SoftAuthenticator:
    return SoftAuthenticator()


@pytest.fixture
def passkey(alice: User, authenticator: TOTPDevice, soft: SoftAuthenticator) -> Passkey:
    """alice's passkey on the software authenticator, registered earlier."""
    return Passkey.objects.create(
        user=alice,
        name="Work laptop",
        credential_id=soft.credential_id,
        credential_data=bytes(soft.credential_data),
    )


def _password(client: HttpClient, user: User) -> HttpResponse:
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def _post_json(client: HttpClient, url: str, body: dict[str, Any] | None = None) -> HttpResponse:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _register(
    client: HttpClient, soft: SoftAuthenticator, name: str = "Work laptop"
) -> HttpResponse:
    options = _post_json(client, reverse(REGISTER_BEGIN)).json()
    return _post_json(
        client, reverse(REGISTER_COMPLETE), {"credential": soft.create(options), "name": name}
    )


def _log_in_with(
    client: HttpClient, soft: SoftAuthenticator, *, url: str = reverse(LOGIN_COMPLETE), **extra: Any
) -> HttpResponse:
    options = _post_json(client, reverse(LOGIN_BEGIN)).json()
    return _post_json(client, url, {"credential": soft.get(options), **extra})


# --- The gate ---------------------------------------------------------------------------------


def test_a_password_alone_may_start_a_passkey_login(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    response = _post_json(client, reverse(LOGIN_BEGIN))
    assert response.status_code == 200
    allowed = response.json()["publicKey"]["allowCredentials"]
    assert [credential["id"] for credential in allowed] == [websafe_encode(soft.credential_id)]


def test_a_password_alone_may_not_start_registering_a_passkey(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    response = _post_json(client, reverse(REGISTER_BEGIN))
    assert response["Location"].startswith(reverse(VERIFY))
    assert REGISTRATION_STATE not in client.session


def test_a_password_alone_may_not_complete_registering_a_passkey(
    client: HttpClient, alice: User, authenticator: TOTPDevice, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    options = {"publicKey": {"challenge": "AAAAAAAAAAAAAAAAAAAAAA"}}
    response = _post_json(client, reverse(REGISTER_COMPLETE), {"credential": soft.create(options)})
    assert response["Location"].startswith(reverse(VERIFY))
    assert not Passkey.objects.exists()


def test_registering_refuses_an_unverified_session_behind_the_gate_too(alice: User) -> None:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    with pytest.raises(PermissionDenied):
        passkey_registration_begin(request=request, user=alice)


# --- Registering ------------------------------------------------------------------------------


def test_a_verified_person_registers_a_passkey(
    client: HttpClient, alice: User, soft: SoftAuthenticator
) -> None:
    client.force_login(alice)
    response = _register(client, soft, name="Work laptop")
    assert response.status_code == 201
    assert Passkey.objects.get(user=alice).name == "Work laptop"


def test_a_registration_answers_its_own_challenge_only(
    client: HttpClient, alice: User, soft: SoftAuthenticator
) -> None:
    client.force_login(alice)
    _post_json(client, reverse(REGISTER_BEGIN))
    options = {"publicKey": {"challenge": "AAAAAAAAAAAAAAAAAAAAAA"}}
    response = _post_json(client, reverse(REGISTER_COMPLETE), {"credential": soft.create(options)})
    assert response.status_code == 400
    assert not Passkey.objects.exists()


def test_a_passkey_is_not_registered_twice(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    client.force_login(alice)
    assert _register(client, soft).status_code == 400
    assert Passkey.objects.count() == 1


# --- Logging in with a passkey ----------------------------------------------------------------


def test_a_passkey_opens_the_pages(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    response = _log_in_with(client, soft, url=f"{reverse(LOGIN_COMPLETE)}?next={reverse(ACCOUNT)}")
    assert response.json() == {"redirect": reverse(ACCOUNT)}
    assert client.get(reverse(CASELOAD)).status_code == 200


def test_the_session_remembers_the_verifying_passkey(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    _log_in_with(client, soft)
    assert client.session[DEVICE_ID_SESSION_KEY] == passkey.persistent_id


def test_a_passkey_records_its_use(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    _log_in_with(client, soft)
    passkey.refresh_from_db()
    assert (passkey.sign_count, passkey.last_used_at) == (1, NOW)


def test_an_answer_is_not_accepted_twice(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    options = _post_json(client, reverse(LOGIN_BEGIN)).json()
    answer = {"credential": soft.get(options)}
    _post_json(client, reverse(LOGIN_COMPLETE), answer)
    other = HttpClient()
    _password(other, alice)
    _post_json(other, reverse(LOGIN_BEGIN))
    assert _post_json(other, reverse(LOGIN_COMPLETE), answer).status_code == 400


def test_someone_elses_passkey_is_refused(
    client: HttpClient, alice: User, bob: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    TOTPDevice.objects.create(user=bob, name="Authenticator app", confirmed=True)
    _password(client, bob)
    response = _post_json(client, reverse(LOGIN_BEGIN))
    assert response.status_code == 400  # bob has no passkey of his own
    options = {"publicKey": {"challenge": "AAAAAAAAAAAAAAAAAAAAAA"}}
    assert (
        _post_json(client, reverse(LOGIN_COMPLETE), {"credential": soft.get(options)}).status_code
        == 400
    )
    assert client.get(reverse(CASELOAD))["Location"].startswith(reverse(VERIFY))


def test_a_counter_that_goes_back_refuses_the_passkey(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    Passkey.objects.filter(pk=passkey.pk).update(sign_count=10)  # a clone's counter lags
    _password(client, alice)
    assert _log_in_with(client, soft).status_code == 400
    assert client.get(reverse(CASELOAD))["Location"].startswith(reverse(VERIFY))


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failed_passkeys_count_toward_the_lockout(
    client: HttpClient, alice: User, passkey: Passkey
) -> None:
    _password(client, alice)
    for _ in range(3):
        _post_json(client, reverse(LOGIN_BEGIN))
        response = _post_json(client, reverse(LOGIN_COMPLETE), {"credential": {}})
    assert response.status_code == 429
    assert "Too many failed log-ins" in client.get(reverse(VERIFY)).content.decode()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_wrong_code_and_a_failed_passkey_add_up(
    client: HttpClient, alice: User, passkey: Passkey
) -> None:
    _password(client, alice)
    client.post(reverse(VERIFY), {"code": "not-a-code"})
    _post_json(client, reverse(LOGIN_BEGIN))
    assert _post_json(client, reverse(LOGIN_COMPLETE), {"credential": {}}).status_code == 429


def test_a_remembered_passkey_skips_the_second_factor(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    _log_in_with(client, soft, remember=True)
    client.post(reverse("accounts:logout"))
    _password(client, alice)
    assert client.get(reverse(CASELOAD)).status_code == 200


def test_a_passkey_is_not_remembered_unless_asked(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    _log_in_with(client, soft)
    client.post(reverse("accounts:logout"))
    _password(client, alice)
    assert client.get(reverse(CASELOAD))["Location"].startswith(reverse(VERIFY))


def test_the_code_page_offers_a_passkey_to_who_has_one(
    client: HttpClient, alice: User, passkey: Passkey
) -> None:
    _password(client, alice)
    assert "Use a passkey" in client.get(reverse(VERIFY)).content.decode()


def test_the_code_page_offers_no_passkey_to_who_has_none(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    assert "Use a passkey" not in client.get(reverse(VERIFY)).content.decode()


# --- The account page -------------------------------------------------------------------------


def test_the_account_page_lists_the_persons_passkeys(
    client: HttpClient, alice: User, bob: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    Passkey.objects.create(
        user=bob, name="Bob's phone", credential_id=b"bob", credential_data=b"bob"
    )
    client.force_login(alice)
    page = client.get(reverse(ACCOUNT)).content.decode()
    assert "Work laptop" in page
    assert "Bob&#x27;s phone" not in page


def test_the_account_page_costs_the_same_whatever_the_number_of_passkeys(
    client: HttpClient,
    alice: User,
    passkey: Passkey,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(alice)
    client.get(reverse(ACCOUNT))
    with CaptureQueriesContext(connection) as with_one:
        client.get(reverse(ACCOUNT))
    Passkey.objects.create(user=alice, name="Phone", credential_id=b"2", credential_data=b"2")
    with django_assert_num_queries(len(with_one)):
        client.get(reverse(ACCOUNT))


def test_a_person_removes_their_passkey(client: HttpClient, alice: User, passkey: Passkey) -> None:
    client.force_login(alice)
    response = client.post(reverse("accounts:passkey_remove", args=[passkey.pk]))
    assert response["Location"] == reverse(ACCOUNT)
    assert not Passkey.objects.exists()


def test_a_person_cannot_remove_someone_elses_passkey(
    client: HttpClient, bob: User, passkey: Passkey
) -> None:
    client.force_login(bob)
    client.post(reverse("accounts:passkey_remove", args=[passkey.pk]))
    assert Passkey.objects.filter(pk=passkey.pk).exists()


def test_a_removed_passkey_is_no_longer_remembered(
    client: HttpClient, alice: User, passkey: Passkey, soft: SoftAuthenticator
) -> None:
    _password(client, alice)
    _log_in_with(client, soft, remember=True)
    client.post(reverse("accounts:passkey_remove", args=[passkey.pk]))
    client.post(reverse("accounts:logout"))
    _password(client, alice)
    assert client.get(reverse(CASELOAD))["Location"].startswith(reverse(VERIFY))


# --- Reset by an administrator ----------------------------------------------------------------


def test_an_administrator_reset_removes_the_passkeys(
    client: HttpClient, ada: User, alice: User, passkey: Passkey
) -> None:
    client.force_login(ada)
    client.post(
        reverse("accounts:second_factor_reset", args=[alice.pk]), {"reason": "Laptop stolen"}
    )
    assert not Passkey.objects.filter(user=alice).exists()
