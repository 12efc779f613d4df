"""Service-plan pages: gate (clients.access) → form (serviceplans.forms.plans) → service
(serviceplans.services) → redirect/render.

The plan page reads a plan version with everything in it (selectors.plan_with_contents, a
fixed number of queries); a draft is built on pages of its own (its details here, goals with
their objectives and interventions in ``goals``, barriers in ``barriers``), approved by a
supervisor of the team, and once active it is reviewed or a new version is started from it.
The same plan prints cleanly (print.css) and downloads as a PDF to sign (serviceplans.pdf).
The form page, the way back to the plan and the draft-only guard are shared with ``goals``
and ``barriers``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import User
from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import save_with_service
from clients.access import log_client_view, log_denied, object_for_request
from clients.models import Enrollment
from serviceplans import pdf, selectors, services
from serviceplans.forms.plans import (
    PlanApproveForm,
    PlanDetailsForm,
    PlanReviewForm,
    PlanStartForm,
)
from serviceplans.models import ServicePlan

FORM_TEMPLATE = "serviceplans/plan_form.html"


def posted(request: AuthenticatedHttpRequest) -> Any:
    """The form data of a POST, even an empty one (the start button posts no fields)."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: AuthenticatedHttpRequest,
    form: BaseForm,
    *,
    title: str,
    enrollment: Enrollment,
    plan: ServicePlan | None = None,
    intro: str = "",
    submit: str = "Save",
) -> HttpResponse:
    cancel_url = (
        reverse("serviceplans:plan_detail", args=[plan.pk])
        if plan is not None
        else reverse("workspace:client", args=[enrollment.client_id])
    )
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": title,
            "enrollment": enrollment,
            "plan": plan,
            "intro": intro,
            "submit": submit,
            "cancel_url": cancel_url,
        },
        status=400 if request.method == "POST" else 200,
    )


def to_plan(plan_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("serviceplans:plan_detail", args=[plan_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def unless_draft(request: AuthenticatedHttpRequest, plan: ServicePlan) -> HttpResponse | None:
    """A page that changes a plan, opened on one that is no longer a draft, goes back to the
    plan with the reason. A POST goes on to the service, which refuses it with its message."""
    if plan.is_draft or request.method == "POST":
        return None
    messages.error(
        request,
        f"Version {plan.version} is {plan.get_status_display().lower()} and is never edited; "
        "start a new version from the active plan.",
    )
    return to_plan(plan.pk)


def _plan_context(viewer: User, plan: ServicePlan) -> dict[str, Any]:
    """What the plan page and the PDF show of a plan read with plan_with_contents."""
    enrollment = plan.enrollment
    reviews = list(plan.reviews.all())  # newest first
    versions = list(
        ServicePlan.objects.filter(enrollment_id=enrollment.pk)
        .only("pk", "version", "status", "start_date", "approved_on", "enrollment_id")
        .order_by("-version")
    )
    draft = next((v for v in versions if v.is_draft), None)
    return {
        "plan": plan,
        "enrollment": enrollment,
        "client": enrollment.client,
        "goals": list(plan.goals.all()),
        "barriers": list(plan.barriers.all()),
        "family_participants": list(plan.family_participants.all()),
        "reviews": reviews,
        "versions": versions,
        "draft": draft,
        "review_due": selectors.plan_review_due_status(
            plan,
            last_reviewed_on=reviews[0].reviewed_on if reviews else None,
            today=today(),
        ),
        **_plan_buttons(viewer, plan, has_draft=draft is not None),
    }


def _plan_buttons(viewer: User, plan: ServicePlan, *, has_draft: bool) -> dict[str, bool]:
    """Which of the plan page's buttons to offer: exactly what the services would accept."""
    if not plan.enrollment.is_open:
        return dict.fromkeys(("can_edit", "can_review", "can_start_version", "may_approve"), False)
    can_write = ServicePlan.objects.writable_by(viewer).filter(pk=plan.pk).exists()
    is_active = plan.status == ServicePlan.Status.ACTIVE
    return {
        "can_edit": can_write and plan.is_draft,
        "can_review": can_write and is_active,
        "can_start_version": can_write and is_active and not has_draft,
        "may_approve": plan.is_draft
        and services.plan_approver_refusal(actor=viewer, plan=plan) is None,
    }


def _readable_plan(request: AuthenticatedHttpRequest, pk: int) -> ServicePlan:
    gated = object_for_request(request, ServicePlan, pk)
    plan = selectors.plan_with_contents(
        gated.pk, plans=ServicePlan.objects.select_related("enrollment__case_manager", "previous")
    )
    log_client_view(request, plan.enrollment.client)
    return plan


# --- Plans ------------------------------------------------------------------------------------


@login_required
def plan_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start a draft for an enrollment: the first version, or the next one copied from the
    active plan (which stays in force until the draft is approved)."""
    enrollment = object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program")
    )
    form = PlanStartForm(posted(request))
    plan = save_with_service(
        form, request, partial(services.plan_start, actor=request.user, enrollment=enrollment)
    )
    if plan is not None:
        assert isinstance(plan, ServicePlan)
        copied = f", copied from version {plan.version - 1}" if plan.previous_id else ""
        messages.success(request, f"Started version {plan.version} of the plan (draft{copied}).")
        return to_plan(plan.pk)
    return form_page(
        request,
        form,
        title=f"Start a service plan: {enrollment.program.name}",
        enrollment=enrollment,
        intro="When the enrollment has an active plan, the new draft copies its active goals "
        "with their objectives and interventions, and its unresolved barriers. The active "
        "plan stays in force until a supervisor approves the draft.",
        submit="Start plan",
    )


@login_required
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One version of the plan, with everything in it, in a fixed number of queries."""
    plan = _readable_plan(request, pk)
    return render(request, "serviceplans/plan_detail.html", _plan_context(request.user, plan))


@login_required
def plan_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The plan as a PDF to print and sign, named after the record number and version."""
    plan = _readable_plan(request, pk)
    context = {**_plan_context(request.user, plan), "printed_on": today()}
    response = HttpResponse(
        pdf.html_to_pdf(pdf.plan_pdf_html(context)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{pdf.plan_pdf_filename(plan)}"'
    return response


def writable_plan(request: AuthenticatedHttpRequest, pk: int) -> ServicePlan:
    return object_for_request(
        request,
        ServicePlan,
        pk,
        write=True,
        select_related=("enrollment__client", "enrollment__program"),
    )


@login_required
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A draft's dates and who took part (the client, members of their family)."""
    plan = writable_plan(request, pk)
    if (back := unless_draft(request, plan)) is not None:
        return back
    form = PlanDetailsForm(posted(request), instance=plan)
    saved = save_with_service(
        form, request, partial(services.plan_update, actor=request.user, plan=plan)
    )
    if saved is not None:
        messages.success(request, "Plan details saved.")
        return to_plan(plan.pk)
    return form_page(
        request,
        form,
        title=f"Plan details, version {plan.version}",
        enrollment=plan.enrollment,
        plan=plan,
    )


@login_required
def plan_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A supervisor of the team, other than the plan's author, approves a draft: it becomes
    the active plan and supersedes the one before it."""
    plan = writable_plan(request, pk)
    if (refusal := services.plan_approver_refusal(actor=request.user, plan=plan)) is not None:
        log_denied(request, ServicePlan, pk)
        raise PermissionDenied(refusal)
    if not plan.is_draft and request.method != "POST":
        messages.error(request, "Only a draft plan can be approved.")
        return to_plan(plan.pk)
    form = PlanApproveForm(posted(request), initial={"approved_on": today()})
    saved = save_with_service(
        form, request, partial(services.plan_approve, actor=request.user, plan=plan)
    )
    if saved is not None:
        messages.success(request, f"Approved: version {plan.version} is now the active plan.")
        return to_plan(plan.pk)
    return form_page(
        request,
        form,
        title=f"Approve service plan version {plan.version}",
        enrollment=plan.enrollment,
        plan=plan,
        intro="A plan is approved when it has at least one goal, every goal has an objective "
        "or intervention, and the client's signature and the date the rationale of case "
        "management was explained to them are recorded. Approving makes this version the "
        "active plan; the version it replaces is superseded.",
        submit="Approve plan",
    )


@login_required
def plan_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Review the active plan: progress on every goal (achieved goals are marked achieved)."""
    plan = writable_plan(request, pk)
    if plan.status != ServicePlan.Status.ACTIVE and request.method != "POST":
        messages.error(request, "Only the active plan is reviewed.")
        return to_plan(plan.pk)
    form = PlanReviewForm(
        posted(request), goals=list(plan.goals.all()), initial={"reviewed_on": today()}
    )
    saved = save_with_service(
        form, request, partial(services.plan_review_record, actor=request.user, plan=plan)
    )
    if saved is not None:
        messages.success(request, "Review recorded.")
        return to_plan(plan.pk, "reviews")
    return form_page(
        request,
        form,
        title=f"Review service plan version {plan.version}",
        enrollment=plan.enrollment,
        plan=plan,
        submit="Record review",
    )
