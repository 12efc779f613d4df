"""The second factor of every login (accounts.second_factor): the gate, the code, recovery
codes, enrolment on the first login, the lockout, remembered devices and an administrator's
reset."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.test.utils import override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorReset, User
from accounts.second_factor import RECOVERY_CODES, recovery_codes_issue
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CASELOAD = "workspace:caseload"
VERIFY = "accounts:second_factor"
ENROL = "accounts:second_factor_enrol"
NOW = dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def _password(client: HttpClient, user: User) -> HttpResponse:
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def _verify(client: HttpClient, code: str, **extra: str) -> HttpResponse:
    return client.post(reverse(VERIFY), {"code": code, **extra})


# --- The gate ---------------------------------------------------------------------------------


def test_a_password_alone_opens_no_page(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    response = client.get(reverse(CASELOAD))
    assert response["Location"] == f"{reverse(VERIFY)}?next={reverse(CASELOAD)}"


def test_a_first_login_is_sent_to_enrolment(client: HttpClient, alice: User) -> None:
    _password(client, alice)
    assert client.get(reverse(CASELOAD))["Location"].startswith(reverse(ENROL))


def test_the_api_refuses_a_password_alone(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    assert client.get("/api/v1/clients/").status_code == 403


def test_the_admin_is_behind_the_second_factor(client: HttpClient, ada: User) -> None:
    _password(client, ada)
    assert client.get("/admin/")["Location"].startswith(reverse(ENROL))


def test_the_code_opens_the_pages(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    response = _verify(client, _code(authenticator), next=reverse(CASELOAD))
    assert response["Location"] == reverse(CASELOAD)
    assert client.get(reverse(CASELOAD)).status_code == 200


def test_a_code_is_not_accepted_twice(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    code = _code(authenticator)
    _password(client, alice)
    _verify(client, code)
    other = HttpClient()
    _password(other, alice)
    assert _verify(other, code).status_code == 400


def test_a_wrong_code_is_refused_on_the_form(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    response = _verify(client, "000000" if _code(authenticator) != "000000" else "111111")
    assert response.status_code == 400
    assert "That code does not match" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_codes_count_toward_the_lockout(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    for _ in range(3):
        response = _verify(client, "not-a-code")
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert client.get(reverse(CASELOAD))["Location"].startswith(reverse("accounts:login"))


def test_a_recovery_code_opens_the_pages_once(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    code = recovery_codes_issue(alice)[0]
    _password(client, alice)
    assert _verify(client, code).status_code == 302
    other = HttpClient()
    _password(other, alice)
    assert _verify(other, code).status_code == 400


def test_new_recovery_codes_replace_the_old(alice: User) -> None:
    old = recovery_codes_issue(alice)
    new = recovery_codes_issue(alice)
    device = StaticDevice.objects.get(user=alice)
    assert set(device.token_set.values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


# --- Remembered devices -----------------------------------------------------------------------


def _remembered_login(client: HttpClient, alice: User, device: TOTPDevice) -> None:
    _password(client, alice)
    _verify(client, _code(device), remember="on")
    client.post(reverse("accounts:logout"))
    _password(client, alice)


def test_a_remembered_device_skips_the_code(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _remembered_login(client, alice, authenticator)
    assert client.get(reverse(CASELOAD)).status_code == 200


def test_a_device_is_remembered_for_30_days_at_most(
    client: HttpClient, alice: User, authenticator: TOTPDevice, _frozen: time_machine.Traveller
) -> None:
    _password(client, alice)
    _verify(client, _code(authenticator), remember="on")
    client.post(reverse("accounts:logout"))
    _frozen.shift(dt.timedelta(days=30, seconds=1))
    _password(client, alice)
    assert client.get(reverse(CASELOAD))["Location"].startswith(reverse(VERIFY))


def test_a_remembered_device_is_not_remembered_for_someone_else(
    client: HttpClient, alice: User, bob: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    _verify(client, _code(authenticator), remember="on")
    client.post(reverse("accounts:logout"))
    _password(client, bob)
    assert client.get(reverse(CASELOAD))["Location"].startswith(reverse(ENROL))


# --- Enrolment --------------------------------------------------------------------------------


def test_enrolment_shows_the_key_and_its_qr_code(client: HttpClient, alice: User) -> None:
    _password(client, alice)
    page = client.get(reverse(ENROL)).content.decode()
    assert 'id="authenticator-key"' in page
    assert "<svg" in page


def test_enrolment_confirms_the_app_and_shows_the_recovery_codes(
    client: HttpClient, alice: User
) -> None:
    _password(client, alice)
    client.get(reverse(ENROL))
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(reverse(ENROL), {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert response.content.decode().count('class="recovery-code"') == RECOVERY_CODES
    assert client.get(reverse(CASELOAD)).status_code == 200


def test_enrolment_refuses_a_wrong_code(client: HttpClient, alice: User) -> None:
    _password(client, alice)
    client.get(reverse(ENROL))
    response = client.post(reverse(ENROL), {"code": "12345x"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.get(user=alice).confirmed


# --- Reset by an administrator ----------------------------------------------------------------


def _reset(
    client: HttpClient, user: User, reason: str = "Phone lost on a home visit"
) -> HttpResponse:
    return client.post(reverse("accounts:second_factor_reset", args=[user.pk]), {"reason": reason})


def test_an_administrator_resets_a_lost_device(
    client: HttpClient, ada: User, alice: User, authenticator: TOTPDevice
) -> None:
    recovery_codes_issue(alice)
    client.force_login(ada)
    _reset(client, alice)
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()


def test_a_reset_is_recorded(client: HttpClient, ada: User, alice: User) -> None:
    client.force_login(ada)
    _reset(client, alice)
    record = SecondFactorReset.objects.get()
    assert (record.user, record.reset_by, record.reason) == (
        alice,
        ada,
        "Phone lost on a home visit",
    )


def test_a_reset_ends_the_persons_sessions(
    client: HttpClient, ada: User, alice: User, authenticator: TOTPDevice
) -> None:
    theirs = HttpClient()
    theirs.force_login(alice)
    client.force_login(ada)
    _reset(client, alice)
    assert theirs.get(reverse(CASELOAD))["Location"].startswith(reverse("accounts:login"))
    assert Session.objects.count() == 1  # ada's


def test_a_reset_needs_a_reason(client: HttpClient, ada: User, alice: User) -> None:
    client.force_login(ada)
    assert _reset(client, alice, reason="").status_code == 400
    assert not SecondFactorReset.objects.exists()


def test_only_an_administrator_resets(client: HttpClient, sam: User, alice: User) -> None:
    client.force_login(sam)
    assert _reset(client, alice).status_code == 403


def test_a_reset_record_cannot_be_changed(ada: User, alice: User) -> None:
    record = SecondFactorReset.objects.create(user=alice, reset_by=ada, reason="Lost")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecondFactorReset.objects.filter(pk=record.pk).update(reason="Nothing happened")


def test_the_session_remembers_the_verifying_device(
    client: HttpClient, alice: User, authenticator: TOTPDevice
) -> None:
    _password(client, alice)
    _verify(client, _code(authenticator))
    assert client.session[DEVICE_ID_SESSION_KEY] == authenticator.persistent_id
