"""Correcting a contact (its author, within 24 hours) and adding an addendum. A new contact is
recorded in the contact modal with the plan goals it served (workspace.views.contacts)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from casemgmt.http import AuthenticatedHttpRequest
from clients import services
from clients.access import object_for_request
from clients.forms.contacts import AddendumForm, ContactCorrectForm
from clients.models import Contact
from clients.views.form_page import saved_or_form_page


@login_required
def contact_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = object_for_request(request, Contact, pk, write=True, select_related=("client",))
    if not services.contact_can_correct(actor=request.user, contact=contact):
        messages.error(request, "This contact can no longer be corrected; add an addendum.")
        return redirect("clients:contact_addendum", pk=contact.pk)
    form = ContactCorrectForm(request.POST or None, instance=contact)
    return saved_or_form_page(
        request,
        form,
        partial(services.contact_correct, actor=request.user, contact=contact),
        client_id=contact.client_id,
        title=f"Correct {contact}",
        message="Contact corrected.",
    )


@login_required
def contact_addendum(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = object_for_request(request, Contact, pk, write=True, select_related=("client",))
    form = AddendumForm(request.POST or None)
    return saved_or_form_page(
        request,
        form,
        partial(services.contact_add_addendum, actor=request.user, contact=contact),
        client_id=contact.client_id,
        title=f"Addendum to {contact}",
        message="Addendum added.",
        contact=contact,
    )
