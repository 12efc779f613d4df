"""Variance and regional-plan pages: gate (clients.access) → form (variance_forms) → service
(supervision.services) → redirect/render, in the style of referrals' views.

A variance is asked from the client page's compliance card (against an open flag:
``?flag=``) by whoever may write the enrollment; division administration decides it from the
queue (or its own page), and the enrollment is evaluated at once, so an approved variance's
flag leaves the caseload. Supervisors follow their teams' requests on the variance list.
Regions write their annual service-delivery plan here and submit it; administration approves
it or returns it with comments (Idaho CMH clinical case management standards 11 and 12).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import User
from casemgmt.service_forms import int_param, save_with_service
from clients.access import log_client_view, object_for_request
from clients.models import Enrollment
from supervision import selectors, services
from supervision.filters import VarianceFilter
from supervision.models import Flag, RegionalPlan, Variance
from supervision.variance_forms import (
    RegionalGoalFormSet,
    RegionalPlanCreateForm,
    RegionalPlanDecideForm,
    RegionalPlanForm,
    VarianceDecideForm,
    VarianceRequestForm,
    goal_rows,
)

VARIANCE_PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # every view here is login_required


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _administrator(request: HttpRequest) -> User:
    user = _actor(request)
    if not user.is_administrator:
        raise PermissionDenied("Only division administration decides variances.")
    return user


def _next_url(request: HttpRequest) -> str:
    """Where to go back after a decision made from the queue (its filters kept); only a path
    of this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Asking -----------------------------------------------------------------------------------


@login_required
def variance_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a variance on an enrollment the user may write: against one of its open flags
    (``?flag=`` picks it, and its standard) or a standard by name."""
    viewer = _actor(request)
    enrollment = object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program")
    )
    open_flags = list(Flag.objects.open().filter(enrollment=enrollment).order_by("due_on", "id"))
    flag = next((f for f in open_flags if f.pk == int_param(request, "flag")), None)
    initial: dict[str, Any] = {"flag": flag.pk, "rule": flag.rule} if flag else {}
    form = VarianceRequestForm(request.POST or None, flags=open_flags, initial=initial)
    variance = save_with_service(
        form, request, partial(services.variance_request, actor=viewer, enrollment=enrollment)
    )
    if variance is not None:
        messages.success(
            request,
            f"Variance requested: {variance.get_rule_display()}. Division administration "
            "will approve or deny it.",
        )
        return redirect("supervision:variance_detail", pk=variance.pk)
    today = timezone.localdate()
    return render(
        request,
        "supervision/variance_form.html",
        {
            "form": form,
            "enrollment": enrollment,
            "client": enrollment.client,
            "flag": flag,
            "explained": flag.explain(as_of=today) if flag else None,
        },
        status=_status(request),
    )


# --- Reading ----------------------------------------------------------------------------------


def _variance_for(request: HttpRequest, pk: int) -> Variance:
    variance = object_for_request(
        request, Variance, pk, select_related=selectors.VARIANCE_SELECT_RELATED
    )
    return variance


def _variance_page(
    request: HttpRequest,
    variance: Variance,
    *,
    template: str = "supervision/variance_detail.html",
    form: VarianceDecideForm | None = None,
) -> HttpResponse:
    viewer = _actor(request)
    log_client_view(request, variance.enrollment.client)
    can_decide = viewer.is_administrator and variance.status == Variance.Status.PENDING
    if form is None and can_decide:
        form = VarianceDecideForm(initial={"approved_due_on": variance.proposed_due_on})
    today = timezone.localdate()
    return render(
        request,
        template,
        {
            "variance": variance,
            "enrollment": variance.enrollment,
            "client": variance.enrollment.client,
            "explained": variance.flag.explain(as_of=today) if variance.flag else None,
            "can_decide": can_decide,
            "form": form,
            "next": _next_url(request),
        },
        status=_status(request),
    )


@login_required
def variance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One variance: the standard, the flag it was asked against, why, the dates, and the
    decision (or, for administrators, the form to make it)."""
    return _variance_page(request, _variance_for(request, pk))


@login_required
def variance_list(request: HttpRequest) -> HttpResponse:
    """The variances of the user's teams (every team for agency-wide roles), newest first,
    filterable by status, region, program and standard."""
    viewer = _actor(request)
    finder = VarianceFilter(request.GET, queryset=selectors.variances_visible(viewer=viewer))
    page = Paginator(finder.qs, VARIANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/variance_list.html",
        {
            "filter": finder,
            "page": page,
            "rows": selectors.variance_rows(page, today=timezone.localdate()),
            "page_query": _page_query(request),
        },
    )


# --- Deciding (division administration) -------------------------------------------------------


@login_required
def variance_queue(request: HttpRequest) -> HttpResponse:
    """Division administration's queue: pending variances, the longest waiting first, each
    with what it is about (client, program, team and region, standard, the flag's due date
    and days overdue, the reason, the proposed date) and a form to approve or deny it there.
    Filter by region, program and standard, or by status to see decided ones."""
    viewer = _administrator(request)
    finder = VarianceFilter(
        request.GET,
        queryset=selectors.variance_queue(viewer=viewer),
        default_status=Variance.Status.PENDING,
    )
    page = Paginator(finder.qs, VARIANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/variance_queue.html",
        {
            "filter": finder,
            "page": page,
            "rows": selectors.variance_rows(page, today=timezone.localdate()),
            "page_query": _page_query(request),
            "here": request.get_full_path(),
        },
    )


@login_required
def variance_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve (with the new due date) or deny (with the reason) one pending variance; from
    the queue, back to the queue. Only administrators: anyone else gets 403."""
    viewer = _administrator(request)
    variance = _variance_for(request, pk)
    if variance.status != Variance.Status.PENDING and request.method != "POST":
        messages.info(request, f"This variance is already {variance.get_status_display().lower()}.")
        return redirect("supervision:variance_detail", pk=variance.pk)
    form = VarianceDecideForm(
        request.POST or None, initial={"approved_due_on": variance.proposed_due_on}
    )
    decided = save_with_service(
        form, request, partial(services.variance_decide, actor=viewer, variance=variance)
    )
    if decided is not None:
        client = decided.enrollment.client
        if decided.status == Variance.Status.APPROVED:
            messages.success(
                request,
                f"Approved the variance for {client.display_name} until "
                f"{decided.approved_due_on:%Y-%m-%d}.",
            )
        else:
            messages.success(request, f"Denied the variance for {client.display_name}.")
        return redirect(_next_url(request) or reverse("supervision:variance_queue"))
    return _variance_page(request, variance, template="supervision/variance_decide.html", form=form)


# --- Regional service-delivery plans ----------------------------------------------------------


@login_required
def regional_plan_list(request: HttpRequest) -> HttpResponse:
    """Every region's plans, newest year first (everyone reads them)."""
    viewer = _actor(request)
    return render(
        request,
        "supervision/regional_plan_list.html",
        {
            "plans": selectors.regional_plans(viewer=viewer),
            "can_create": viewer.is_supervisor,
        },
    )


@login_required
def regional_plan_create(request: HttpRequest) -> HttpResponse:
    """Start the region's plan for a year: supervisors of a team in the region."""
    viewer = _actor(request)
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
        status=_status(request),
    )


def _plan_for(request: HttpRequest, pk: int, *, write: bool = False) -> RegionalPlan:
    return object_for_request(
        request,
        RegionalPlan,
        pk,
        write=write,
        select_related=("region", "prepared_by", "decided_by"),
    )


def _plan_page(
    request: HttpRequest,
    plan: RegionalPlan,
    *,
    errors: list[str] | None = None,
    decide_form: RegionalPlanDecideForm | None = None,
) -> HttpResponse:
    viewer = _actor(request)
    can_write = RegionalPlan.objects.writable_by(viewer).filter(pk=plan.pk).exists()
    editable = plan.status in services.REGIONAL_PLAN_EDITABLE
    can_decide = viewer.is_administrator and plan.status == RegionalPlan.Status.SUBMITTED
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
        status=_status(request),
    )


@login_required
def regional_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _plan_for(request, pk))


@login_required
def regional_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary and the goals (each with its measure and target date) of a draft or
    returned plan; goals are added and changed, not deleted."""
    viewer = _actor(request)
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
        status=_status(request),
    )


@login_required
@require_POST
def regional_plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the plan to division administration (it needs at least one goal)."""
    viewer = _actor(request)
    plan = _plan_for(request, pk, write=True)
    try:
        services.regional_plan_submit(actor=viewer, plan=plan)
    except ValidationError as error:
        return _plan_page(request, plan, errors=error.messages)
    messages.success(request, f"Submitted {plan} to division administration.")
    return redirect("supervision:regional_plan_detail", pk=plan.pk)


@login_required
@require_POST
def regional_plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a submitted plan, or return it with comments: administrators only."""
    viewer = _actor(request)
    if not viewer.is_administrator:
        raise PermissionDenied("Only division administration approves regional plans.")
    plan = _plan_for(request, pk)
    form = RegionalPlanDecideForm(request.POST)
    decided = save_with_service(
        form, request, partial(services.regional_plan_decide, actor=viewer, plan=plan)
    )
    if decided is None:
        return _plan_page(request, plan, decide_form=form)
    messages.success(request, f"{decided}: {decided.get_status_display().lower()}.")
    return redirect("supervision:regional_plan_detail", pk=plan.pk)
