from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

LOGIN_AT_KEY = "login_at"


class AbsoluteSessionTimeoutMiddleware:
    """Ends a session SESSION_ABSOLUTE_HOURS after login, however active it has been.

    The idle timeout is the session cookie age renewed on each request; this caps the whole
    session so a shared tablet left logged in cannot stay so for days.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now()
            login_at = request.session.get(LOGIN_AT_KEY)
            if login_at is None:
                request.session[LOGIN_AT_KEY] = now.timestamp()
            elif (
                now.timestamp() - login_at
                > timedelta(hours=settings.SESSION_ABSOLUTE_HOURS).total_seconds()
            ):
                logout(request)
                return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        # Stamp a session that logged in during this request (the login view) with the login
        # time itself, not with the time of the next request. SESSION_KEY, not request.user:
        # an API call authenticated by HTTP Basic has no login session to stamp.
        if SESSION_KEY in request.session and LOGIN_AT_KEY not in request.session:
            request.session[LOGIN_AT_KEY] = timezone.now().timestamp()
        return response
