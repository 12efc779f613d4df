from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

LOGIN_AT_KEY = "login_at"
RENEWED_AT_KEY = "renewed_at"
# How often a request pushes the idle expiry back. Writing the session on every request
# costs three queries a page (BEGIN, UPDATE, COMMIT); once a minute costs one write a minute,
# and a session idle for SESSION_IDLE_MINUTES still ends within a minute of that.
SESSION_RENEW_SECONDS = 60
# The seconds left before the session idles out, on every response to a signed-in user, so
# that the idle warning (static/js/idle.js) restarts its countdown after an htmx request.
IDLE_SECONDS_HEADER = "X-Session-Idle-Seconds"


def stamp_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """On ``user_logged_in``: the login time (for the absolute cap) and the first renewal
    (for the idle timeout), written with the login's own session save."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[LOGIN_AT_KEY] = now
        request.session[RENEWED_AT_KEY] = now


def session_renew(session: SessionBase) -> None:
    """Pushes the idle expiry back now: changing the session makes SessionMiddleware save it
    with a new expiry (SESSION_COOKIE_AGE from now)."""
    session[RENEWED_AT_KEY] = timezone.now().timestamp()


def idle_seconds_left(session: SessionBase) -> int:
    """Seconds until the session idles out: SESSION_COOKIE_AGE after its last renewal (a
    later save of the session only pushes the real expiry further, so this never overstates
    it)."""
    renewed_at = session.get(RENEWED_AT_KEY, timezone.now().timestamp())
    left = renewed_at + settings.SESSION_COOKIE_AGE - timezone.now().timestamp()
    return max(0, int(left))


class AbsoluteSessionTimeoutMiddleware:
    """Ends a session SESSION_ABSOLUTE_HOURS after login, however active it has been, and
    renews its idle expiry.

    The idle timeout is the session cookie age, pushed back by a request at most once every
    SESSION_RENEW_SECONDS (the session is saved when it changes, not on every request); the
    absolute cap keeps a shared tablet left logged in from staying so for days. Responses to a
    signed-in user say how long the session has left (IDLE_SECONDS_HEADER).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            login_at = request.session.get(LOGIN_AT_KEY)
            if login_at is None:
                # A session from before logins were stamped.
                request.session[LOGIN_AT_KEY] = now
            elif now - login_at > timedelta(hours=settings.SESSION_ABSOLUTE_HOURS).total_seconds():
                logout(request)
                return redirect(settings.LOGIN_URL)
            # Changing the session makes SessionMiddleware save it with a new expiry.
            if now - request.session.get(RENEWED_AT_KEY, 0) >= SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT_KEY] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            response[IDLE_SECONDS_HEADER] = str(idle_seconds_left(request.session))
        return response
