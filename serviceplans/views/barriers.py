"""Pages of a draft plan's barriers to engagement and the strategy to reduce each. Only a
draft changes: the form page, the way back to the plan and the draft-only guard are the plan
pages' (serviceplans.views.plans).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import save_with_service
from clients.access import object_for_request
from serviceplans import services
from serviceplans.forms.barriers import BarrierForm
from serviceplans.models import Barrier
from serviceplans.views.plans import form_page, posted, to_plan, unless_draft, writable_plan


@login_required
def barrier_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = writable_plan(request, pk)
    if (back := unless_draft(request, plan)) is not None:
        return back
    form = BarrierForm(posted(request))
    saved = save_with_service(
        form, request, partial(services.barrier_add, actor=request.user, plan=plan)
    )
    if saved is not None:
        messages.success(request, "Barrier added.")
        return to_plan(plan.pk, "barriers")
    return form_page(
        request, form, title="Add a barrier to engagement", enrollment=plan.enrollment, plan=plan
    )


@login_required
def barrier_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    barrier = object_for_request(
        request,
        Barrier,
        pk,
        write=True,
        select_related=("plan__enrollment__client", "plan__enrollment__program"),
    )
    if (back := unless_draft(request, barrier.plan)) is not None:
        return back
    form = BarrierForm(posted(request), instance=barrier)
    saved = save_with_service(
        form, request, partial(services.barrier_update, actor=request.user, barrier=barrier)
    )
    if saved is not None:
        messages.success(request, "Barrier saved.")
        return to_plan(barrier.plan_id, "barriers")
    return form_page(
        request,
        form,
        title="Edit barrier to engagement",
        enrollment=barrier.plan.enrollment,
        plan=barrier.plan,
    )
