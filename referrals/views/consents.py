"""Release-of-information (consent) pages: gate (clients.access) → form
(referrals.forms.consents) → service (referrals.services) → redirect/render.

A consent is recorded and revoked by the writers of its client and read by everyone who
may read the client; its signed copy is downloaded through a scoped view, never from a
public media URL. The accounting of disclosures is shown on the client page and under each
consent (referrals.selectors).
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import save_with_service
from clients.access import log_client_view, object_for_request
from clients.models import Client, Enrollment
from exports import http as exports_http
from referrals import selectors, services, tables
from referrals.forms import consents as consent_forms
from referrals.models import Consent, InformationCategory, ServiceType, category_labels


def _status(request: AuthenticatedHttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _next_url(request: AuthenticatedHttpRequest) -> str:
    """Where to go after recording a consent, when a page sent the user here (a referral that
    could not be sent without one); only a path of this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


def _consent_initial(request: AuthenticatedHttpRequest, client: Client) -> dict[str, Any]:
    """The paper form's usual answers: the program disclosing, the client signing today; and
    the recipient and categories a referral asked for (``?provider=&categories=``)."""
    enrollment = (
        Enrollment.objects.writable_by(request.user)
        .open()
        .filter(client=client)
        .select_related("program")
        .order_by("-application_date", "-pk")
        .first()
    )
    initial: dict[str, Any] = {
        "discloser": enrollment.program.name if enrollment is not None else "",
        "signer": Consent.Signer.CLIENT,
        "signer_name": f"{client.first_name} {client.last_name}",
        "signed_on": today(),
    }
    provider = request.GET.get("provider", "")
    if provider.isdigit():
        initial["recipient_provider"] = int(provider)
    if request.GET.get("recipient_class") in ServiceType.values:
        initial["recipient_class"] = request.GET["recipient_class"]
    categories = [c for c in request.GET.getlist("categories") if c in InformationCategory.values]
    if categories:
        initial["categories"] = categories
    return initial


def _consent_page(
    request: AuthenticatedHttpRequest,
    template: str,
    *,
    consent: Consent,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    """The consent page (and the revoke page, which shows the same consent above its form)."""
    can_write = Consent.objects.writable_by(request.user).filter(pk=consent.pk).exists()
    return render(
        request,
        template,
        {
            "consent": consent,
            "client": consent.client,
            "consent_status": selectors.consent_status(
                expires_on=consent.expires_on,
                revoked_on=consent.revoked_on,
                today=today(),
            ),
            "categories": category_labels(consent.categories),
            "is_part2": InformationCategory.SUBSTANCE_USE in consent.categories,
            "can_revoke": can_write and consent.revoked_on is None,
            **context,
        },
        status=status,
    )


# --- Recording ---------------------------------------------------------------------------------


@login_required
def consent_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a signed release of information for a client on the user's caseload."""
    client = object_for_request(request, Client, pk, write=True)
    form: BaseForm = consent_forms.ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial=_consent_initial(request, client),
    )
    consent = save_with_service(
        form, request, partial(services.consent_record, actor=request.user, client=client)
    )
    if consent is not None:
        messages.success(request, f"Recorded the release of information ({consent}).")
        return redirect(
            _next_url(request) or reverse("referrals:consent_detail", args=[consent.pk])
        )
    return render(
        request,
        "referrals/consent_form.html",
        {
            "form": form,
            "client": client,
            "next": _next_url(request),
            "cancel_url": _next_url(request) or reverse("workspace:client", args=[client.pk]),
        },
        status=_status(request),
    )


# --- Reading -----------------------------------------------------------------------------------


def _readable_consent(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> Consent:
    return object_for_request(
        request,
        Consent,
        pk,
        write=write,
        select_related=("client", "recipient_provider", "created_by"),
    )


@login_required
def consent_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every element of the release, where it stands today, and what was done under it."""
    consent = _readable_consent(request, pk)
    log_client_view(request, consent.client)
    return _consent_page(
        request,
        "referrals/consent_detail.html",
        consent=consent,
        uses=selectors.consent_uses(viewer=request.user, consent=consent),
        revoke_form=consent_forms.ConsentRevokeForm(),
    )


@login_required
def consent_signed_copy(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The scanned signed form, to those who may read the client (it is a read of the
    record and is logged as one)."""
    consent = _readable_consent(request, pk)
    if not consent.signed_copy:
        raise Http404("This consent has no signed copy.")
    try:
        handle = consent.signed_copy.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The signed copy is missing from storage.") from missing
    log_client_view(request, consent.client)
    extension = os.path.splitext(consent.signed_copy.name)[1].lower()
    filename = f"consent-{consent.client.record_number}-{consent.pk}{extension}"
    return FileResponse(handle, as_attachment=True, filename=filename)


@login_required
def consents_expiring(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Unrevoked consents of the user's visible clients that expire within the warning
    window: time to have a new one signed before disclosure stops. Exported with
    ``?format=csv|xlsx`` (referrals.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "referrals.consents_expiring")
    rows = selectors.consents_expiring_soon(viewer=request.user, today=today())
    return render(
        request,
        "referrals/consent_expiring.html",
        {
            "rows": rows,
            "within_days": selectors.CONSENT_EXPIRY_WARNING_DAYS,
            "export_links": exports_http.export_links(request),
        },
    )


@login_required
def disclosure_export(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse | StreamingHttpResponse:
    """A client's accounting of disclosures (the client page's card) as a file only
    (``?format=csv|xlsx``), for those who may read the client: the same gate as the card
    (404 out of scope, the refusal logged). The client's record is read, so the access log
    has the read under the client, as the card's, beside the export's row."""
    client = object_for_request(request, Client, pk)
    if not exports_http.wants_file(request):
        return HttpResponseBadRequest("Ask for a file: ?format=csv or ?format=xlsx.")
    log_client_view(request, client)
    # The client found through the gate replaces whatever ?client= was sent.
    query = exports_http.query_with(request, **{tables.CLIENT_PARAM: client.pk})
    return exports_http.export(request, "referrals.disclosures", query=query)


# --- Revoking ----------------------------------------------------------------------------------


@login_required
def consent_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Revoke a consent from a date on; what was disclosed before stays in the accounting
    and the consent itself stays, with its revocation, in history."""
    consent = _readable_consent(request, pk, write=True)
    if consent.revoked_on is not None and request.method != "POST":
        messages.info(request, f"This consent was revoked on {consent.revoked_on:%Y-%m-%d}.")
        return redirect("referrals:consent_detail", pk=consent.pk)
    form = consent_forms.ConsentRevokeForm(request.POST or None)
    revoked = save_with_service(
        form, request, partial(services.consent_revoke, actor=request.user, consent=consent)
    )
    if revoked is not None:
        messages.success(request, f"Consent revoked from {revoked.revoked_on:%Y-%m-%d} on.")
        return redirect("referrals:consent_detail", pk=consent.pk)
    return _consent_page(
        request,
        "referrals/consent_revoke.html",
        consent=consent,
        status=_status(request),
        revoke_form=form,
    )
