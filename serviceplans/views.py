"""Web pages for the comprehensive assessment and the readiness/risk screen.

Like clients.views: gate (clients.access) → form → service (serviceplans.services) →
redirect or render, with a service's refusal shown on the form and a 400 for an invalid
POST. The service plan's pages are in ``plan_views.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from casemgmt.service_forms import add_service_errors
from clients.access import log_client_view, log_denied, object_for_request
from clients.models import Enrollment
from serviceplans import forms, services
from serviceplans.models import Assessment, AssessmentAddendum, RiskScreen

ASSESSMENT_RELATED = ("enrollment__client", "enrollment__program", "author")


def _writable_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    return object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program")
    )


def _can_write(user: User, model: type[Assessment] | type[RiskScreen], pk: int) -> bool:
    return model.objects.writable_by(user).filter(pk=pk).exists()


# --- Comprehensive assessment -----------------------------------------------------------------


@login_required
@require_POST
def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft comprehensive assessment (a button on the client page) and open it."""
    enrollment = _writable_enrollment(request, pk)
    try:
        assessment = services.assessment_start(actor=request.user, enrollment=enrollment)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clients:detail", pk=enrollment.client_id)
    messages.success(request, f"Started the {assessment.get_kind_display().lower()} assessment.")
    return redirect("serviceplans:assessment_edit", pk=assessment.pk)


def _assessment_for_request(request: HttpRequest, pk: int, *, write: bool = False) -> Assessment:
    return object_for_request(
        request, Assessment, pk, write=write, select_related=ASSESSMENT_RELATED
    )


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's draft: save it, or complete and lock it in one step. Completing saves the
    edits too, or, when the completion is refused, nothing at all."""
    viewer: User = request.user  # type: ignore[assignment]
    assessment = _assessment_for_request(request, pk, write=True)
    if assessment.is_locked:
        messages.info(request, "This assessment is completed and locked; add an addendum instead.")
        return redirect("serviceplans:assessment_detail", pk=assessment.pk)
    if assessment.author_id != viewer.pk:
        log_denied(request, Assessment, pk)
        raise PermissionDenied("Only the author edits a draft assessment.")
    completing = request.POST.get("action") == "complete"
    form = forms.AssessmentForm(request.POST or None, assessment=assessment, completing=completing)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.assessment_save(
                    actor=viewer,
                    assessment=assessment,
                    summary=form.cleaned_data["summary"],
                    findings=form.findings_data(),
                )
                if completing:
                    services.assessment_complete(
                        actor=viewer,
                        assessment=assessment,
                        completed_on=form.cleaned_data["completed_on"],
                    )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if completing:
                messages.success(request, "Assessment completed and locked.")
                return redirect("serviceplans:assessment_detail", pk=assessment.pk)
            messages.success(request, "Draft saved.")
            return redirect("serviceplans:assessment_edit", pk=assessment.pk)
    if request.method != "POST":
        log_client_view(request, assessment.enrollment.client)
    return render(
        request,
        "serviceplans/assessment_edit.html",
        {"assessment": assessment, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _assessment_detail_page(
    request: HttpRequest,
    assessment: Assessment,
    addendum_form: forms.AssessmentAddendumForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """The assessment's page; ``addendum_form`` is given back with its errors after a refused
    addendum, otherwise writers of a completed assessment get an empty one."""
    viewer: User = request.user  # type: ignore[assignment]
    if (
        addendum_form is None
        and assessment.is_locked
        and _can_write(viewer, Assessment, assessment.pk)
    ):
        addendum_form = forms.AssessmentAddendumForm()
    context = {
        "assessment": assessment,
        "client": assessment.enrollment.client,
        "findings": assessment.findings.all(),
        "addenda": AssessmentAddendum.objects.filter(assessment=assessment).select_related(
            "author"
        ),
        "addendum_form": addendum_form,
        "can_edit": not assessment.is_locked
        and assessment.author_id == viewer.pk
        and _can_write(viewer, Assessment, assessment.pk),
    }
    return render(request, "serviceplans/assessment_detail.html", context, status=status)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for_request(request, pk)
    log_client_view(request, assessment.enrollment.client)
    return _assessment_detail_page(request, assessment)


@login_required
@require_POST
def assessment_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    """A dated addendum to a completed assessment, from the form on its page."""
    assessment = _assessment_for_request(request, pk, write=True)
    form = forms.AssessmentAddendumForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_add_addendum(
                actor=request.user,  # type: ignore[arg-type]
                assessment=assessment,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Addendum added.")
            return redirect("serviceplans:assessment_detail", pk=assessment.pk)
    return _assessment_detail_page(request, assessment, form, status=400)


# --- Readiness, risk and adherence ------------------------------------------------------------


@login_required
def risk_screen_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a readiness, risk and adherence screen. A positive risk item alerts the team's
    supervisor at once (the service raises the alert); the message says so."""
    enrollment = _writable_enrollment(request, pk)
    form = forms.RiskScreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screen = services.risk_screen_record(
                actor=request.user,  # type: ignore[arg-type]
                enrollment=enrollment,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if screen.positive:
                messages.warning(
                    request,
                    f"Risk screen recorded: at risk ({', '.join(screen.positive_items)}). "
                    "The team's supervisor has been alerted.",
                )
            else:
                messages.success(request, "Risk screen recorded: no risk item positive.")
            return redirect("clients:detail", pk=enrollment.client_id)
    return render(
        request,
        "serviceplans/risk_screen_form.html",
        {"form": form, "enrollment": enrollment, "client": enrollment.client},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def risk_screen_detail(request: HttpRequest, pk: int) -> HttpResponse:
    screen = object_for_request(
        request,
        RiskScreen,
        pk,
        select_related=("enrollment__client", "enrollment__program", "author", "alert"),
    )
    log_client_view(request, screen.enrollment.client)
    return render(
        request,
        "serviceplans/risk_screen_detail.html",
        {
            "screen": screen,
            "client": screen.enrollment.client,
            # A reverse one-to-one: absent on a negative screen.
            "alert": getattr(screen, "alert", None),
        },
    )
