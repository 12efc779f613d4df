"""The contact modal: a new contact and the service-plan goals it served, from the caseload or
the client page, with the author's unsaved draft kept on the server as they type."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.models import User
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import int_param, save_with_service
from clients.access import log_denied, object_for_request
from clients.models import Client, Contact, Enrollment
from scheduling.models import PlannedVisit
from scheduling.selectors import contact_initial_for_visit
from scheduling.services import visit_record_contact
from serviceplans.services import contact_record_with_goals
from workspace.forms.contacts import ContactForm
from workspace.models import ContactDraft
from workspace.selectors import contact_draft_for
from workspace.services import contact_draft_discard, contact_draft_save

# The fields a draft keeps: the form's, as typed (goals are a list).
DRAFT_FIELDS = (
    "enrollment",
    "occurred_at",
    "contact_type",
    "duration_minutes",
    "travel_minutes",
    "participants",
    "location",
    "note",
)
# A long note is a few thousand characters; anything far beyond is not a person typing.
DRAFT_MAX_BYTES = 64 * 1024


def _writable_enrollments(viewer: User, client: Client) -> list[Enrollment]:
    return list(
        Enrollment.objects.writable_by(viewer)
        .open()
        .filter(client=client)
        .select_related("program")
    )


def recorded_message(contact: Contact) -> str:
    """What the confirmation says was recorded: type, minutes and billable units."""
    minutes = f"{contact.duration_minutes} min"
    if contact.travel_minutes:
        minutes += f" + {contact.travel_minutes} min travel"
    units = contact.billable_units
    return (
        f"{contact.get_contact_type_display()} contact recorded: {minutes}, "
        f"{units} billable unit{'' if units == 1 else 's'}."
    )


def _visit_asked(request: AuthenticatedHttpRequest, client: Client) -> PlannedVisit | None:
    """The planned visit of ``?visit=``, through the scoped queryset (write: it will be marked
    recorded); one of another client answers 404 like one out of scope."""
    visit_id = int_param(request, "visit")
    if visit_id is None:
        return None
    visit = object_for_request(
        request, PlannedVisit, visit_id, write=True, select_related=("enrollment",)
    )
    if visit.enrollment.client_id != client.pk:
        raise Http404("No such visit for this client.")
    return visit


def _draft_to_offer(
    request: AuthenticatedHttpRequest, client: Client, initial: dict[str, Any]
) -> ContactDraft | None:
    """The author's draft for the client, to offer back when the modal opens; with
    ``?draft=restore`` its fields fill ``initial`` instead, and it is not offered again."""
    if request.method != "GET":
        return None
    draft = contact_draft_for(author=request.user, client=client)
    if draft is not None and request.GET.get("draft") == "restore":
        initial.update(draft.data)
        return None
    return draft


@login_required
def contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a contact from the caseload or the client page, in a modal (htmx) that closes
    when saved; without htmx it is an ordinary page that returns to the client.

    The author's draft for the client, if any, is offered back (``?draft=restore`` fills the
    form from it) and is deleted once the contact is saved.
    """
    viewer = request.user
    client = object_for_request(request, Client, pk)
    enrollments = _writable_enrollments(viewer, client)
    if not enrollments:
        log_denied(request, Client, pk)
        raise PermissionDenied("This client has no open enrollment on your caseload.")
    initial: dict[str, Any] = {
        "enrollment": int_param(request, "enrollment") or enrollments[0].pk,
        "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
    }
    # Recorded from a planned visit (scheduling): pre-filled from it, and the visit is marked
    # recorded in the contact's transaction. A restored draft is what the author typed over
    # that pre-fill, so it comes after it, and the visit stays with the restored form.
    visit = _visit_asked(request, client)
    service = partial(contact_record_with_goals, actor=viewer)
    if visit is not None:
        initial.update(contact_initial_for_visit(visit, now=timezone.now()))
        service = partial(visit_record_contact, actor=viewer, visit=visit)
    draft = _draft_to_offer(request, client, initial)
    form = ContactForm(request.POST or None, enrollments=enrollments, initial=initial)
    contact = save_with_service(form, request, service)
    if contact is not None:
        contact_draft_discard(author=viewer, client=client)
        message = recorded_message(contact)
        if request.htmx:
            trigger = {"contactRecorded": {"message": message}, "closeModal": None}
            return HttpResponse(status=204, headers={"HX-Trigger": json.dumps(trigger)})
        messages.success(request, message)
        return redirect("workspace:client", pk=client.pk)
    action = reverse("workspace:contact_create", args=[client.pk])
    if visit is not None:
        action = f"{action}?{urlencode({'visit': visit.pk})}"
    context = {
        "form": form,
        "client": client,
        "action": action,
        "draft": draft,
        "restore_url": f"{action}{'&' if visit is not None else '?'}draft=restore",
        "draft_url": reverse("workspace:contact_draft", args=[client.pk]),
    }
    template = "workspace/_contact_form.html" if request.htmx else "workspace/contact_form.html"
    # htmx swaps 4xx responses only where told to; the modal form is re-rendered with its errors.
    return render(
        request,
        template,
        context,
        status=200 if request.htmx else (400 if request.method == "POST" else 200),
    )


def _draft_data(post: Any, enrollments: list[Enrollment]) -> dict[str, Any] | None:
    """The draft's fields from the posted form, or None when they are not what the form
    sends (an enrollment not offered, a NUL character PostgreSQL's JSON cannot hold)."""
    data: dict[str, Any] = {name: post.get(name, "") for name in DRAFT_FIELDS}
    data["goals"] = post.getlist("goals")
    values = [*(data[name] for name in DRAFT_FIELDS), *data["goals"]]
    if any("\x00" in value for value in values):
        return None
    if not all(goal.isdigit() for goal in data["goals"]):
        return None
    offered = {str(e.pk) for e in enrollments}
    if data["enrollment"] and data["enrollment"] not in offered:
        return None
    if data["contact_type"] and data["contact_type"] not in Contact.Type.values:
        return None
    return data


@login_required
@require_POST
def contact_draft(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Keep the author's unsaved contact for the client (posted every few seconds by
    static/js/contact_modal.js), or forget it (``discard``). Only for a client with an open
    enrollment on the author's writable caseload; any other answers 404, as for a guessed id."""
    viewer = request.user
    client = object_for_request(request, Client, pk)
    enrollments = _writable_enrollments(viewer, client)
    if not enrollments:
        log_denied(request, Client, pk)
        raise Http404("This client has no open enrollment on your caseload.")
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > DRAFT_MAX_BYTES:
        return HttpResponseBadRequest("The draft is too large to keep.")
    if request.POST.get("discard"):
        contact_draft_discard(author=viewer, client=client)
        return HttpResponse("")
    data = _draft_data(request.POST, enrollments)
    if data is None:
        return HttpResponseBadRequest("The draft does not match the contact form.")
    enrollment = next((e for e in enrollments if str(e.pk) == data["enrollment"]), None)
    draft = contact_draft_save(author=viewer, client=client, enrollment=enrollment, data=data)
    return JsonResponse({"saved_at": f"{timezone.localtime(draft.updated_at):%H:%M}"})
