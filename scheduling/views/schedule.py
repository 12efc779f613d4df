"""The week view: a case manager's own schedule, and a supervised team's. Each exports what it
shows with ``?format=csv|xlsx`` (scheduling.tables)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Team
from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from exports import http as exports_http
from exports.tables import InvalidQuery
from scheduling import selectors, tables
from scheduling.models import PlannedVisit


def _days(monday: dt.date, visits: Iterable[PlannedVisit]) -> dict[str, Any]:
    """The seven days of the week, each with its visits (in the agency's time zone), and
    whether there is any (the export links are shown then)."""
    by_day: dict[dt.date, list[PlannedVisit]] = {}
    for visit in visits:
        by_day.setdefault(timezone.localdate(visit.scheduled_start), []).append(visit)
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    return {
        "days": [{"date": day, "visits": by_day.get(day, [])} for day in days],
        "has_visits": bool(by_day),
    }


def _week_context(
    request: AuthenticatedHttpRequest, monday: dt.date, teams: list[Team]
) -> dict[str, Any]:
    return {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "week": selectors.iso_week(monday),
        "prev_week": selectors.iso_week(monday - dt.timedelta(days=7)),
        "next_week": selectors.iso_week(monday + dt.timedelta(days=7)),
        "this_week": selectors.iso_week(selectors.week_start(dates.today())),
        "today": dates.today(),
        "now": timezone.now(),
        "teams": teams,
        "export_links": exports_http.export_links(request),
    }


@login_required
def schedule(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The user's own week (``?week=YYYY-Www`` or ``?start=YYYY-MM-DD``)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "scheduling.schedule")
    try:
        asked = tables.schedule_asked(request.user, request.GET)
    except InvalidQuery:
        return HttpResponseBadRequest(tables.NOT_A_WEEK)
    context = _week_context(
        request, asked.monday, list(selectors.teams_supervised_by(request.user))
    )
    context.update(_days(asked.monday, asked.visits), team=None)
    return render(request, "scheduling/schedule.html", context)


@login_required
def team_schedule(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse | StreamingHttpResponse:
    """A team's week, for a supervisor of that team only (another team answers 404): a row
    per case manager with each day's visits counted, and with ``?case_manager=`` that case
    manager's visits of the week, read-only (recording and changing them is theirs)."""
    try:
        team, teams = tables.supervised_team(request.user, pk)
    except LookupError as missing:
        raise Http404(str(missing)) from missing
    if exports_http.wants_file(request):
        query = exports_http.query_with(request, team=team.pk)
        return exports_http.export(request, "scheduling.team_schedule", query=query)
    try:
        asked = tables.team_week_asked(request.user, team, request.GET)
    except InvalidQuery:
        return HttpResponseBadRequest(tables.NOT_A_WEEK)
    except LookupError as missing:
        raise Http404(str(missing)) from missing
    context = _week_context(request, asked.monday, teams)
    context.update(team=team, rows=asked.rows, days=None, case_manager=asked.case_manager)
    if asked.visits is not None:
        context.update(_days(asked.monday, asked.visits))
    else:
        context.update(day_dates=asked.day_dates)
    return render(request, "scheduling/schedule.html", context)
