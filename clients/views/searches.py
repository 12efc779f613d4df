"""The rate limit of client searches (SEARCH_RATE_LIMIT_PER_MINUTE per user): the directory,
the navigation bar's search and a registration's duplicate search answer 429 beyond it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.ratelimit import within_rate


def too_many_searches(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    """Count one search by the request's user; the 429 page once they are over the limit."""
    if within_rate(f"search:{request.user.pk}", limit=settings.SEARCH_RATE_LIMIT_PER_MINUTE):
        return None
    response = render(request, "clients/too_many_searches.html", status=429)
    response["Retry-After"] = "60"
    return response
