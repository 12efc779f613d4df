"""Emergency access ("break the glass", clients.emergency): the request, which opens one
client outside the person's teams read-only once they have said why, and the list of grants
that supervisors and administrators review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import add_service_errors
from clients.access import client_ip
from clients.emergency import (
    clients_outside_scope_matching,
    emergency_access_grant,
    may_request_emergency_access,
)
from clients.forms.emergency import EmergencyAccessForm
from clients.models import Client, EmergencyAccess
from clients.views.searches import too_many_searches

GRANTS_PAGE_SIZE = 50


def _one_match_error(found: int) -> str | None:
    """Why the search cannot open a client: it names none, or several (never which)."""
    if found == 0:
        return (
            "No client outside your teams has exactly this name, record number or number. "
            "Check the spelling, or search by record number."
        )
    if found > 1:
        return (
            "Several clients outside your teams match: add the date of birth after the name "
            "(Maria Lopez 1985-04-12), or search by record number."
        )
    return None


@login_required
def emergency_access_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for emergency access to the one client a search names outside the person's teams
    (``?q=`` from the client directory, which showed only how many match). Nothing that
    identifies the client is shown here either: the page repeats the count, and the record
    opens, read-only for 12 hours, only after a kind of emergency and a reason are given and
    the search matches exactly one client (clients.emergency explains the design). Each
    look-up counts against the search rate limit. Administrators and QA reviewers, who read
    every client, are refused (403)."""
    viewer = request.user
    if not may_request_emergency_access(viewer):
        raise PermissionDenied("You read every client already.")
    form = EmergencyAccessForm(request.POST or None, initial={"q": request.GET.get("q", "")})
    search = (request.POST if form.is_bound else request.GET).get("q", "").strip()
    if search and (refused := too_many_searches(request)) is not None:
        return refused
    matching = clients_outside_scope_matching(viewer=viewer, search=search)
    if form.is_bound and form.is_valid():
        found = list(matching.values_list("pk", flat=True)[:2])
        problem = _one_match_error(len(found))
        if problem is not None:
            form.add_error("q", problem)
        else:
            try:
                emergency_access_grant(
                    user=viewer,
                    client=Client.objects.get(pk=found[0]),
                    category=form.cleaned_data["category"],
                    reason=form.cleaned_data["reason"],
                    path=request.get_full_path(),
                    ip_address=client_ip(request),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.warning(request, "Emergency access granted: read-only, for 12 hours.")
                return redirect("workspace:client", pk=found[0])
    context = {
        "form": form,
        "search": search,
        "found": matching.count() if search and not form.is_bound else None,
        "back_url": reverse("clients:client_list")
        + (f"?{urlencode({'q': search})}" if search else ""),
    }
    return render(
        request, "clients/emergency_access.html", context, status=400 if form.is_bound else 200
    )


@login_required
def emergency_accesses(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The emergency grants to review, newest first, 50 a page: a supervisor's are those on
    clients of their teams (whose supervisors were told), an administrator's every one
    (EmergencyAccess.objects.visible_to). Each shows who, when, until when (or when it
    ended), the kind of emergency and the reason; the client's page is linked where the
    viewer may read it. Case managers and QA reviewers are refused (403). A constant number
    of queries whatever the number of grants."""
    viewer = request.user
    if not (viewer.is_supervisor or viewer.is_administrator):
        raise PermissionDenied("Supervisors and administrators review emergency access.")
    readable = Client.objects.visible_to(viewer).filter(pk=OuterRef("client_id"))
    grants = (
        EmergencyAccess.objects.visible_to(viewer)
        .select_related("user", "client", "end")
        .annotate(client_readable=Exists(readable))
        .order_by("-granted_at", "-id")
    )
    page = Paginator(grants, GRANTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clients/emergency_accesses.html", {"page": page, "now": timezone.now()})
