"""Passkeys (accounts.passkeys): the two steps of each WebAuthn ceremony, which
static/js/passkeys.js calls with JSON, and the removal of a passkey from the account page.

The authentication steps are open to a session that has only passed the password (they are
the second factor); the registration steps and the removal are behind the second factor like
any other page (accounts.second_factor.OPEN_URL_NAMES).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import passkeys, second_factor
from accounts.views.second_factor import _next
from casemgmt.http import AuthenticatedHttpRequest


def _body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object posted, or an empty one (which then fails verification)."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _refused(error: ValidationError | PermissionDenied, status: int = 400) -> JsonResponse:
    detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return JsonResponse({"detail": detail}, status=status)


def _locked_out() -> JsonResponse:
    """429, as django-axes answers the failure that locks out (its own page then replaces this
    answer); the script loads the code page again, which shows the lockout and ends the
    session."""
    return JsonResponse({"detail": "Too many failed log-ins."}, status=429)


# --- Registering, from the account page -------------------------------------------------------


@require_POST
@login_required
def registration_begin(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        options = passkeys.passkey_registration_begin(request=request, user=request.user)
    except PermissionDenied as error:
        return _refused(error, status=403)
    return JsonResponse(options)


@require_POST
@login_required
def registration_complete(request: AuthenticatedHttpRequest) -> HttpResponse:
    """``{"credential": <RegistrationResponseJSON>, "name": "Work laptop"}``."""
    body = _body(request)
    try:
        passkey = passkeys.passkey_register(
            request=request,
            user=request.user,
            response=body.get("credential") or {},
            name=str(body.get("name") or ""),
        )
    except ValidationError as error:
        return _refused(error)
    messages.success(request, f"Passkey “{passkey.name}” added: use it at your next login.")
    return JsonResponse({"id": passkey.pk, "redirect": reverse("accounts:account")}, status=201)


@require_POST
@login_required
def remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if passkeys.passkey_remove(user=request.user, passkey_id=pk):
        messages.success(request, "The passkey is removed: it no longer lets you in.")
    return redirect("accounts:account")


# --- Verifying a session, from the code page --------------------------------------------------


@require_POST
@login_required
def authentication_begin(request: AuthenticatedHttpRequest) -> HttpResponse:
    if second_factor.is_locked_out(request, request.user):
        return _locked_out()
    try:
        options = passkeys.passkey_authentication_begin(request=request, user=request.user)
    except ValidationError as error:
        return _refused(error)
    return JsonResponse(options)


@require_POST
@login_required
def authentication_complete(request: AuthenticatedHttpRequest) -> HttpResponse:
    """``{"credential": <AuthenticationResponseJSON>, "remember": true}``, ``?next=`` where the
    person was going. A failure counts toward the lockout like a wrong code."""
    user = request.user
    if second_factor.is_locked_out(request, user):
        return _locked_out()
    body = _body(request)
    passkey = passkeys.passkey_verify(
        request=request, user=user, response=body.get("credential") or {}
    )
    if passkey is None:
        if second_factor.is_locked_out(request, user):
            return _locked_out()
        return _refused(
            ValidationError("That passkey could not be verified. Try again, or type a code.")
        )
    response = JsonResponse({"redirect": _next(request)})
    if body.get("remember") is True:
        second_factor.remember_device(
            response, user=user, device=passkey, secure=settings.SESSION_COOKIE_SECURE
        )
    return response
