"""A person's own account page: their recovery codes, their passkeys (accounts.passkeys) and
their API tokens (accounts.api_tokens), all behind the second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import api_tokens
from accounts.forms import ApiTokenForm
from accounts.models import ApiToken
from accounts.passkeys import passkeys_for_user
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import add_service_errors


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account page; a POST mints an API token and shows its secret, once."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = api_tokens.token_mint(
                request=request, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id"),
        "passkeys": passkeys_for_user(request.user),
    }
    status = 400 if request.method == "POST" and secret is None else 200
    return render(request, "accounts/account.html", context, status=status)


@require_POST
@login_required
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if api_tokens.token_revoke(user=request.user, token_id=pk):
        messages.success(request, "The token is revoked: it no longer opens the API.")
    return redirect("accounts:account")
