"""Passkeys as the second factor, beside the authenticator app (issue 13).

A person who passed the second factor may register a passkey from their account page; at
their next login, after the password, the passkey stands in for the code. It verifies the
session exactly as a code does (``django_otp.login`` with the ``Passkey`` device), so the one
gate, the remembered device and the administrator's reset treat both alike. The ceremonies
follow W3C Web Authentication Level 2 (§7.1 registering, §7.2 verifying an assertion); the
checks of origin, challenge, relying party and signature are Yubico's python-fido2's
(``Fido2Server``), the rules around them ours:

- Registering needs a session already verified by a second factor (the middleware lets the
  registration endpoints through only then, and ``passkey_registration_begin`` checks again):
  a stolen password must not let someone add their own passkey.
- A passkey is a second factor, never the only one: the options name the person's own
  credentials (the password said who they are), and a passkey of someone else is refused.
  Possession of the authenticator is the factor (NIST SP 800-63B §5.1.7, single-factor
  cryptographic device; with the password, AAL2), so user verification is not demanded.
- A failed assertion counts toward the lockout like a wrong code (django-axes).
- A signature counter that does not increase, where the authenticator keeps one, refuses the
  passkey (§6.1.1: a sign of a cloned authenticator).

The browser side is static/js/passkeys.js; options and responses travel as the WebAuthn JSON
forms (base64url strings, §5.1.8 and §5.5 of Level 3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from fido2.server import Fido2Server
from fido2.webauthn import (
    AttestedCredentialData,
    AuthenticationResponse,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from accounts.models import Passkey, User
from accounts.second_factor import is_verified, second_factor_failed

REGISTRATION_STATE = "accounts.passkeys.registration"
AUTHENTICATION_STATE = "accounts.passkeys.authentication"
NAME_MAX_LENGTH = Passkey._meta.get_field("name").max_length or 64
DEFAULT_NAME = "Passkey"


def _server() -> Fido2Server:
    """The relying party of settings.WEBAUTHN_RP_ID. python-fido2 accepts an origin on that
    host (or a subdomain) over HTTPS, and http://localhost for development."""
    return Fido2Server(
        PublicKeyCredentialRpEntity(id=settings.WEBAUTHN_RP_ID, name=settings.WEBAUTHN_RP_NAME)
    )


def _user_handle(user: User) -> bytes:
    """The WebAuthn user handle: opaque, stable, no personal data in it (Level 2 §14.6.1),
    derived from the id so that no table is needed. A new SECRET_KEY changes it, which only
    lets an authenticator keep a second passkey for the same person."""
    return salted_hmac("accounts.passkeys.user-handle", str(user.pk), algorithm="sha256").digest()


def _credentials(user: User) -> list[AttestedCredentialData]:
    return [
        AttestedCredentialData(bytes(data))
        for data in Passkey.objects.filter(user=user, confirmed=True).values_list(
            "credential_data", flat=True
        )
    ]


def passkeys_for_user(user: User) -> QuerySet[Passkey]:
    """The person's passkeys, oldest first, as their account page lists them."""
    return Passkey.objects.filter(user=user).order_by("created_at", "id")


def has_passkey(user: User) -> bool:
    return Passkey.objects.filter(user=user, confirmed=True).exists()


# --- Registering ------------------------------------------------------------------------------


def passkey_registration_begin(*, request: HttpRequest, user: User) -> dict[str, Any]:
    """The creation options for the browser (``navigator.credentials.create``), the challenge
    kept in the session. The person's passkeys are excluded, so one authenticator is not
    registered twice. Only from a session verified by a second factor."""
    if not is_verified(request):
        raise PermissionDenied("Pass the second factor before adding a passkey.")
    options, state = _server().register_begin(
        PublicKeyCredentialUserEntity(
            id=_user_handle(user),
            name=user.get_username(),
            display_name=user.get_full_name() or user.get_username(),
        ),
        credentials=_credentials(user),
        resident_key_requirement=ResidentKeyRequirement.PREFERRED,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[REGISTRATION_STATE] = state
    return dict(options)


def passkey_register(
    *, request: HttpRequest, user: User, response: Mapping[str, Any], name: str
) -> Passkey:
    """Check the browser's answer against the challenge of ``passkey_registration_begin``
    (used once, whatever the outcome) and store the new passkey under ``name``."""
    state = request.session.pop(REGISTRATION_STATE, None)
    if state is None or not is_verified(request):
        raise ValidationError("Start adding the passkey again.")
    try:
        auth_data = _server().register_complete(state, response)
    except (ValueError, KeyError, TypeError) as error:
        raise ValidationError("The browser's answer could not be verified.") from error
    credential = auth_data.credential_data
    if credential is None:  # an attestation always carries it; python-fido2 checks too
        raise ValidationError("The browser's answer carried no passkey.")
    if Passkey.objects.filter(credential_id=credential.credential_id).exists():
        raise ValidationError("This passkey is already registered.")
    return Passkey.objects.create(
        user=user,
        name=name.strip()[:NAME_MAX_LENGTH] or DEFAULT_NAME,
        credential_id=credential.credential_id,
        credential_data=bytes(credential),
        sign_count=auth_data.counter,
    )


# --- Verifying a session ----------------------------------------------------------------------


def passkey_authentication_begin(*, request: HttpRequest, user: User) -> dict[str, Any]:
    """The request options for the browser (``navigator.credentials.get``) naming the
    person's passkeys, the challenge kept in the session."""
    credentials = _credentials(user)
    if not credentials:
        raise ValidationError("You have no passkey: type the code from your authenticator app.")
    options, state = _server().authenticate_begin(
        credentials, user_verification=UserVerificationRequirement.DISCOURAGED
    )
    request.session[AUTHENTICATION_STATE] = state
    return dict(options)


def _assertion_check(
    *, state: Mapping[str, Any] | None, user: User, response: Mapping[str, Any]
) -> Passkey | None:
    """The person's passkey that signed the challenge of ``state``, with its counter moved
    on; None if the answer does not verify."""
    if state is None:
        return None
    try:
        parsed = AuthenticationResponse.from_dict(response)
        _server().authenticate_complete(state, _credentials(user), parsed)
    except (ValueError, KeyError, TypeError):
        return None
    passkey = (
        Passkey.objects.select_for_update()
        .filter(user=user, confirmed=True, credential_id=parsed.raw_id)
        .first()
    )
    if passkey is None:
        return None
    counter = parsed.response.authenticator_data.counter
    if (counter or passkey.sign_count) and counter <= passkey.sign_count:
        return None
    passkey.sign_count = counter
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])
    return passkey


@transaction.atomic
def passkey_verify(
    *, request: HttpRequest, user: User, response: Mapping[str, Any]
) -> Passkey | None:
    """The person's passkey that answered the challenge of ``passkey_authentication_begin``
    (used once), with the session verified by it; None, and one more failure toward the
    lockout, if the answer does not verify."""
    state = request.session.pop(AUTHENTICATION_STATE, None)
    passkey = _assertion_check(state=state, user=user, response=response)
    if passkey is None:
        second_factor_failed(request=request, user=user)
        return None
    otp_login(request, passkey)
    return passkey


# --- Removing ---------------------------------------------------------------------------------


def passkey_remove(*, user: User, passkey_id: int) -> bool:
    """Remove one of the person's own passkeys (False if it is not theirs). A browser that
    remembered it asks for the second factor again (accounts.second_factor.remembered_device)."""
    deleted, _ = Passkey.objects.filter(user=user, pk=passkey_id).delete()
    return deleted > 0
