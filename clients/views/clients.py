"""Registering a client (intake) and editing the client record."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import require_clinical_writer
from casemgmt.service_forms import save_with_service
from clients import selectors, services
from clients.access import object_for_request
from clients.forms.clients import ClientEditForm, ClientForm, DuplicateSearchForm
from clients.models import Client
from clients.views.form_page import saved_or_form_page
from clients.views.searches import too_many_searches


@login_required
def client_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Intake: search for the person first (name and date of birth, fuzzy), then register.

    The registration form appears only once the worker has looked at the matches and said
    none of them is the person (``?register=1``, the search's names filled in), or on a
    POST: a duplicate record is avoided by a deliberate step, and a search, which is most
    of intake's requests, does not render a sixteen-field form (two thirds of its time at
    100,000 clients, issue 6)."""
    viewer = request.user
    require_clinical_writer(viewer, to="register clients")
    # Ids of their own: the registration form below has fields of the same names.
    search_form = DuplicateSearchForm(request.GET or None, auto_id="search_%s")
    duplicates = None
    initial: dict[str, Any] = {}
    if search_form.is_valid():
        if (refused := too_many_searches(request)) is not None:
            return refused
        initial = search_form.cleaned_data
        duplicates = selectors.client_possible_duplicates(viewer=viewer, **initial)
    form = ClientForm(request.POST or None, initial=initial)
    client = save_with_service(form, request, partial(services.client_register, actor=viewer))
    if client is not None:
        messages.success(request, f"Registered {client}. Now open an enrollment.")
        return redirect("clients:enrollment_open", pk=client.pk)
    return render(
        request,
        "clients/register.html",
        {
            "search_form": search_form,
            "duplicates": duplicates,
            "form": form,
            "show_form": request.method == "POST"
            or (duplicates is not None and request.GET.get("register") == "1"),
            "register_query": urlencode({**request.GET.dict(), "register": "1"}),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def client_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = object_for_request(request, Client, pk, write=True)
    form = ClientEditForm(request.POST or None, instance=client)
    return saved_or_form_page(
        request,
        form,
        partial(services.client_update, actor=request.user, client=client),
        client_id=client.pk,
        title=f"Edit {client.display_name}",
        message="Client details saved.",
    )
