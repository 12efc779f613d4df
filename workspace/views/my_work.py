"""My work (``/my-work/``): everything a case manager has to do, overdue or due within
MY_WORK_WINDOW_DAYS, in one list soonest first (workspace.my_work). The case managers' landing
page; supervisors reach their own from the navigation and switch to any case manager of the
teams they supervise (``?case_manager=``; anyone else answers 404). Every item is exported
with ``?format=csv|xlsx`` (workspace.tables)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from casemgmt.http import AuthenticatedHttpRequest
from exports import http as exports_http
from serviceplans.due_dates import MY_WORK_WINDOW_DAYS
from workspace import my_work as selectors
from workspace import tables


@login_required
def my_work(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    if exports_http.wants_file(request):
        return exports_http.export(request, "workspace.my_work")
    viewer = request.user
    try:
        asked = tables.my_work_asked(viewer, request.GET)
    except LookupError as missing:
        raise Http404(str(missing)) from missing
    owner = asked.owner
    return render(
        request,
        "workspace/my_work.html",
        {
            "items": asked.items,
            "owner": owner.case_manager,
            "own": owner.case_manager.pk == viewer.pk,
            "choices": owner.choices,
            "today": asked.today,
            "until": selectors.my_work_until(asked.today),
            "window_days": MY_WORK_WINDOW_DAYS,
            "back_to": request.get_full_path(),
            "export_links": exports_http.export_links(request),
        },
    )
