"""The page around a form of the client record (title, the form, Save and Cancel), and the
one way its views end: saved, back to the client page; otherwise the form again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import save_with_service


def form_page(
    request: AuthenticatedHttpRequest,
    form: BaseForm,
    *,
    title: str,
    cancel_url: str,
    **context: Any,
) -> HttpResponse:
    """The form on its page: 400 after a POST that did not save (invalid input or a service
    refusing), 200 otherwise."""
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "clients/form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **context},
        status=status,
    )


def saved_or_form_page(
    request: AuthenticatedHttpRequest,
    form: BaseForm,
    service: Callable[..., Any],
    *,
    client_id: int,
    title: str,
    message: str,
    **context: Any,
) -> HttpResponse:
    """Save a valid POST through ``service`` (casemgmt.service_forms.save_with_service) and go
    back to the client page with ``message`` (``{saved}`` is what the service returned);
    otherwise show the form on its page, Cancel leading back to the client page."""
    saved = save_with_service(form, request, service)
    if saved is not None:
        messages.success(request, message.format(saved=saved))
        return redirect("workspace:client", pk=client_id)
    cancel_url = reverse("workspace:client", args=[client_id])
    return form_page(request, form, title=title, cancel_url=cancel_url, **context)
