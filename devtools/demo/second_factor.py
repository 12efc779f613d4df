"""The demo logins' second factor (accounts.second_factor): each demo user has an
authenticator device, made once with a random key. With ``DEBUG=1`` (``make run``) the keys
are printed, so a newcomer adds a login to an authenticator app (or asks
``manage.py demo_code <username>`` for the code of the moment); never otherwise, since a
printed key is a second factor given away."""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.management.base import OutputWrapper
from django.core.management.color import Style
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.second_factor import AUTHENTICATOR_NAME
from devtools.demo.staff import STAFF


def _demo_users() -> list[User]:
    return list(User.objects.filter(username__in=[s.username for s in STAFF]).order_by("pk"))


def ensure_demo_authenticators() -> int:
    """A confirmed authenticator for every demo login that has none; how many were made."""
    have = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=_demo_users()).values_list(
            "user_id", flat=True
        )
    )
    missing = [user for user in _demo_users() if user.pk not in have]
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=True) for user in missing
    )
    return len(missing)


def authenticator_key(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it when typed (base32)."""
    return base64.b32encode(device.bin_key).decode()


def current_code(username: str) -> str:
    """The code the demo login's authenticator shows now."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def write_demo_authenticators(stdout: OutputWrapper, style: Style) -> None:
    """The demo logins' authenticator keys, with DEBUG on only."""
    if not settings.DEBUG:
        stdout.write(
            "Second factor: each demo login has an authenticator (keys shown with DEBUG=1)."
        )
        return
    devices = TOTPDevice.objects.filter(user__in=_demo_users(), confirmed=True).select_related(
        "user"
    )
    stdout.write(style.MIGRATE_HEADING("Second factor (DEBUG only): authenticator keys"))
    for device in devices.order_by("user__username"):
        stdout.write(f"  {device.user.username:<10} {authenticator_key(device)}")
    stdout.write(
        "Add a key to an authenticator app (time-based, 6 digits), or print the code of the "
        "moment with: .venv/bin/python manage.py demo_code <username>"
    )
