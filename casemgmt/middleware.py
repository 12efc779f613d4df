"""Middleware of the project's own, for every app."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from casemgmt.reactions import interactive

# Where casemgmt/urls.py mounts the API, its schema and its docs.
API_PATH_PREFIX = "/api/"


class InteractiveRequestMiddleware:
    """Run a request to the web pages as interactive (casemgmt.reactions.interactive): the
    person who saved is looking at the page that shows the consequences, so the compliance of
    the one enrollment a save changed is evaluated in the same request (issue 11: "the row shows
    the enrollment's flags as they stand after the contact"). The API is not interactive: its
    clients read flags when they ask for them, and its saves stay on the Celery workers like the
    nightly run and the digests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        with interactive():
            return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (with ``private``, ``no-cache`` and ``max-age=0``) on every
    response Django writes: pages, fragments, API answers, exports and calendar feeds all
    carry client data, which a shared computer's browser cache or a proxy must not keep
    (HIPAA 45 CFR 164.312(a)(1), access control). Static files never reach it: WhiteNoise
    answers them first, with their long cache lifetimes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
