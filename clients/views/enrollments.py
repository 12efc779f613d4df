"""Opening, editing, transferring and closing an enrollment (an episode of care)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from accounts.models import User
from accounts.selectors import case_managers_of_teams, team_ids_writable_by
from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest
from clients import services
from clients.access import log_denied, object_for_request
from clients.forms.enrollments import (
    EnrollmentCloseForm,
    EnrollmentEditForm,
    EnrollmentOpenForm,
    EnrollmentTransferForm,
)
from clients.models import Client, Enrollment
from clients.views.form_page import saved_or_form_page


def _assignable_case_managers(user: User) -> list[User]:
    """Whom the user may put an enrollment with: themself, or a supervisor's team members."""
    if user.is_case_manager:
        return [user]
    return list(case_managers_of_teams(team_ids=team_ids_writable_by(user)))


@login_required
def enrollment_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    client = object_for_request(request, Client, pk)
    case_managers = _assignable_case_managers(viewer)
    if not case_managers:
        log_denied(request, Client, pk)
        raise PermissionDenied("Only case managers and supervisors open enrollments.")
    # A client read under an emergency grant (clients.emergency) is read-only.
    if not Client.objects.in_scope_of(viewer).filter(pk=pk).exists():
        log_denied(request, Client, pk)
        raise PermissionDenied("This client is not in your teams.")
    form = EnrollmentOpenForm(
        request.POST or None,
        case_managers=case_managers,
        initial={
            "case_manager": case_managers[0] if viewer.is_case_manager else None,
            "application_date": today(),
        },
    )
    return saved_or_form_page(
        request,
        form,
        partial(services.enrollment_open, actor=viewer, client=client),
        client_id=client.pk,
        title=f"Open an enrollment for {client.display_name}",
        message="Opened {saved}.",
    )


def _writable_enrollment(request: AuthenticatedHttpRequest, pk: int) -> Enrollment:
    return object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program", "case_manager")
    )


@login_required
def enrollment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrollment = _writable_enrollment(request, pk)
    form = EnrollmentEditForm(request.POST or None, instance=enrollment)
    return saved_or_form_page(
        request,
        form,
        partial(services.enrollment_update, actor=request.user, enrollment=enrollment),
        client_id=enrollment.client_id,
        title=f"Edit {enrollment}",
        message="Enrollment saved.",
    )


def _own_team(user: User) -> frozenset[int]:
    return frozenset() if user.team_id is None else frozenset({user.team_id})


@login_required
def enrollment_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    enrollment = _writable_enrollment(request, pk)
    if viewer.is_supervisor:
        colleagues = _assignable_case_managers(viewer)
    else:
        colleagues = list(case_managers_of_teams(team_ids=_own_team(viewer)))
    form = EnrollmentTransferForm(
        request.POST or None,
        case_managers=[u for u in colleagues if u.pk != enrollment.case_manager_id],
    )
    return saved_or_form_page(
        request,
        form,
        partial(services.enrollment_transfer, actor=viewer, enrollment=enrollment),
        client_id=enrollment.client_id,
        title=f"Transfer {enrollment}",
        message="Transferred to {saved.case_manager}.",
    )


@login_required
def enrollment_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrollment = _writable_enrollment(request, pk)
    form = EnrollmentCloseForm(request.POST or None)
    return saved_or_form_page(
        request,
        form,
        partial(services.enrollment_close, actor=request.user, enrollment=enrollment),
        client_id=enrollment.client_id,
        title=f"Close {enrollment}",
        message="Closed {saved}.",
    )
