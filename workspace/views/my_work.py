"""My work (``/my-work/``): everything a case manager has to do, overdue or due within
MY_WORK_WINDOW_DAYS, in one list soonest first (workspace.my_work). The case managers' landing
page; supervisors reach their own from the navigation and switch to any case manager of the
teams they supervise (``?case_manager=``; anyone else answers 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import int_param
from serviceplans.due_dates import MY_WORK_WINDOW_DAYS
from workspace import my_work as selectors


@login_required
def my_work(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = request.user
    try:
        owner = selectors.my_work_owner(
            viewer=viewer, case_manager_id=int_param(request, "case_manager")
        )
    except LookupError as missing:
        raise Http404(str(missing)) from missing
    today = dates.today()
    items = selectors.my_work_items(viewer=viewer, case_manager=owner.case_manager, today=today)
    return render(
        request,
        "workspace/my_work.html",
        {
            "items": items,
            "owner": owner.case_manager,
            "own": owner.case_manager.pk == viewer.pk,
            "choices": owner.choices,
            "today": today,
            "until": selectors.my_work_until(today),
            "window_days": MY_WORK_WINDOW_DAYS,
            "back_to": request.get_full_path(),
        },
    )
