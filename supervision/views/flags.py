"""The flag list: where the navigation bar's count leads. Reads only (supervision.selectors),
in the style of the caseload and the referral list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from accounts.selectors import WorklistChoice
from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest, worklist_asked
from exports import http as exports_http
from supervision import tables
from supervision.rules import rule_choices

FLAG_LIST_PAGE_SIZE = 50


@login_required
def flag_list(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The viewer's open flags, grouped by rule, each explained (the standard, the due date,
    days overdue, what would satisfy it) with one click to the client: a case manager's own
    caseload; supervisors switch between their teams and case managers, administrators and
    QA reviewers pick any team (as on the caseload). ``?rule=`` narrows to one rule. Every
    flag of the filter (not only the page) is exported with ``?format=csv|xlsx``
    (supervision.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "supervision.flags")
    choice = worklist_asked(request)
    asked = tables.flags_asked(request.user, choice, request.GET)
    rule, flags = asked.rule, asked.flags
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
            "export_links": exports_http.export_links(request),
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
