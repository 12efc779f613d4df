"""Planned visits: plan (from the client page or the schedule), edit, cancel, mark missed.

gate (clients.access) → form (scheduling.forms) → service (scheduling.services) → redirect.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import require_clinical_writer
from casemgmt.service_forms import add_service_errors, int_param, save_with_service
from clients.access import log_denied, object_for_request
from clients.models import Client, Enrollment
from scheduling import selectors, services
from scheduling.forms import MarkMissedForm, VisitForm, VisitPlanForm
from scheduling.models import PlannedVisit


def _status(request: AuthenticatedHttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _back_to(request: AuthenticatedHttpRequest, visit: PlannedVisit) -> str:
    """Back where the user came from (``?next=``, a path of this site), else the visit's week."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    day = timezone.localdate(visit.scheduled_start)
    week = selectors.iso_week(selectors.week_start(day))
    return f"{reverse('scheduling:schedule')}?week={week}"


@login_required
def visit_plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plan a visit: for one client (``?client=``, from the client page) or any client of the
    user's open caseload (from the schedule)."""
    viewer = request.user
    require_clinical_writer(viewer, to="plan visits")
    enrollments = Enrollment.objects.writable_by(viewer).open().select_related("client", "program")
    client = None
    client_id = int_param(request, "client")
    if client_id is not None:
        client = object_for_request(request, Client, client_id)
        enrollments = enrollments.filter(client=client)
        if not enrollments.exists():
            log_denied(request, Client, client_id)
            raise PermissionDenied("This client has no open enrollment on your caseload.")
    else:
        enrollments = enrollments.order_by("client__last_name", "client__first_name", "id")
    form = VisitPlanForm(
        request.POST or None,
        enrollments=enrollments,
        initial={"enrollment": int_param(request, "enrollment")},
    )
    visit = save_with_service(form, request, partial(services.visit_plan, actor=viewer))
    if visit is not None:
        messages.success(request, f"{visit.get_contact_type_display()} planned.")
        return redirect(_back_to(request, visit))
    return render(
        request,
        "scheduling/visit_form.html",
        {"form": form, "client": client, "title": "Plan a visit"},
        status=_status(request),
    )


@login_required
def visit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Reschedule or change a planned visit (while it is planned)."""
    visit = object_for_request(
        request, PlannedVisit, pk, write=True, select_related=("enrollment__client",)
    )
    form = VisitForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            visit = services.visit_update(actor=request.user, visit=visit, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Visit changed.")
            return redirect(_back_to(request, visit))
    return render(
        request,
        "scheduling/visit_form.html",
        {"form": form, "client": visit.enrollment.client, "visit": visit, "title": "Change visit"},
        status=_status(request),
    )


@login_required
def visit_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cancel a planned visit, after a confirmation (GET shows it, POST does it)."""
    visit = object_for_request(
        request, PlannedVisit, pk, write=True, select_related=("enrollment__client",)
    )
    error = ""
    if request.method == "POST":
        try:
            services.visit_cancel(actor=request.user, visit=visit)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, "Visit cancelled.")
            return redirect(_back_to(request, visit))
    return render(
        request,
        "scheduling/visit_confirm.html",
        {"visit": visit, "action": "cancel", "error": error},
        status=400 if error else 200,
    )


@login_required
def visit_mark_missed(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark a visit missed, after a confirmation: an attempted contact is recorded with it."""
    visit = object_for_request(
        request, PlannedVisit, pk, write=True, select_related=("enrollment__client",)
    )
    form = MarkMissedForm(request.POST or None)
    done = save_with_service(
        form, request, partial(services.visit_mark_missed, actor=request.user, visit=visit)
    )
    if done is not None:
        messages.success(request, "Visit marked missed; an attempted contact was recorded.")
        return redirect(_back_to(request, visit))
    return render(
        request,
        "scheduling/visit_confirm.html",
        {"visit": visit, "action": "missed", "form": form},
        status=_status(request),
    )
