"""The landing page and the caseload: each open enrollment with its last contact, its next
assessment's due date and its open compliance flags."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from accounts.models import User
from accounts.selectors import WorklistChoice
from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest, worklist_asked
from clients.models import Enrollment
from exports import http as exports_http
from exports.tables import InvalidQuery
from serviceplans.selectors import assessment_due_status
from supervision.selectors import rules_in_order
from workspace import selectors, tables

CASELOAD_PAGE_SIZE = 50


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The landing page: case managers are sent to My work (workspace:my_work: what they have
    to do today), supervisors to their dashboard (workspace:dashboard); administrators, who
    hold no caseload, get the caseload's team view; QA reviewers land on the
    record-review queue (quality:queue, issue 12: the fourth role's home)."""
    if request.user.is_case_manager:
        return redirect("workspace:my_work")
    if request.user.is_supervisor:
        return redirect("workspace:dashboard")
    if request.user.is_qa_reviewer:
        return redirect("quality:queue")
    return caseload(request)


def _rows(viewer: User, page: Page[Enrollment]) -> list[dict[str, Any]]:
    """What the table shows of each enrollment on the page."""
    today = dates.today()
    writable = set(
        Enrollment.objects.writable_by(viewer)
        .filter(pk__in=[e.pk for e in page])
        .values_list("pk", flat=True)
    )
    annotated: Any = page  # annotated by selectors.caseload_enrollments
    return [
        {
            "enrollment": e,
            "days_since_contact": selectors.days_since(e.last_contact_at, today=today),
            "assessment_due": assessment_due_status(e, today=today),
            "at_risk": e.at_risk,
            "flags": rules_in_order(e.open_flag_rules),
            "can_record": e.pk in writable,
        }
        for e in annotated
    ]


def _links(*, viewer: User, choice: WorklistChoice, search: str, sort: str) -> dict[str, Any]:
    """The links of the column headers and of the pages keep the filters (and the order)."""
    filters: dict[str, Any] = {"q": search} if search else {}
    if choice.case_manager_id is not None and not viewer.is_case_manager:
        filters["case_manager"] = choice.case_manager_id
    elif choice.team_id is not None:
        filters["team"] = choice.team_id
    default_sort = selectors.CASELOAD_SORT_LAST_CONTACT
    return {
        "default_sort": default_sort,
        "sort_urls": {
            name: "?" + urlencode(filters if name == default_sort else {**filters, "sort": name})
            for name in selectors.CASELOAD_SORTS
        },
        "page_query": urlencode(filters if sort == default_sort else {**filters, "sort": sort}),
    }


@login_required
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The caseload (case managers' landing page): open enrollments, longest without contact
    first, or by the next assessment's due date (``?sort=assessment_due``), with their open
    compliance flags.

    Case managers see their own caseload; supervisors switch between the case managers of
    their teams (or a whole team); administrators and QA reviewers pick any team. Every row
    of the filter (not only the page) is exported with ``?format=csv|xlsx`` (workspace.tables).
    """
    if exports_http.wants_file(request):
        return exports_http.export(request, "workspace.caseload")
    viewer = request.user
    choice = worklist_asked(request)
    try:
        enrollments = tables.caseload_of(viewer, choice, request.GET)
    except InvalidQuery as invalid:
        return HttpResponseBadRequest(" ".join(invalid.errors["q"]))
    search, sort = tables.caseload_search(request.GET), tables.caseload_sort(request.GET)
    page = Paginator(enrollments, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "rows": _rows(viewer, page),
        "page": page,
        "search": search,
        "sort": sort,
        **_links(viewer=viewer, choice=choice, search=search, sort=sort),
        "teams": choice.teams,
        "case_managers": choice.case_managers,
        "selected_case_manager": choice.case_manager_id,
        "selected_team": choice.team_id,
        "export_links": exports_http.export_links(request),
    }
    template = "workspace/_caseload_table.html" if request.htmx else "workspace/caseload.html"
    return render(request, template, context)
