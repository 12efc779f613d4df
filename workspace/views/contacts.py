"""The contact modal: a new contact and the service-plan goals it served, from the caseload or
the client page."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import int_param, save_with_service
from clients.access import log_denied, object_for_request
from clients.models import Client, Enrollment
from serviceplans.services import contact_record_with_goals
from workspace.forms.contacts import ContactForm

CONTACT_RECORDED_EVENT = '{"contactRecorded": null, "closeModal": null}'


@login_required
def contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a contact from the caseload or the client page, in a modal (htmx) that closes
    when saved; without htmx it is an ordinary page that returns to the client."""
    viewer = request.user
    client = object_for_request(request, Client, pk)
    enrollments = list(
        Enrollment.objects.writable_by(viewer)
        .open()
        .filter(client=client)
        .select_related("program")
    )
    if not enrollments:
        log_denied(request, Client, pk)
        raise PermissionDenied("This client has no open enrollment on your caseload.")
    form = ContactForm(
        request.POST or None,
        enrollments=enrollments,
        initial={
            "enrollment": int_param(request, "enrollment") or enrollments[0].pk,
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        },
    )
    contact = save_with_service(form, request, partial(contact_record_with_goals, actor=viewer))
    if contact is not None:
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Trigger": CONTACT_RECORDED_EVENT})
        messages.success(request, "Contact recorded.")
        return redirect("workspace:client", pk=client.pk)
    context = {
        "form": form,
        "client": client,
        "action": reverse("workspace:contact_create", args=[client.pk]),
    }
    template = "workspace/_contact_form.html" if request.htmx else "workspace/contact_form.html"
    # htmx swaps 4xx responses only where told to; the modal form is re-rendered with its errors.
    return render(
        request,
        template,
        context,
        status=200 if request.htmx else (400 if request.method == "POST" else 200),
    )
