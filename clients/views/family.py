"""A client's family and household members."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from casemgmt.http import AuthenticatedHttpRequest
from clients import services
from clients.access import object_for_request
from clients.forms.family import FamilyMemberForm
from clients.models import Client, FamilyMember
from clients.views.form_page import saved_or_form_page


@login_required
def family_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = object_for_request(request, Client, pk, write=True)
    form = FamilyMemberForm(request.POST or None)
    return saved_or_form_page(
        request,
        form,
        partial(services.family_member_add, actor=request.user, client=client),
        client_id=client.pk,
        title=f"Add a family member of {client.display_name}",
        message="Added {saved}.",
    )


@login_required
def family_member_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = object_for_request(request, FamilyMember, pk, write=True, select_related=("client",))
    form = FamilyMemberForm(request.POST or None, instance=member)
    return saved_or_form_page(
        request,
        form,
        partial(services.family_member_update, actor=request.user, member=member),
        client_id=member.client_id,
        title=f"Edit {member}",
        message="Saved {saved}.",
    )
