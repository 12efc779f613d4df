"""The flag list: where the navigation bar's count leads. Reads only (supervision.selectors),
in the style of the caseload and the referral list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from accounts.selectors import WorklistChoice
from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest, worklist_asked
from supervision import selectors
from supervision.rules import is_registered, rule_choices

FLAG_LIST_PAGE_SIZE = 50


@login_required
def flag_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The viewer's open flags, grouped by rule, each explained (the standard, the due date,
    days overdue, what would satisfy it) with one click to the client: a case manager's own
    caseload; supervisors switch between their teams and case managers, administrators and
    QA reviewers pick any team (as on the caseload). ``?rule=`` narrows to one rule."""
    choice = worklist_asked(request)
    rule = request.GET.get("rule", "")
    if not is_registered(rule):
        rule = ""
    flags = selectors.flags_for_worklist(
        viewer=request.user,
        case_manager_id=choice.case_manager_id,
        team_id=None if choice.case_manager_id is not None else choice.team_id,
        rule=rule or None,
    )
    page = Paginator(flags, FLAG_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    as_of = today()
    rows = []
    for flag in page:
        explanation = flag.explain(as_of=as_of)
        rows.append(
            {"flag": flag, "explanation": explanation, "days_left": -explanation["days_overdue"]}
        )
    return render(
        request,
        "supervision/flag_list.html",
        {
            "rows": rows,
            "page": page,
            "page_query": urlencode(_filters(request, choice, rule)),
            "rule_choices": rule_choices(),
            "selected_rule": rule,
            "teams": choice.teams,
            "case_managers": choice.case_managers,
            "selected_case_manager": choice.case_manager_id,
            "selected_team": choice.team_id,
        },
    )


def _filters(
    request: AuthenticatedHttpRequest, choice: WorklistChoice, rule: str
) -> dict[str, Any]:
    """The list's filters, kept in the page links."""
    filters: dict[str, Any] = {"rule": rule} if rule else {}
    if choice.case_manager_id is not None and not request.user.is_case_manager:
        filters["case_manager"] = choice.case_manager_id
    elif choice.team_id is not None:
        filters["team"] = choice.team_id
    return filters
