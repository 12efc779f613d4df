"""Who read a client's record, and when (clients.selectors.accesses_of_client): for an
administrator answering a client's request for an accounting under HIPAA."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import is_active_administrator
from clients.access import log_client_view, object_for_request
from clients.models import Client
from clients.selectors import accesses_of_client

PAGE_SIZE = 50


@login_required
def client_accesses(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The access log of one client, newest first, 50 rows a page, and the emergency grants
    on the client with their reasons (clients.emergency). Administrators only; the
    page names the client, so opening it is itself a read of the record, and is logged."""
    if not is_active_administrator(request.user):
        raise PermissionDenied
    client = object_for_request(request, Client, pk)
    log_client_view(request, client)
    page = Paginator(accesses_of_client(client), PAGE_SIZE).get_page(request.GET.get("page"))
    # Emergency grants ("break the glass") stand apart, with the reason given for each.
    grants = client.emergency_accesses.select_related("user", "end").order_by("-granted_at")
    return render(
        request, "clients/accesses.html", {"client": client, "page": page, "grants": grants}
    )
