"""The demo logins' authenticators (devtools.demo.second_factor): made once, their keys
printed with DEBUG on only, and ``demo_code`` giving the code of the moment."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.test.utils import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from devtools.demo.second_factor import (
    authenticator_key,
    ensure_demo_authenticators,
    write_demo_authenticators,
)
from devtools.demo.staff import STAFF
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_logins() -> list[User]:
    return [factories.CaseManagerFactory(username=spec.username) for spec in STAFF[:2]]


def _printed() -> str:
    out = StringIO()
    write_demo_authenticators(OutputWrapper(out), no_style())
    return out.getvalue()


def test_every_demo_login_gets_an_authenticator(demo_logins: list[User]) -> None:
    ensure_demo_authenticators()
    assert TOTPDevice.objects.filter(confirmed=True, user__in=demo_logins).count() == 2


def test_a_second_run_makes_no_new_authenticator(demo_logins: list[User]) -> None:
    ensure_demo_authenticators()
    assert ensure_demo_authenticators() == 0


@override_settings(DEBUG=True)
def test_the_keys_are_printed_in_development(demo_logins: list[User]) -> None:
    ensure_demo_authenticators()
    device = TOTPDevice.objects.get(user=demo_logins[0])
    assert authenticator_key(device) in _printed()


def test_the_keys_are_not_printed_without_debug(demo_logins: list[User]) -> None:
    ensure_demo_authenticators()
    device = TOTPDevice.objects.get(user=demo_logins[0])
    assert authenticator_key(device) not in _printed()


@override_settings(DEBUG=True)
def test_demo_code_prints_the_code_the_app_shows(demo_logins: list[User]) -> None:
    ensure_demo_authenticators()
    out = StringIO()
    call_command("demo_code", demo_logins[0].username, stdout=out)
    assert TOTPDevice.objects.get(user=demo_logins[0]).verify_token(out.getvalue().strip())


def test_demo_code_refuses_without_debug(demo_logins: list[User]) -> None:
    ensure_demo_authenticators()
    with pytest.raises(CommandError):
        call_command("demo_code", demo_logins[0].username, stdout=StringIO())
