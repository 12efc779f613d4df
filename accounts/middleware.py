from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

LOGIN_AT_KEY = "login_at"
RENEWED_AT_KEY = "renewed_at"
# How often a request pushes the idle expiry back. Writing the session on every request
# costs three queries a page (BEGIN, UPDATE, COMMIT); once a minute costs one write a minute,
# and a session idle for SESSION_IDLE_MINUTES still ends within a minute of that.
SESSION_RENEW_SECONDS = 60


def stamp_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """On ``user_logged_in``: the login time (for the absolute cap) and the first renewal
    (for the idle timeout), written with the login's own session save."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[LOGIN_AT_KEY] = now
        request.session[RENEWED_AT_KEY] = now


class AbsoluteSessionTimeoutMiddleware:
    """Ends a session SESSION_ABSOLUTE_HOURS after login, however active it has been, and
    renews its idle expiry.

    The idle timeout is the session cookie age, pushed back by a request at most once every
    SESSION_RENEW_SECONDS (the session is saved when it changes, not on every request); the
    absolute cap keeps a shared tablet left logged in from staying so for days.
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
        return self.get_response(request)
