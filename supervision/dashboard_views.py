"""The supervisor's dashboard and the flag list: reads only (supervision.selectors), in the
style of clients.views.caseload and referrals.referral_views.referral_list.

The dashboard is the supervisor's landing page (CFP bulletin 18B-08: the clinical case
manager/supervisor reviews the team's caseloads and guides the case manager on crises); the
flag list is where the navigation bar's count leads.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import User
from accounts.selectors import WorklistChoice, worklist_choice
from casemgmt.service_forms import int_param
from supervision import selectors
from supervision.models import FlagRule

FLAG_LIST_PAGE_SIZE = 50


def _choice(request: HttpRequest, *, case_manager: bool) -> WorklistChoice:
    try:
        return worklist_choice(
            viewer=request.user,  # type: ignore[arg-type]
            team_id=int_param(request, "team"),
            case_manager_id=int_param(request, "case_manager") if case_manager else None,
        )
    except LookupError as missing:
        raise Http404(str(missing)) from missing


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One team at a time (``?team=``): per case manager the caseload size, clients at risk
    and open flags by rule; the review queue (unreviewed positive risk screens first, then the
    most overdue); open flags by rule over the last 12 weeks. Supervisors choose among the
    teams they supervise, administrators and QA reviewers any team; case managers are
    refused (403)."""
    viewer: User = request.user  # type: ignore[assignment]
    if viewer.is_case_manager:
        raise PermissionDenied("The dashboard is for supervisors, administrators and QA.")
    choice = _choice(request, case_manager=False)
    team = next((t for t in choice.teams if t.pk == choice.team_id), None)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "teams": choice.teams,
        "team": team,
        "selected_team": choice.team_id,
        "rules": [],
        "summaries": [],
        "queue": [],
        "chart": None,
        "today": today,
    }
    if team is not None:
        summaries = selectors.dashboard_case_managers(
            team_id=team.pk, case_managers=choice.case_managers
        )
        chart = selectors.open_flags_by_week(team_id=team.pk, today=today)
        # Only the rules with an open flag in the team get a column.
        rules = selectors.rules_in_order([code for s in summaries for code in s.flags_by_rule])
        context.update(
            rules=rules,
            summaries=[
                (summary, [summary.flags_by_rule.get(code, 0) for code, _ in rules])
                for summary in summaries
            ],
            queue=selectors.review_queue(
                team_id=team.pk, today=today, limit=selectors.REVIEW_QUEUE_LIMIT
            ),
            chart=chart,
            chart_data=chart.as_chart_data(),
            queue_limit=selectors.REVIEW_QUEUE_LIMIT,
        )
    return render(request, "supervision/dashboard.html", context)


@login_required
def flag_list(request: HttpRequest) -> HttpResponse:
    """The viewer's open flags, grouped by rule, each explained (the standard, the due date,
    days overdue, what would satisfy it) with one click to the client: a case manager's own
    caseload; supervisors switch between their teams and case managers, administrators and
    QA reviewers pick any team (as on the caseload). ``?rule=`` narrows to one rule."""
    viewer: User = request.user  # type: ignore[assignment]
    choice = _choice(request, case_manager=True)
    rule = request.GET.get("rule", "")
    if rule not in FlagRule.values:
        rule = ""
    flags = selectors.flags_for_worklist(
        viewer=viewer,
        case_manager_id=choice.case_manager_id,
        team_id=None if choice.case_manager_id is not None else choice.team_id,
        rule=rule or None,
    )
    page = Paginator(flags, FLAG_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for flag in page:
        explanation = flag.explain(as_of=today)
        rows.append(
            {"flag": flag, "explanation": explanation, "days_left": -explanation["days_overdue"]}
        )
    filters: dict[str, Any] = {"rule": rule} if rule else {}
    if choice.case_manager_id is not None and not viewer.is_case_manager:
        filters["case_manager"] = choice.case_manager_id
    elif choice.team_id is not None:
        filters["team"] = choice.team_id
    return render(
        request,
        "supervision/flag_list.html",
        {
            "rows": rows,
            "page": page,
            "page_query": urlencode(filters),
            "rule_choices": FlagRule.choices,
            "selected_rule": rule,
            "teams": choice.teams,
            "case_managers": choice.case_managers,
            "selected_case_manager": choice.case_manager_id,
            "selected_team": choice.team_id,
        },
    )
