"""Expiring bearer tokens for the API (issue 13): a script or an integration reaches the API
with a token its owner minted from a session that passed the second factor (so a password
alone never yields one), for at most ``API_TOKEN_MAX_DAYS``; a deactivated owner, a revoked
or an expired token is refused. Only the token's SHA-256 is stored; the secret is
shown once. HTTP Basic is not accepted (settings.REST_FRAMEWORK)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken, User
from accounts.second_factor import is_verified

PREFIX = "cw_"
KEYWORD = "Bearer"


def _hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_mint(*, request: HttpRequest, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for the request's user, and its secret (to show once). Only from a
    session that passed the second factor."""
    user = request.user
    if not isinstance(user, User) or not is_verified(request):
        raise PermissionDenied("Pass the second factor before making an API token.")
    if not name.strip():
        raise ValidationError({"name": "Name the token after what will use it."})
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"Between 1 and {settings.API_TOKEN_MAX_DAYS} days."})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_sha256=_hashed(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, secret


def token_revoke(*, user: User, token_id: int) -> int:
    """Revoke one of the user's own tokens (0 if it is not theirs or already revoked)."""
    return ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class ExpiringTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer cw_...``: the token's owner, while the token is live and the
    owner active; anything else presented as a token is refused (403, like any request the
    API does not authenticate: the session's authentication comes first, and it sends no
    challenge)."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        keyword, _, secret = header.partition(" ")
        if keyword != KEYWORD:
            return None
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_sha256=_hashed(secret.strip()), revoked_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
