"""The second step of logging in, enrolment on the first login, new recovery codes, and an
administrator's reset of a lost device (accounts.second_factor)."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts import second_factor
from accounts.forms import EnrolForm, SecondFactorForm, SecondFactorResetForm
from accounts.models import User
from accounts.passkeys import has_passkey
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import is_active_administrator
from casemgmt.service_forms import add_service_errors


def _next(request: HttpRequest) -> str:
    """Where the person was going (a page of this site), else home."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return render(request, "accounts/locked_out.html", status=429)  # as django-axes answers


@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The code (or a recovery code) after the password; a wrong one counts toward the
    lockout like a wrong password."""
    user = request.user
    if second_factor.is_verified(request):
        return redirect(_next(request))
    if not second_factor.has_authenticator(user):
        return redirect(f"{reverse('accounts:second_factor_enrol')}?next={_next(request)}")
    if second_factor.is_locked_out(request, user):
        return _locked_out(request)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.second_factor_verify(
            request=request, user=user, token=form.cleaned_data["code"]
        )
        if device is not None:
            response = redirect(_next(request))
            if form.cleaned_data["remember"]:
                second_factor.remember_device(
                    response, user=user, device=device, secure=settings.SESSION_COOKIE_SECURE
                )
            return response
        if second_factor.is_locked_out(request, user):
            return _locked_out(request)
        form.add_error("code", "That code does not match. Type the code the app shows now.")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": _next(request), "has_passkey": has_passkey(user)}
    return render(request, "accounts/second_factor.html", context, status=status)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The first login: add an authenticator app (its key as a QR code and as text), confirm
    it with a code, and see the recovery codes once."""
    user = request.user
    if second_factor.has_authenticator(user):
        return redirect(f"{reverse('accounts:second_factor')}?next={_next(request)}")
    device = second_factor.authenticator_to_enrol(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.authenticator_confirm(
                request=request, user=user, token=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            shown = {"codes": codes, "next": _next(request)}
            return render(request, "accounts/recovery_codes.html", shown)
    secret = base64.b32encode(device.bin_key).decode()
    context: dict[str, object] = {
        "form": form,
        "next": _next(request),
        "secret": _grouped(secret),
        # segno writes the SVG from the key alone: no user text in it.
        "qr_code": mark_safe(segno.make(device.config_url).svg_inline(scale=4)),  # nosec B308, B703  # segno's SVG of the key: no text from a person in it
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/second_factor_enrol.html", context, status=status)


@require_POST
@login_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new set of recovery codes (the old ones stop working), shown once."""
    codes = second_factor.recovery_codes_issue(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


@login_required
def reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An administrator removes a person's devices (a lost phone), saying why."""
    if not is_active_administrator(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    form = SecondFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.second_factor_reset(
                actor=request.user, user=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{person.get_username()} will enrol a new device at their next login."
            )
            return redirect("admin:accounts_user_change", person.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": f"Reset the second factor of {person.get_full_name() or person.username}",
        "cancel_url": reverse("admin:accounts_user_change", args=[person.pk]),
        "lead": "Their authenticator, recovery codes and passkeys are removed and their "
        "sessions end; they add a new authenticator at their next login.",
        "submit_label": "Reset",
    }
    return render(request, "clients/form_page.html", context, status=status)
