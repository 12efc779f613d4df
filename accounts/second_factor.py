"""The second factor of every staff login (issue 13): a password alone reaches no record.

After the password (Django's login view, behind django-axes), a session is signed in but not
yet verified: ``SecondFactorRequiredMiddleware`` sends every page to the code page, or to
enrolment on the first login, and the API answers 403, until a code from the person's
authenticator app (TOTP, RFC 6238, django-otp), one of their recovery codes, or one of their
passkeys (WebAuthn, accounts.passkeys) is given. The session then carries the verifying
device (``django_otp.DEVICE_ID_SESSION_KEY``), so a verified request costs no query. NIST
SP 800-63B §4.2 (AAL2: two distinct factors); HIPAA 45 CFR 164.312(d), person or entity
authentication.

- A device can be remembered for ``REMEMBER_DAYS`` (30) by a signed cookie naming the user
  and the device; a reset device or a deactivated account makes it worthless.
- A wrong code, or a passkey's failed assertion, counts toward the same lockout as a wrong
  password (django-axes, per username and address), and each code device also backs off
  exponentially (django-otp's throttling).
- An administrator resets a lost device (``second_factor_reset``): the devices, passkeys
  included, go, the person's sessions end, and the reset is recorded (``SecondFactorReset``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import DEVICE_ID_SESSION_KEY, device_classes, match_token
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorReset, User
from accounts.sessions import sessions_end, tokens_revoke_all
from casemgmt.roles import is_active_administrator

REMEMBER_DAYS = 30
REMEMBER_COOKIE = "casework_device"
_REMEMBER_SALT = "accounts.second_factor.remember"
RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

# What an unverified session may still reach: the steps of signing in and out, and the idle
# warning's "stay signed in". Everything else waits for the second factor, the registration of
# a passkey included: a stolen password must not let someone add their own.
OPEN_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:keep_alive",
    "accounts:second_factor",
    "accounts:second_factor_enrol",
    "accounts:passkey_authentication_begin",
    "accounts:passkey_authentication_complete",
)


# --- Devices ----------------------------------------------------------------------------------


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_to_enrol(user: User) -> TOTPDevice:
    """The authenticator the person is adding: the unconfirmed one, made on first call, so
    that reloading the enrolment page shows the same secret."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": AUTHENTICATOR_NAME}
    )
    return device


@transaction.atomic
def authenticator_confirm(*, request: HttpRequest, user: User, token: str) -> list[str]:
    """Confirm the authenticator being added with a code it shows, verify the session with
    it, and return a fresh set of recovery codes (shown once: only their use is stored)."""
    device = authenticator_to_enrol(user)
    if not device.verify_token(token):
        raise ValidationError({"code": "That code does not match. Enter the code shown now."})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return recovery_codes_issue(user)


def recovery_codes_issue(user: User) -> list[str]:
    """Replace the person's recovery codes with ``RECOVERY_CODES`` new single-use ones."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- Verifying a session ----------------------------------------------------------------------


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def is_locked_out(request: HttpRequest, user: User) -> bool:
    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def second_factor_failed(*, request: HttpRequest, user: User) -> None:
    """A wrong code or a failed passkey: django-axes counts it with the password failures of
    this username and address."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def second_factor_verify(*, request: HttpRequest, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` (an authenticator code or a recovery code), with the
    session verified by it; None, and one more failure toward the lockout, if none does."""
    device = match_token(user, token.strip().replace(" ", ""))
    if device is None:
        second_factor_failed(request=request, user=user)
        return None
    otp_login(request, device)
    return device


def is_verified(request: HttpRequest) -> bool:
    return DEVICE_ID_SESSION_KEY in request.session


# --- Remembering a device ---------------------------------------------------------------------


def remember_device(response: HttpResponse, *, user: User, device: Device, secure: bool) -> None:
    value = signing.dumps({"u": user.pk, "d": device.persistent_id}, salt=_REMEMBER_SALT)
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=REMEMBER_DAYS * 24 * 3600,
        secure=secure,
        httponly=True,
        samesite="Lax",
    )


def remembered_device(request: HttpRequest, user: User) -> Device | None:
    """The device this browser was told to remember for ``user``, if the cookie is genuine,
    at most REMEMBER_DAYS old, and the device is still theirs and confirmed."""
    try:
        value = signing.loads(
            request.COOKIES.get(REMEMBER_COOKIE, ""),
            salt=_REMEMBER_SALT,
            max_age=dt.timedelta(days=REMEMBER_DAYS),
        )
    except signing.BadSignature:
        return None
    if value.get("u") != user.pk:
        return None
    device = Device.from_persistent_id(value.get("d", ""))
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device


def verify_remembered_device(
    sender: Any, request: HttpRequest | None, user: User, **_: Any
) -> None:
    """On ``user_logged_in``: a browser that remembers a device of this person skips the code."""
    if request is None or not hasattr(request, "session"):
        return
    device = remembered_device(request, user)
    if device is not None:
        otp_login(request, device)


# --- Reset by an administrator ----------------------------------------------------------------


@transaction.atomic
def second_factor_reset(*, actor: User, user: User, reason: str) -> SecondFactorReset:
    """A lost phone: remove the person's devices (authenticators, recovery codes, passkeys:
    every django-otp device model, so a kind added later goes too), end their sessions (a
    remembered device is gone with its device) and revoke their API tokens (the phone may have
    held one), and record who did it and why.
    At their next login they enrol again."""
    if not is_active_administrator(actor):
        raise PermissionDenied("Only an administrator can reset a second factor.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why (for the audit record)."})
    for device_model in device_classes():
        device_model.objects.filter(user=user).delete()
    sessions_end(user)
    tokens_revoke_all(user)
    return SecondFactorReset.objects.create(user=user, reset_by=actor, reason=reason.strip())


# --- The gate ---------------------------------------------------------------------------------


def _next_step(request: HttpRequest, user: User) -> str:
    step = "accounts:second_factor" if has_authenticator(user) else "accounts:second_factor_enrol"
    path = request.get_full_path()
    if url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return f"{reverse(step)}?next={path}"
    return reverse(step)


@cache
def _open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in OPEN_URL_NAMES)


class SecondFactorRequiredMiddleware:
    """The one gate: a signed-in session that has not passed the second factor reaches only
    the pages of OPEN_URL_NAMES; any other page sends it to the code (or to enrolment), the
    API answers 403. After ``AuthenticationMiddleware``; the Django admin is behind it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or is_verified(request) or request.path_info in _open_paths():
            return self.get_response(request)
        assert isinstance(user, User)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": "Second factor required: log in on the web."}, status=403
            )
        return redirect(_next_step(request, user))
