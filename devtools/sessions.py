"""A test client signed in past the second factor, for the benchmark and the tests (which
wire it into ``Client.force_login``, tests/conftest.py): the person's authenticator device, as
if they had typed its code (accounts.second_factor)."""

from __future__ import annotations

from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import Client, RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.api_tokens import token_mint
from accounts.models import ApiToken, User
from accounts.second_factor import AUTHENTICATOR_NAME


def pass_second_factor(client: Client, user: User) -> None:
    """Mark ``client``'s session, already signed in as ``user``, verified by their
    authenticator (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def force_login_verified(client: Client, user: User) -> None:
    """``client.force_login(user)`` and past the second factor."""
    Client.force_login(client, user)
    pass_second_factor(client, user)


def api_token_mint_for(user: User, *, name: str, days: int) -> tuple[ApiToken, str]:
    """An API token of ``user``'s, minted by ``accounts.api_tokens.token_mint`` as they would
    from a session past the second factor: for the demo agency and the schemathesis run's
    scratch database, never for real people."""
    request = RequestFactory().get("/accounts/")
    request.user = user
    request.session = SessionStore()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id if device else "devtools"
    return token_mint(request=request, name=name, days=days)
