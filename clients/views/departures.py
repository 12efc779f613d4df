"""Deactivating a member of staff who leaves, and moving their caseload (clients.departures)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from accounts.models import User
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import is_active_administrator
from casemgmt.service_forms import save_with_service
from clients.departures import open_caseload_of, staff_depart
from clients.forms.departures import StaffDepartureForm
from clients.views.form_page import form_page


@login_required
def staff_departure(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An administrator deactivates ``pk`` (sessions end, calendar feed revoked) and moves
    their open caseload to a case manager they choose."""
    if not is_active_administrator(request.user):
        raise PermissionDenied
    leaving = get_object_or_404(User, pk=pk, is_active=True)
    form = StaffDepartureForm(request.POST or None, leaving=leaving)
    moved = save_with_service(
        form, request, partial(staff_depart, actor=request.user, user=leaving)
    )
    if moved is not None:
        messages.success(
            request, f"{leaving.get_full_name()} is deactivated; {moved} open enrollments moved."
        )
        return redirect("admin:accounts_user_changelist")
    return form_page(
        request,
        form,
        title=f"Deactivate {leaving.get_full_name() or leaving.username}",
        cancel_url=reverse("admin:accounts_user_change", args=[leaving.pk]),
        lead=(
            f"They are the case manager of {open_caseload_of(leaving)} open enrollments. "
            "Their sessions end and their calendar feed stops at once."
        ),
        submit_label="Deactivate",
    )
