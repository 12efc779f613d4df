"""The case conference page: a supervision note about one client with its participants, the
goals and objectives agreed and who performs each task (CFP bulletin 18B-08: case
conferences with the providers, for the client and family). It is the note page
(supervision.views.notes) with participant rows; without a client it asks for one first.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import User
from casemgmt.http import AuthenticatedHttpRequest
from clients.models import Enrollment, FamilyMember
from referrals.models import Provider
from supervision import services
from supervision.forms import notes as note_forms
from supervision.views import notes


@login_required
def conference_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A case conference record for a client (``?enrollment=``): participants, the goals and
    objectives agreed, and who performs each task (CFP bulletin 18B-08)."""
    team_ids = services.require_supervisor(request.user)
    enrollment = notes.enrollment_asked(request)
    if enrollment is None:
        return _conference_chooser(request, team_ids)
    return notes.note_page(
        request,
        team_ids=team_ids,
        enrollment=enrollment,
        participant_choices=_participant_choices(enrollment),
    )


def _participant_choices(enrollment: Enrollment) -> dict[str, Any]:
    """What a conference's participant rows offer: the staff of the client's region, the
    client's family and the directory's active providers."""
    region_id = enrollment.team.region_id
    staff = list(
        User.objects.filter(is_active=True)
        .filter(Q(team__region_id=region_id) | Q(supervised_teams__region_id=region_id))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return {
        "staff": staff,
        "family": list(FamilyMember.objects.filter(client_id=enrollment.client_id)),
        "providers": list(Provider.objects.filter(is_active=True).order_by("name")),
    }


def _conference_chooser(
    request: AuthenticatedHttpRequest, team_ids: frozenset[int]
) -> HttpResponse:
    """A case conference is about one client: pick the case first."""
    enrollments = (
        Enrollment.objects.open()
        .filter(team_id__in=team_ids)
        .select_related("client", "program", "case_manager")
        .order_by("client__last_name", "client__first_name", "pk")
    )
    return render(
        request,
        "supervision/conference_choose.html",
        {"choices": [(e.pk, note_forms.enrollment_label(e)) for e in enrollments]},
    )
