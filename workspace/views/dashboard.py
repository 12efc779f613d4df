"""The supervisor's dashboard: the picture of the supervisor's teams, gathered from
supervision's reads (supervision.selectors: the teams shown, caseloads, flags, the review
queue, the weekly chart) and the staff of the teams (accounts.selectors.case_managers_of_teams).

It is the supervisor's landing page (CFP bulletin 18B-08: the clinical case
manager/supervisor reviews the team's caseloads and guides the case manager on crises).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import User
from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import supervises_team
from clients.models import EmergencyAccess
from exports import http as exports_http
from supervision import selectors
from workspace import tables

# How long the dashboard keeps telling a supervisor of an emergency access to a team's client.
EMERGENCY_NOTICE_DAYS = 7


@dataclass(frozen=True)
class SortHeader:
    """A header of the case-manager table: its link sorts by it (the other way round when it
    is the order already); ``aria_sort`` says the order it gives now, if any."""

    label: str
    href: str
    numeric: bool
    aria_sort: str | None
    code: str = ""  # the rule of a per-rule column


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every team the supervisor supervises at once, or one (``?team=``): per team and case
    manager the caseload size, clients at risk and open flags by rule, sortable by each
    column (``?sort=``, "-" for the reverse; an unknown one gives the default order); the
    review queue (unreviewed positive risk screens first, then the most overdue); open flags
    by rule over the last 12 weeks. Administrators and QA reviewers see one team at a time,
    any team; case managers are refused (403). The case-manager table is exported with
    ``?format=csv|xlsx`` (workspace.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "workspace.dashboard")
    scope = tables.dashboard_scope(request.user, request.GET)
    context: dict[str, Any] = {
        "teams": scope.teams,
        "shown_teams": scope.shown,
        "team": scope.shown[0] if len(scope.shown) == 1 else None,
        "selected_team": scope.selected,
        "several_teams": len(scope.shown) > 1,
        "rules": [],
        "summaries": [],
        "queue": [],
        "chart": None,
        "today": today(),
        # The review queue's "Write supervision note" is for the team's supervisor only.
        "note_team_ids": {t.pk for t in scope.shown if supervises_team(request.user, t.pk)},
        "export_links": exports_http.export_links(request),
        "emergency_accesses": _recent_emergency_accesses(request.user),
        "emergency_notice_days": EMERGENCY_NOTICE_DAYS,
    }
    if scope.shown:
        context.update(_teams_picture(scope, query=request.GET, on=context["today"]))
    return render(request, "workspace/dashboard.html", context)


def _recent_emergency_accesses(viewer: User) -> int:
    """How many emergency grants on clients of the supervisor's teams were made in the last
    EMERGENCY_NOTICE_DAYS (clients.emergency: the supervisor is told at once, in the app and
    by email); one query, for supervisors only."""
    if not viewer.is_supervisor:
        return 0
    since = timezone.now() - dt.timedelta(days=EMERGENCY_NOTICE_DAYS)
    return EmergencyAccess.objects.visible_to(viewer).filter(granted_at__gte=since).count()


def _teams_picture(
    scope: selectors.DashboardTeams, *, query: QueryDict, on: dt.date
) -> dict[str, Any]:
    team_ids = scope.shown_ids
    table = tables.dashboard_case_managers_of(scope, query)
    chart = selectors.open_flags_by_week(team_ids=team_ids, today=on)
    return {
        "rules": table.rules,
        "headers": _headers(scope, table),
        "summaries": [
            (summary, [summary.flags_by_rule.get(code, 0) for code, _ in table.rules])
            for summary in table.summaries
        ],
        "queue": selectors.review_queue(
            team_ids=team_ids, today=on, limit=selectors.REVIEW_QUEUE_LIMIT
        ),
        "chart": chart,
        "chart_data": chart.as_chart_data(),
        "queue_limit": selectors.REVIEW_QUEUE_LIMIT,
    }


def _headers(
    scope: selectors.DashboardTeams, table: tables.DashboardCaseManagers
) -> list[SortHeader]:
    """The headers of the case-manager table (its columns, workspace.tables), each a link that
    sorts by it (the team picked kept)."""
    headers = []
    for key, label, numeric in table.columns:
        current = key == table.column
        descending = table.descending
        # First click: numbers the largest first, words from A; then the other way round.
        reverse = (not descending) if current else numeric
        query = {"sort": f"-{key}" if reverse else key}
        if scope.selected is not None:
            query = {"team": str(scope.selected), **query}
        headers.append(
            SortHeader(
                label=label,
                href=f"?{urlencode(query)}",
                numeric=numeric,
                aria_sort=("descending" if descending else "ascending") if current else None,
                code=key.removeprefix(selectors.DASHBOARD_RULE_SORT_PREFIX)
                if key.startswith(selectors.DASHBOARD_RULE_SORT_PREFIX)
                else "",
            )
        )
    return headers
