"""The week view: a case manager's own schedule, and a supervised team's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Team
from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import require_clinical_writer
from casemgmt.service_forms import int_param
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
    }


@login_required
def schedule(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own week (``?week=YYYY-Www`` or ``?start=YYYY-MM-DD``)."""
    require_clinical_writer(request.user, to="have a schedule")
    monday = _monday(request)
    if monday is None:
        return HttpResponseBadRequest("The week is not a week (2026-W49) or a date (2026-12-02).")
    visits = selectors.visits_in_week(viewer=request.user, monday=monday, case_manager=request.user)
    context = _week_context(request, monday, list(selectors.teams_supervised_by(request.user)))
    context.update(days=_days(monday, visits), team=None)
    return render(request, "scheduling/schedule.html", context)


@login_required
def team_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A team's week, for a supervisor of that team only (another team answers 404): a row
    per case manager with each day's visits counted, and with ``?case_manager=`` that case
    manager's visits of the week, read-only (recording and changing them is theirs)."""
    teams = list(selectors.teams_supervised_by(request.user))
    team = next((t for t in teams if t.pk == pk), None)
    if team is None:
        raise Http404("No team of yours.")
    monday = _monday(request)
    if monday is None:
        return HttpResponseBadRequest("The week is not a week (2026-W49) or a date (2026-12-02).")
    rows = selectors.team_week(viewer=request.user, monday=monday, team=team)
    context = _week_context(request, monday, teams)
    context.update(team=team, rows=rows, days=None, case_manager=None)
    case_manager_id = int_param(request, "case_manager")
    if case_manager_id is not None:
        case_manager = selectors.case_manager_in_team_week(rows, case_manager_id)
        if case_manager is None:
            raise Http404("No such case manager in this team's week.")
        visits = selectors.visits_in_week(
            viewer=request.user, monday=monday, case_manager=case_manager, team_id=team.pk
        )
        context.update(days=_days(monday, visits), case_manager=case_manager)
    else:
        context.update(day_dates=[monday + dt.timedelta(days=n) for n in range(7)])
    return render(request, "scheduling/schedule.html", context)
