"""Service-plan pages: gate (clients.access) → form (plan_forms) → service
(serviceplans.services) → redirect/render, in the style of clients.views.

The plan page reads a plan version with everything in it (selectors.plan_with_contents, a
fixed number of queries); a draft is built on pages of its own (details, goals, objectives
and interventions, barriers), approved by a supervisor of the team, and once active it is
reviewed or a new version is started from it. The same plan prints cleanly (print.css) and
downloads as a PDF to sign (serviceplans.pdf).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import team_ids_writable_by
from casemgmt.service_forms import save_with_service
from clients.access import log_client_view, log_denied, object_for_request
from clients.models import Enrollment
from serviceplans import pdf, plan_forms, selectors, services
from serviceplans.models import Barrier, Goal, PlanAction, ServicePlan

FORM_TEMPLATE = "serviceplans/plan_form.html"


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # every view here is login_required


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (the start button posts no fields)."""
    return request.POST if request.method == "POST" else None


def _form_page(
    request: HttpRequest,
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
        else reverse("clients:detail", args=[enrollment.client_id])
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


def _to_plan(plan_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("serviceplans:plan_detail", args=[plan_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _unless_draft(request: HttpRequest, plan: ServicePlan) -> HttpResponse | None:
    """A page that changes a plan, opened on one that is no longer a draft, goes back to the
    plan with the reason. A POST goes on to the service, which refuses it with its message."""
    if plan.is_draft or request.method == "POST":
        return None
    messages.error(
        request,
        f"Version {plan.version} is {plan.get_status_display().lower()} and is never edited; "
        "start a new version from the active plan.",
    )
    return _to_plan(plan.pk)


def _may_approve(user: User, plan: ServicePlan) -> bool:
    """Whether to offer the approval: serviceplans.services.plan_approve decides."""
    return (
        plan.is_draft
        and user.is_supervisor
        and plan.author_id != user.pk
        and plan.enrollment.team_id in team_ids_writable_by(user)
    )


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
    can_write = (
        enrollment.is_open and ServicePlan.objects.writable_by(viewer).filter(pk=plan.pk).exists()
    )
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
            today=timezone.localdate(),
        ),
        "can_edit": can_write and plan.is_draft,
        "can_review": can_write and plan.status == ServicePlan.Status.ACTIVE,
        "can_start_version": can_write
        and plan.status == ServicePlan.Status.ACTIVE
        and draft is None,
        "may_approve": enrollment.is_open and _may_approve(viewer, plan),
    }


def _readable_plan(request: HttpRequest, pk: int) -> ServicePlan:
    gated = object_for_request(request, ServicePlan, pk)
    plan = selectors.plan_with_contents(
        gated.pk, plans=ServicePlan.objects.select_related("enrollment__case_manager", "previous")
    )
    log_client_view(request, plan.enrollment.client)
    return plan


# --- Plans ------------------------------------------------------------------------------------


@login_required
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft for an enrollment: the first version, or the next one copied from the
    active plan (which stays in force until the draft is approved)."""
    viewer: User = request.user  # type: ignore[assignment]
    enrollment = object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program")
    )
    form = plan_forms.PlanStartForm(_posted(request))
    plan = save_with_service(
        form, request, partial(services.plan_start, actor=viewer, enrollment=enrollment)
    )
    if plan is not None:
        assert isinstance(plan, ServicePlan)
        copied = f", copied from version {plan.version - 1}" if plan.previous_id else ""
        messages.success(request, f"Started version {plan.version} of the plan (draft{copied}).")
        return _to_plan(plan.pk)
    return _form_page(
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
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version of the plan, with everything in it, in a fixed number of queries."""
    viewer: User = request.user  # type: ignore[assignment]
    plan = _readable_plan(request, pk)
    return render(request, "serviceplans/plan_detail.html", _plan_context(viewer, plan))


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as a PDF to print and sign, named after the record number and version."""
    viewer: User = request.user  # type: ignore[assignment]
    plan = _readable_plan(request, pk)
    context = {**_plan_context(viewer, plan), "printed_on": timezone.localdate()}
    response = HttpResponse(
        pdf.html_to_pdf(pdf.plan_pdf_html(context)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{pdf.plan_pdf_filename(plan)}"'
    return response


def _writable_plan(request: HttpRequest, pk: int) -> ServicePlan:
    return object_for_request(
        request,
        ServicePlan,
        pk,
        write=True,
        select_related=("enrollment__client", "enrollment__program"),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's dates and who took part (the client, members of their family)."""
    plan = _writable_plan(request, pk)
    if (back := _unless_draft(request, plan)) is not None:
        return back
    form = plan_forms.PlanDetailsForm(_posted(request), instance=plan)
    saved = save_with_service(
        form, request, partial(services.plan_update, actor=_actor(request), plan=plan)
    )
    if saved is not None:
        messages.success(request, "Plan details saved.")
        return _to_plan(plan.pk)
    return _form_page(
        request,
        form,
        title=f"Plan details, version {plan.version}",
        enrollment=plan.enrollment,
        plan=plan,
    )


@login_required
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor of the team, other than the plan's author, approves a draft: it becomes
    the active plan and supersedes the one before it."""
    viewer: User = request.user  # type: ignore[assignment]
    plan = _writable_plan(request, pk)
    if not viewer.is_supervisor:
        log_denied(request, ServicePlan, pk)
        raise PermissionDenied("Only a supervisor of the client's team can approve this plan.")
    if plan.author_id == viewer.pk:
        log_denied(request, ServicePlan, pk)
        raise PermissionDenied("A plan is approved by a supervisor other than its author.")
    if not plan.is_draft and request.method != "POST":
        messages.error(request, "Only a draft plan can be approved.")
        return _to_plan(plan.pk)
    form = plan_forms.PlanApproveForm(
        _posted(request), initial={"approved_on": timezone.localdate()}
    )
    saved = save_with_service(
        form, request, partial(services.plan_approve, actor=viewer, plan=plan)
    )
    if saved is not None:
        messages.success(request, f"Approved: version {plan.version} is now the active plan.")
        return _to_plan(plan.pk)
    return _form_page(
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
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Review the active plan: progress on every goal (achieved goals are marked achieved)."""
    viewer: User = request.user  # type: ignore[assignment]
    plan = _writable_plan(request, pk)
    if plan.status != ServicePlan.Status.ACTIVE and request.method != "POST":
        messages.error(request, "Only the active plan is reviewed.")
        return _to_plan(plan.pk)
    form = plan_forms.PlanReviewForm(
        _posted(request),
        goals=list(plan.goals.all()),
        initial={"reviewed_on": timezone.localdate()},
    )
    saved = save_with_service(
        form, request, partial(services.plan_review_record, actor=viewer, plan=plan)
    )
    if saved is not None:
        messages.success(request, "Review recorded.")
        return _to_plan(plan.pk, "reviews")
    return _form_page(
        request,
        form,
        title=f"Review service plan version {plan.version}",
        enrollment=plan.enrollment,
        plan=plan,
        submit="Record review",
    )


# --- Goals, objectives and interventions, barriers --------------------------------------------


@login_required
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _writable_plan(request, pk)
    if (back := _unless_draft(request, plan)) is not None:
        return back
    form = plan_forms.GoalForm(_posted(request))
    goal = save_with_service(
        form, request, partial(services.goal_add, actor=_actor(request), plan=plan)
    )
    if goal is not None:
        messages.success(request, "Goal added. Now add its objectives and interventions.")
        return _to_plan(plan.pk, f"goal-{goal.pk}")
    return _form_page(request, form, title="Add a goal", enrollment=plan.enrollment, plan=plan)


def _writable_goal(request: HttpRequest, pk: int) -> Goal:
    return object_for_request(
        request,
        Goal,
        pk,
        write=True,
        select_related=("plan__enrollment__client", "plan__enrollment__program"),
    )


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _writable_goal(request, pk)
    if (back := _unless_draft(request, goal.plan)) is not None:
        return back
    form = plan_forms.GoalEditForm(_posted(request), instance=goal)
    saved = save_with_service(
        form, request, partial(services.goal_update, actor=_actor(request), goal=goal)
    )
    if saved is not None:
        messages.success(request, "Goal saved.")
        return _to_plan(goal.plan_id, f"goal-{goal.pk}")
    return _form_page(
        request, form, title="Edit goal", enrollment=goal.plan.enrollment, plan=goal.plan
    )


@login_required
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An objective or intervention under a goal: who, what, when, where, why."""
    goal = _writable_goal(request, pk)
    if (back := _unless_draft(request, goal.plan)) is not None:
        return back
    form = plan_forms.PlanActionForm(
        _posted(request),
        initial={"kind": PlanAction.Kind.INTERVENTION, "due_date": goal.target_date},
    )
    saved = save_with_service(
        form, request, partial(services.action_add, actor=_actor(request), goal=goal)
    )
    if saved is not None:
        messages.success(request, "Added to the goal.")
        return _to_plan(goal.plan_id, f"goal-{goal.pk}")
    return _form_page(
        request,
        form,
        title=f"Add an objective or intervention to “{goal}”",
        enrollment=goal.plan.enrollment,
        plan=goal.plan,
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = object_for_request(
        request,
        PlanAction,
        pk,
        write=True,
        select_related=("goal__plan__enrollment__client", "goal__plan__enrollment__program"),
    )
    plan = action.goal.plan
    if (back := _unless_draft(request, plan)) is not None:
        return back
    form = plan_forms.PlanActionForm(_posted(request), instance=action)
    saved = save_with_service(
        form, request, partial(services.action_update, actor=_actor(request), action=action)
    )
    if saved is not None:
        messages.success(request, "Saved.")
        return _to_plan(plan.pk, f"goal-{action.goal_id}")
    return _form_page(
        request,
        form,
        title=f"Edit {action.get_kind_display().lower()} of “{action.goal}”",
        enrollment=plan.enrollment,
        plan=plan,
    )


@login_required
def barrier_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _writable_plan(request, pk)
    if (back := _unless_draft(request, plan)) is not None:
        return back
    form = plan_forms.BarrierForm(_posted(request))
    saved = save_with_service(
        form, request, partial(services.barrier_add, actor=_actor(request), plan=plan)
    )
    if saved is not None:
        messages.success(request, "Barrier added.")
        return _to_plan(plan.pk, "barriers")
    return _form_page(
        request, form, title="Add a barrier to engagement", enrollment=plan.enrollment, plan=plan
    )


@login_required
def barrier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = object_for_request(
        request,
        Barrier,
        pk,
        write=True,
        select_related=("plan__enrollment__client", "plan__enrollment__program"),
    )
    if (back := _unless_draft(request, barrier.plan)) is not None:
        return back
    form = plan_forms.BarrierForm(_posted(request), instance=barrier)
    saved = save_with_service(
        form, request, partial(services.barrier_update, actor=_actor(request), barrier=barrier)
    )
    if saved is not None:
        messages.success(request, "Barrier saved.")
        return _to_plan(barrier.plan_id, "barriers")
    return _form_page(
        request,
        form,
        title="Edit barrier to engagement",
        enrollment=barrier.plan.enrollment,
        plan=barrier.plan,
    )
