"""The provider directory and interagency agreements: gate → form → service → render/redirect.

Everyone signed in reads the directory and downloads agreement documents (they are about
providers, not clients); administrators maintain it (DESIGN.md: "maintains the provider
directory"), and everyone else gets 403 on the pages that change it.
"""

from __future__ import annotations

import os
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import is_active_administrator, require_administrator
from casemgmt.service_forms import save_with_service
from exports import http as exports_http
from referrals import selectors, services, tables
from referrals.forms.providers import (
    AgreementForm,
    ProviderForm,
    ProviderServiceFormSet,
    service_rows,
)
from referrals.models import InteragencyAgreement, Provider

PROVIDER_PAGE_SIZE = 25


# --- Directory (everyone) ---------------------------------------------------------------------


@login_required
def provider_list(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The directory: search and filters (active providers only unless asked), a page of
    providers with their service types, languages, Medicaid and waitlist. Every provider of
    the search (not only the page) is exported with ``?format=csv|xlsx`` (referrals.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "referrals.provider_list")
    directory = tables.provider_directory_filter(request.GET)
    page = Paginator(directory.qs, PROVIDER_PAGE_SIZE).get_page(request.GET.get("page"))
    as_of = today()
    # The page links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": directory,
        "page": page,
        "rows": [tables.directory_row(provider, today=as_of) for provider in page],
        "page_query": query.urlencode(),
        "can_maintain": is_active_administrator(request.user),
        "export_links": exports_http.export_links(request),
    }
    template = (
        "referrals/provider_list_table.html" if request.htmx else "referrals/provider_list.html"
    )
    return render(request, template, context)


@login_required
def provider_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_get(pk=pk)
    as_of = today()
    agreements = [
        {
            "agreement": agreement,
            "expired": selectors.agreement_is_expired(ends_on=agreement.ends_on, today=as_of),
        }
        for agreement in provider.agreements.all()
    ]
    return render(
        request,
        "referrals/provider_detail.html",
        {
            "provider": provider,
            "agreements": agreements,
            "waitlist_stale": selectors.waitlist_is_stale(
                checked_on=provider.waitlist_checked_on, today=as_of
            ),
            "can_maintain": is_active_administrator(request.user),
        },
    )


@login_required
def agreement_document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The uploaded agreement, served only to signed-in staff (uploads have no public URL)."""
    agreement = selectors.agreement_get(pk=pk)
    if not agreement.document:
        raise Http404("This agreement has no document.")
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The document is missing from storage.") from missing
    return FileResponse(
        handle, as_attachment=True, filename=os.path.basename(agreement.document.name)
    )


# --- Maintenance (administrators) -------------------------------------------------------------


def _provider_form_page(
    request: AuthenticatedHttpRequest, provider: Provider | None
) -> HttpResponse:
    require_administrator(request.user, to=services.MAINTAINS_DIRECTORY)
    title = f"Edit {provider}" if provider else "Add a provider"
    # Services are added, never removed (past referrals point at them): the page lists the
    # provider's services and offers rows for new ones.
    existing = list(provider.services.order_by("service_type", "name")) if provider else []
    form = ProviderForm(request.POST or None, instance=provider)
    formset = ProviderServiceFormSet(request.POST or None, prefix="services")
    saved = None
    if request.method == "POST" and formset.is_valid():
        wanted = [(s.name, s.service_type) for s in existing] + service_rows(formset)
        saved = save_with_service(
            form,
            request,
            partial(services.provider_save, actor=request.user, provider=provider, services=wanted),
        )
    if saved is not None:
        messages.success(request, f"Saved {saved}.")
        return redirect("referrals:provider_detail", pk=saved.pk)
    return render(
        request,
        "referrals/provider_form.html",
        {
            "form": form,
            "formset": formset,
            "existing_services": existing,
            "provider": provider,
            "title": title,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def provider_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _provider_form_page(request, None)


@login_required
def provider_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Refused before the provider is looked up: a guessed id tells a non-administrator nothing.
    require_administrator(request.user, to=services.MAINTAINS_DIRECTORY)
    return _provider_form_page(request, selectors.provider_get(pk=pk))


def _agreement_form_page(
    request: AuthenticatedHttpRequest,
    form: AgreementForm,
    *,
    provider: Provider,
    title: str,
    agreement: InteragencyAgreement | None = None,
) -> HttpResponse:
    return render(
        request,
        "referrals/agreement_form.html",
        {
            "form": form,
            "provider": provider,
            "title": title,
            "agreement": agreement,
            "document_name": (
                os.path.basename(agreement.document.name)
                if agreement and agreement.document
                else ""
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def agreement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user, to=services.MAINTAINS_DIRECTORY)
    provider = selectors.provider_get(pk=pk)
    form = AgreementForm(request.POST or None, request.FILES or None)
    agreement = save_with_service(
        form, request, partial(services.agreement_save, actor=request.user, provider=provider)
    )
    if agreement is not None:
        messages.success(request, f"Recorded the {agreement.get_kind_display().lower()}.")
        return redirect("referrals:provider_detail", pk=provider.pk)
    return _agreement_form_page(
        request, form, provider=provider, title=f"Add an agreement with {provider}"
    )


@login_required
def agreement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user, to=services.MAINTAINS_DIRECTORY)
    agreement = selectors.agreement_get(pk=pk)
    provider = agreement.provider
    form = AgreementForm(request.POST or None, request.FILES or None, instance=agreement)
    saved = save_with_service(
        form,
        request,
        partial(
            services.agreement_save, actor=request.user, provider=provider, agreement=agreement
        ),
    )
    if saved is not None:
        messages.success(request, f"Saved the {saved.get_kind_display().lower()}.")
        return redirect("referrals:provider_detail", pk=provider.pk)
    return _agreement_form_page(
        request,
        form,
        provider=provider,
        title=f"Edit the agreement with {provider}",
        agreement=agreement,
    )
