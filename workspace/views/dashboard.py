"""The supervisor's dashboard: a team's picture, gathered from supervision's reads
(supervision.selectors: caseloads, flags, the review queue, the weekly chart) and the staff of
the team (accounts.selectors.worklist_choice).

It is the supervisor's landing page (CFP bulletin 18B-08: the clinical case
manager/supervisor reviews the team's caseloads and guides the case manager on crises).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import Team
from accounts.selectors import WorklistChoice, worklist_choice
from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import supervises_team
from casemgmt.service_forms import int_param
from supervision import selectors


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One team at a time (``?team=``): per case manager the caseload size, clients at risk
    and open flags by rule; the review queue (unreviewed positive risk screens first, then the
    most overdue); open flags by rule over the last 12 weeks. Supervisors choose among the
    teams they supervise, administrators and QA reviewers any team; case managers are
    refused (403)."""
    if request.user.is_case_manager:
        raise PermissionDenied("The dashboard is for supervisors, administrators and QA.")
    # No case manager is asked for, so the choice never refuses one.
    choice = worklist_choice(
        viewer=request.user, team_id=int_param(request, "team"), case_manager_id=None
    )
    team = next((t for t in choice.teams if t.pk == choice.team_id), None)
    context: dict[str, Any] = {
        "teams": choice.teams,
        "team": team,
        "selected_team": choice.team_id,
        "rules": [],
        "summaries": [],
        "queue": [],
        "chart": None,
        "today": today(),
        # The review queue's "Write supervision note" is for the team's supervisor only.
        "can_write_notes": team is not None and supervises_team(request.user, team.pk),
    }
    if team is not None:
        context.update(_team_picture(team, choice, on=context["today"]))
    return render(request, "workspace/dashboard.html", context)


def _team_picture(team: Team, choice: WorklistChoice, *, on: dt.date) -> dict[str, Any]:
    summaries = selectors.dashboard_case_managers(
        team_id=team.pk, case_managers=choice.case_managers
    )
    chart = selectors.open_flags_by_week(team_id=team.pk, today=on)
    # Only the rules with an open flag in the team get a column.
    rules = selectors.rules_in_order([code for s in summaries for code in s.flags_by_rule])
    return {
        "rules": rules,
        "summaries": [
            (summary, [summary.flags_by_rule.get(code, 0) for code, _ in rules])
            for summary in summaries
        ],
        "queue": selectors.review_queue(
            team_id=team.pk, today=on, limit=selectors.REVIEW_QUEUE_LIMIT
        ),
        "chart": chart,
        "chart_data": chart.as_chart_data(),
        "queue_limit": selectors.REVIEW_QUEUE_LIMIT,
    }
