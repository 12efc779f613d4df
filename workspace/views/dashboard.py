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
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from accounts.selectors import case_managers_of_teams
from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import supervises_team
from casemgmt.service_forms import int_param
from supervision import selectors

# The case-manager table's own columns: (sort key, header, numeric). Numbers sort the
# largest first on the first click (who has the most flags), words from A.
_COLUMNS = (
    ("name", "Case manager", False),
    ("team", "Team", False),
    ("caseload", "Caseload", True),
    ("at_risk", "Clients at risk", True),
)


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
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every team the supervisor supervises at once, or one (``?team=``): per team and case
    manager the caseload size, clients at risk and open flags by rule, sortable by each
    column (``?sort=``, "-" for the reverse; an unknown one gives the default order); the
    review queue (unreviewed positive risk screens first, then the most overdue); open flags
    by rule over the last 12 weeks. Administrators and QA reviewers see one team at a time,
    any team; case managers are refused (403)."""
    if request.user.is_case_manager:
        raise PermissionDenied("The dashboard is for supervisors, administrators and QA.")
    scope = selectors.dashboard_teams(viewer=request.user, team_id=int_param(request, "team"))
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
    }
    if scope.shown:
        context.update(_teams_picture(scope, sort=request.GET.get("sort"), on=context["today"]))
    return render(request, "workspace/dashboard.html", context)


def _teams_picture(
    scope: selectors.DashboardTeams, *, sort: str | None, on: dt.date
) -> dict[str, Any]:
    team_ids = scope.shown_ids
    summaries = selectors.dashboard_case_managers(
        team_ids=team_ids, case_managers=case_managers_of_teams(team_ids=frozenset(team_ids))
    )
    chart = selectors.open_flags_by_week(team_ids=team_ids, today=on)
    # Only the rules with an open flag in the teams get a column.
    rules = selectors.rules_in_order([code for s in summaries for code in s.flags_by_rule])
    column, descending = selectors.dashboard_sort_of(sort, rules=[code for code, _ in rules])
    if column == "team" and len(team_ids) == 1:
        column = "name"  # one team: its column is not shown, and the team order is by name
    summaries = selectors.dashboard_sorted(summaries, column=column, descending=descending)
    return {
        "rules": rules,
        "headers": _headers(scope, rules, column=column, descending=descending),
        "summaries": [
            (summary, [summary.flags_by_rule.get(code, 0) for code, _ in rules])
            for summary in summaries
        ],
        "queue": selectors.review_queue(
            team_ids=team_ids, today=on, limit=selectors.REVIEW_QUEUE_LIMIT
        ),
        "chart": chart,
        "chart_data": chart.as_chart_data(),
        "queue_limit": selectors.REVIEW_QUEUE_LIMIT,
    }


def _headers(
    scope: selectors.DashboardTeams,
    rules: list[tuple[str, str]],
    *,
    column: str,
    descending: bool,
) -> list[SortHeader]:
    """The headers of the case-manager table, each a link that sorts by it (the team
    picked kept); the team column only when several teams are shown."""
    columns = [c for c in _COLUMNS if c[0] != "team" or len(scope.shown) > 1]
    columns += [
        (f"{selectors.DASHBOARD_RULE_SORT_PREFIX}{code}", label, True) for code, label in rules
    ]
    columns.append(("open_flags", "Open flags", True))
    headers = []
    for key, label, numeric in columns:
        current = key == column
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
