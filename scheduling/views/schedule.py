"""The week view: a case manager's own schedule, and a supervised team's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import require_clinical_writer
from scheduling import selectors
from scheduling.models import PlannedVisit


def _monday(request: AuthenticatedHttpRequest) -> dt.date | None:
    try:
        return selectors.parse_week(
            week=request.GET.get("week"), start=request.GET.get("start"), default=dates.today()
        )
    except ValueError:
        return None


def _days(monday: dt.date, visits: Iterable[PlannedVisit]) -> list[dict[str, Any]]:
    """The seven days of the week, each with its visits (in the agency's time zone)."""
    by_day: dict[dt.date, list[PlannedVisit]] = {}
    for visit in visits:
        by_day.setdefault(timezone.localdate(visit.scheduled_start), []).append(visit)
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    return [{"date": day, "visits": by_day.get(day, [])} for day in days]


def _week_context(request: AuthenticatedHttpRequest, monday: dt.date) -> dict[str, Any]:
    return {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "week": selectors.iso_week(monday),
        "prev_week": selectors.iso_week(monday - dt.timedelta(days=7)),
        "next_week": selectors.iso_week(monday + dt.timedelta(days=7)),
        "this_week": selectors.iso_week(selectors.week_start(dates.today())),
        "today": dates.today(),
        "now": timezone.now(),
        "teams": list(selectors.teams_supervised_by(request.user)),
    }


@login_required
def schedule(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own week (``?week=YYYY-Www`` or ``?start=YYYY-MM-DD``)."""
    require_clinical_writer(request.user, to="have a schedule")
    monday = _monday(request)
    if monday is None:
        return HttpResponseBadRequest("The week is not a week (2026-W49) or a date (2026-12-02).")
    visits = selectors.visits_in_week(viewer=request.user, monday=monday, case_manager=request.user)
    context = _week_context(request, monday)
    context.update(days=_days(monday, visits), team=None)
    return render(request, "scheduling/schedule.html", context)


@login_required
def team_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A team's week, for a supervisor of that team only (another team answers 404)."""
    team = selectors.teams_supervised_by(request.user).filter(pk=pk).first()
    if team is None:
        raise Http404("No team of yours.")
    monday = _monday(request)
    if monday is None:
        return HttpResponseBadRequest("The week is not a week (2026-W49) or a date (2026-12-02).")
    visits = selectors.visits_in_week(viewer=request.user, monday=monday, team_id=team.pk)
    context = _week_context(request, monday)
    context.update(days=_days(monday, visits), team=team)
    return render(request, "scheduling/schedule.html", context)
