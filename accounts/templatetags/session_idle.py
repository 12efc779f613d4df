"""The idle warning's dialog, with the timings the page's script (static/js/idle.js) reads
from it: rendered from the settings, so a test can shorten them."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from accounts.middleware import idle_seconds_left

register = template.Library()


@register.inclusion_tag("accounts/_idle_warning.html", takes_context=True)
def idle_warning(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    session = getattr(request, "session", None)
    seconds_left = settings.SESSION_COOKIE_AGE if session is None else idle_seconds_left(session)
    return {
        "seconds_left": seconds_left,
        "warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "csrf_token": context.get("csrf_token"),
    }
