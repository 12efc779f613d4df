"""The private calendar feed: its settings page (turn on, rotate, revoke) and the feed itself.

The feed is not behind the login (calendar apps have no session) but is reached only with its
secret token; an unknown, revoked or deactivated user's token answers 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import require_clinical_writer
from clients.access import client_ip
from clients.models import AccessLog
from clients.services import access_log_record
from scheduling import selectors, services
from scheduling.calendar import feed_document

# What the access log shows as the path: the token itself is never written anywhere.
FEED_LOG_PATH = "/schedule/feed/(token).ics"


@login_required
def feed_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn the feed on (its address is shown once), get a new address, or turn it off. For
    those who hold a schedule (case managers and supervisors)."""
    require_clinical_writer(request.user, to="have a schedule")
    token = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "enable":
            token = services.feed_enable(user=request.user)
        elif action == "revoke":
            services.feed_revoke(user=request.user)
        else:
            return HttpResponseBadRequest("Unknown action.")
    feed_url = request.build_absolute_uri(reverse("scheduling:feed", args=[token])) if token else ""
    return render(
        request,
        "scheduling/feed_settings.html",
        {"feed": selectors.feed_of(request.user), "feed_url": feed_url},
    )


@require_safe  # GET, and HEAD: some calendar apps ask whether the feed changed
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's visits as iCalendar. Each fetch leaves one access-log row with no client:
    it discloses many clients' record numbers at once; the row says who fetched and when, and
    the history of the visits says which were in it. One row per client would fill each
    client's log, and the user's "recent clients", with what a calendar app fetched."""
    owner = selectors.feed_owner(token=token)
    if owner is None:
        raise Http404("No such feed.")
    access_log_record(
        user=owner,
        client_id=None,
        action=AccessLog.Action.VIEWED,
        path=FEED_LOG_PATH,
        ip_address=client_ip(request),
    )
    rows = selectors.feed_visits(user=owner, now=timezone.now())
    response = HttpResponse(
        feed_document(rows, host=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
