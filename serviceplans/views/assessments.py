"""Web pages of the comprehensive assessment: start a draft, edit and complete it, read it,
add an addendum.

Gate (clients.access) → form → service (serviceplans.services) → redirect or render, with a
service's refusal shown on the form and a 400 for an invalid POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import add_service_errors
from clients.access import log_client_view, log_denied, object_for_request
from clients.models import Enrollment
from serviceplans import services
from serviceplans.forms.assessments import AssessmentAddendumForm, AssessmentForm
from serviceplans.models import Assessment, AssessmentAddendum

ASSESSMENT_RELATED = ("enrollment__client", "enrollment__program", "author")


@login_required
@require_POST
def assessment_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start a draft comprehensive assessment (a button on the client page) and open it."""
    enrollment = object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program")
    )
    try:
        assessment = services.assessment_start(actor=request.user, enrollment=enrollment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workspace:client", pk=enrollment.client_id)
    messages.success(request, f"Started the {assessment.get_kind_display().lower()} assessment.")
    return redirect("serviceplans:assessment_edit", pk=assessment.pk)


def _assessment_for_request(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> Assessment:
    return object_for_request(
        request, Assessment, pk, write=write, select_related=ASSESSMENT_RELATED
    )


@transaction.atomic
def _save_draft(viewer: User, assessment: Assessment, form: AssessmentForm) -> None:
    """Save the draft and, when the form completes it, complete it: both or neither."""
    services.assessment_save(
        actor=viewer,
        assessment=assessment,
        summary=form.cleaned_data["summary"],
        findings=form.findings_data(),
    )
    if form.completing:
        services.assessment_complete(
            actor=viewer, assessment=assessment, completed_on=form.cleaned_data["completed_on"]
        )


@login_required
def assessment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The author's draft: save it, or complete and lock it in one step. Completing saves the
    edits too, or, when the completion is refused, nothing at all."""
    viewer = request.user
    assessment = _assessment_for_request(request, pk, write=True)
    if assessment.is_locked:
        messages.info(request, "This assessment is completed and locked; add an addendum instead.")
        return redirect("serviceplans:assessment_detail", pk=assessment.pk)
    if assessment.author_id != viewer.pk:
        log_denied(request, Assessment, pk)
        raise PermissionDenied("Only the author edits a draft assessment.")
    completing = request.POST.get("action") == "complete"
    form = AssessmentForm(request.POST or None, assessment=assessment, completing=completing)
    if request.method == "POST" and form.is_valid():
        try:
            _save_draft(viewer, assessment, form)
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
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    addendum_form: AssessmentAddendumForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """The assessment's page; ``addendum_form`` is given back with its errors after a refused
    addendum, otherwise writers of a completed assessment get an empty one."""
    viewer = request.user
    can_write = Assessment.objects.writable_by(viewer).filter(pk=assessment.pk).exists()
    if addendum_form is None and assessment.is_locked and can_write:
        addendum_form = AssessmentAddendumForm()
    context = {
        "assessment": assessment,
        "client": assessment.enrollment.client,
        "findings": assessment.findings.all(),
        "addenda": AssessmentAddendum.objects.filter(assessment=assessment).select_related(
            "author"
        ),
        "addendum_form": addendum_form,
        "can_edit": not assessment.is_locked and assessment.author_id == viewer.pk and can_write,
    }
    return render(request, "serviceplans/assessment_detail.html", context, status=status)


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for_request(request, pk)
    log_client_view(request, assessment.enrollment.client)
    return _assessment_detail_page(request, assessment)


@login_required
@require_POST
def assessment_addendum(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A dated addendum to a completed assessment, from the form on its page."""
    assessment = _assessment_for_request(request, pk, write=True)
    form = AssessmentAddendumForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_add_addendum(
                actor=request.user,
                assessment=assessment,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Addendum added.")
            return redirect("serviceplans:assessment_detail", pk=assessment.pk)
    return _assessment_detail_page(request, assessment, form, status=400)
