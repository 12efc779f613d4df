"""The client directory: find any client the user may read (issue 11)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import User
from casemgmt.http import AuthenticatedHttpRequest
from clients import selectors
from clients.emergency import clients_outside_scope_matching, may_request_emergency_access
from clients.forms.directory import ClientDirectoryFilter
from clients.views.searches import too_many_searches

CLIENT_LIST_PAGE_SIZE = 50


@login_required
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every client the user may read, former clients and clients never enrolled among them,
    found by name, record number, date of birth or phone and narrowed by program, status, team
    and case manager, each with their status; beside them, the user's recent clients.

    A search or filter the form refuses (a NUL character, a search over
    ``DIRECTORY_SEARCH_MAX_LENGTH`` characters, a team or case manager outside the user's
    scope) answers 400 with the form's reason and lists nobody. A constant number of queries
    whatever the number of clients.

    For a case manager or supervisor, a search that names one person exactly (a whole record
    number, a full name as registered: clients.emergency.exact_match) also counts the clients
    it matches outside their teams: the count only, with the way to request emergency access
    ("break the glass") when it is one, or to narrow the search when it is several."""
    viewer = request.user
    finder = ClientDirectoryFilter(request.GET, viewer=viewer)
    valid = finder.is_valid()
    if valid and finder.searching and (refused := too_many_searches(request)) is not None:
        return refused
    page = Paginator(
        finder.qs if valid else finder.queryset.none(), CLIENT_LIST_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": finder,
        "page": page,
        "rows": [
            {"client": client, "status": selectors.directory_status(client)} for client in page
        ]
        if valid
        else [],
        "page_query": query.urlencode(),
        "searching": finder.searching,
        "recent": [] if finder.searching else selectors.recent_clients(viewer=viewer),
        "outside_scope": _outside_scope_count(finder, viewer) if valid else None,
    }
    return render(request, "clients/client_list.html", context, status=200 if valid else 400)


def _outside_scope_count(finder: ClientDirectoryFilter, viewer: User) -> int | None:
    """How many clients outside the viewer's teams the search names exactly (one query), for
    those who may request emergency access; None when that is not asked."""
    search = finder.form.cleaned_data.get("q") or ""
    if not search or not may_request_emergency_access(viewer):
        return None
    return clients_outside_scope_matching(viewer=viewer, search=search).count()
