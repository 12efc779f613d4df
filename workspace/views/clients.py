"""The client page, which gathers everything about a person that the viewer may see, and its
cards that arrive after it (htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import is_clinical_writer, supervises_team
from clients import services
from clients.access import log_client_view, object_for_request
from clients.models import Client, Enrollment
from referrals.selectors import client_referrals, client_releases
from serviceplans.selectors import client_assessments, client_plans
from supervision.selectors import client_compliance, client_supervision_notes
from workspace import selectors

TIMELINE_PAGE_SIZE = 20


@login_required
def client_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The client page: header, family, enrollments and the contact timeline (newest first),
    with the cards of the client's care. Every request for it is a read of the client record
    and leaves one access-log row.

    At most 12 queries whatever the number of contacts, enrollments, flags or referrals
    (issue 6): the enrollments are read once for every card (with their risk screen, flags,
    variances and plans: workspace.selectors.client_page_enrollments) and a page of the
    timeline is two (Django's paginator counts the contacts). The least-used cards (releases
    of information, accounting of disclosures, supervision notes) arrive by htmx from
    :func:`client_releases_card` and :func:`client_supervision_card`, each through the same
    gate and logged the same way."""
    viewer = request.user
    client = _read_client(request, pk, select_related=("registered_team",))
    timeline = selectors.client_timeline_page(
        viewer=viewer, client=client, page=request.GET.get("page"), per_page=TIMELINE_PAGE_SIZE
    )
    context: dict[str, Any] = {
        "client": client,
        "timeline": timeline,
        "correctable": {
            c.pk for c in timeline if services.contact_can_correct(actor=viewer, contact=c)
        },
    }
    if request.htmx:
        context["writable_enrollments"] = set(
            Enrollment.objects.writable_by(viewer)
            .open()
            .filter(client=client)
            .values_list("pk", flat=True)
        )
        return render(request, "workspace/_timeline.html", context)
    today = dates.today()
    page_enrollments = selectors.client_page_enrollments(viewer=viewer, client=client)
    enrollments = page_enrollments.enrollments
    writable_enrollments = page_enrollments.writable_ids
    context.update(
        writable_enrollments=writable_enrollments,
        family=client.family_members.all(),
        enrollments=enrollments,
        can_write=page_enrollments.can_write,
        # An emergency grant opens the record read-only (clients.emergency): a banner says
        # until when, and nothing is offered to change it.
        emergency_until=page_enrollments.emergency_until,
        can_open_enrollment=is_clinical_writer(viewer) and page_enrollments.emergency_until is None,
        # Supervision notes and case conferences: the open enrollments of a team the viewer
        # supervises.
        note_enrollments=[
            e
            for e in enrollments
            if e.pk in writable_enrollments and supervises_team(viewer, e.team_id)
        ],
        age=client.age_on(today),
        # Per enrollment: the next assessment's due status, assessments and latest risk
        # screen (the assessments card), and whether the client is at risk (the header).
        assessments=client_assessments(enrollments=enrollments, today=today),
        # Per enrollment: the active plan and its review due, the draft (the plans card).
        plan_rows=client_plans(enrollments=enrollments, today=today),
        # The client's referrals with their follow-up due (the referrals card).
        referral_rows=client_referrals(viewer=viewer, client=client, today=today),
        # Open flags explained, with "request variance", and the variances (the compliance card).
        compliance=client_compliance(
            enrollments=enrollments,
            today=today,
            writable_enrollment_ids=writable_enrollments,
        ),
    )
    return render(request, "workspace/client.html", context)


def _read_client(
    request: AuthenticatedHttpRequest, pk: int, *, select_related: tuple[str, ...] = ()
) -> Client:
    """The client record as the page and each of its cards read it: through the one gate
    (404 out of scope) and with one access-log row."""
    client = object_for_request(request, Client, pk, select_related=select_related)
    log_client_view(request, client)
    return client


def _client_card(
    request: AuthenticatedHttpRequest, client: Client, *, template: str, title: str, **context: Any
) -> HttpResponse:
    """A card of the client page loaded on its own: the card's body for htmx, and for a
    browser without JavaScript (the placeholder's plain link) a page around it."""
    context["client"] = client
    if request.htmx:
        return render(request, template, context)
    return render(
        request, "workspace/card_page.html", {**context, "card_template": template, "title": title}
    )


@login_required
def client_releases_card(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The client page's releases of information and accounting of disclosures
    (referrals.selectors.client_releases), loaded after the page. A read of the client
    record like the page: the same gate (404 out of scope) and one access-log row."""
    viewer = request.user
    client = _read_client(request, pk)
    return _client_card(
        request,
        client,
        template="referrals/_client_releases.html",
        title=f"Releases of information of {client.display_name}",
        releases=client_releases(viewer=viewer, client=client, today=dates.today()),
        can_write=Client.objects.writable_by(viewer).filter(pk=client.pk).exists(),
    )


@login_required
def client_supervision_card(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The client page's supervision notes the viewer may read
    (supervision.selectors.client_supervision_notes), loaded after the page. A read of the
    client record like the page: the same gate (404 out of scope) and one access-log row."""
    viewer = request.user
    client = _read_client(request, pk)
    return _client_card(
        request,
        client,
        template="supervision/_notes_for_client_body.html",
        title=f"Supervision notes about {client.display_name}",
        supervision_notes=client_supervision_notes(viewer=viewer, client=client),
    )
