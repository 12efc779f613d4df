"""Regional service-delivery plan pages: a region's supervisors write the annual plan (goals
and a timeline) and submit it; division administration approves it or returns it with
comments (Idaho CMH clinical case management standard 12). Everyone signed in reads them."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import is_active_administrator, require_administrator
from casemgmt.service_forms import save_with_service
from clients.access import object_for_request
from exports import http as exports_http
from supervision import selectors, services
from supervision.forms.regional_plans import (
    RegionalGoalFormSet,
    RegionalPlanCreateForm,
    RegionalPlanDecideForm,
    RegionalPlanForm,
    goal_rows,
)
from supervision.models import RegionalPlan


@login_required
def regional_plan_list(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every region's plans, newest year first (everyone reads them); exported with
    ``?format=csv|xlsx`` (supervision.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "supervision.regional_plans")
    viewer = request.user
    return render(
        request,
        "supervision/regional_plan_list.html",
        {
            "plans": selectors.regional_plans(viewer=viewer),
            "can_create": viewer.is_supervisor,
            "export_links": exports_http.export_links(request),
        },
    )


@login_required
def regional_plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start the region's plan for a year: supervisors of a team in the region."""
    viewer = request.user
    regions = selectors.regions_for_new_plan(viewer=viewer)
    if not viewer.is_supervisor or not regions.exists():
        raise PermissionDenied("Supervisors of a team in the region write its plan.")
    form = RegionalPlanCreateForm(request.POST or None, regions=regions)
    plan = save_with_service(form, request, partial(services.regional_plan_create, actor=viewer))
    if plan is not None:
        messages.success(request, f"Started {plan}. Add its goals and their timeline.")
        return redirect("supervision:regional_plan_edit", pk=plan.pk)
    return render(
        request,
        "supervision/regional_plan_form.html",
        {"form": form, "title": "New regional service-delivery plan", "plan": None},
        status=400 if request.method == "POST" else 200,
    )


def _plan_for(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> RegionalPlan:
    return object_for_request(
        request,
        RegionalPlan,
        pk,
        write=write,
        select_related=("region", "prepared_by", "decided_by"),
    )


def _plan_page(
    request: AuthenticatedHttpRequest,
    plan: RegionalPlan,
    *,
    errors: list[str] | None = None,
    decide_form: RegionalPlanDecideForm | None = None,
) -> HttpResponse:
    viewer = request.user
    can_write = RegionalPlan.objects.writable_by(viewer).filter(pk=plan.pk).exists()
    editable = plan.status in services.REGIONAL_PLAN_EDITABLE
    can_decide = is_active_administrator(viewer) and plan.status == RegionalPlan.Status.SUBMITTED
    if decide_form is None and can_decide:
        decide_form = RegionalPlanDecideForm()
    return render(
        request,
        "supervision/regional_plan_detail.html",
        {
            "plan": plan,
            "goals": list(plan.goals.all()),
            "can_edit": can_write and editable,
            "can_submit": can_write and editable,
            "can_decide": can_decide,
            "decide_form": decide_form,
            "errors": errors or [],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def regional_plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _plan_for(request, pk))


@login_required
def regional_plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The summary and the goals (each with its measure and target date) of a draft or
    returned plan; goals are added and changed, not deleted."""
    viewer = request.user
    plan = _plan_for(request, pk, write=True)
    if plan.status not in services.REGIONAL_PLAN_EDITABLE:
        messages.info(request, f"This plan is {plan.get_status_display().lower()}: not edited.")
        return redirect("supervision:regional_plan_detail", pk=plan.pk)
    goals = list(plan.goals.all())
    form = RegionalPlanForm(request.POST or None, initial={"summary": plan.summary})
    formset = RegionalGoalFormSet(
        request.POST or None,
        prefix="goals",
        initial=[
            {"goal_id": g.pk, "goal": g.goal, "measure": g.measure, "target_on": g.target_on}
            for g in goals
        ],
    )
    saved = None
    if request.method == "POST" and formset.is_valid():
        saved = save_with_service(
            form,
            request,
            partial(
                services.regional_plan_update, actor=viewer, plan=plan, goals=goal_rows(formset)
            ),
        )
    if saved is not None:
        messages.success(request, "Plan saved.")
        return redirect("supervision:regional_plan_detail", pk=plan.pk)
    return render(
        request,
        "supervision/regional_plan_form.html",
        {"form": form, "formset": formset, "title": f"Edit {plan}", "plan": plan},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def regional_plan_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Submit the plan to division administration (it needs at least one goal)."""
    viewer = request.user
    plan = _plan_for(request, pk, write=True)
    try:
        services.regional_plan_submit(actor=viewer, plan=plan)
    except ValidationError as error:
        return _plan_page(request, plan, errors=error.messages)
    messages.success(request, f"Submitted {plan} to division administration.")
    return redirect("supervision:regional_plan_detail", pk=plan.pk)


@login_required
@require_POST
def regional_plan_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Approve a submitted plan, or return it with comments: administrators only."""
    viewer = request.user
    require_administrator(viewer, to="approves regional plans")
    plan = _plan_for(request, pk)
    form = RegionalPlanDecideForm(request.POST)
    decided = save_with_service(
        form, request, partial(services.regional_plan_decide, actor=viewer, plan=plan)
    )
    if decided is None:
        return _plan_page(request, plan, decide_form=form)
    messages.success(request, f"{decided}: {decided.get_status_display().lower()}.")
    return redirect("supervision:regional_plan_detail", pk=plan.pk)
