"""Ending a person's access at once (a departure, a second-factor reset): their sessions and
their API tokens."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import ApiToken, User


def sessions_end(user: User) -> int:
    """Delete every unexpired session signed in as ``user``; returns how many. Sessions are
    not indexed by user, so each live one is decoded: a few hundred at most, with a 15-minute
    idle timeout."""
    live = Session.objects.filter(expire_date__gt=timezone.now())
    theirs = [
        session.session_key
        for session in live.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=theirs).delete()
    return len(theirs)


def tokens_revoke_all(user: User) -> int:
    """Every live API token of ``user`` revoked at once (accounts.api_tokens)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
