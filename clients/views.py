"""Web views: gate (clients.access) → form → service (clients.services) → render/redirect.

A view asked by htmx (``request.htmx``) answers with the partial it targets: the contact
modal's form, the caseload table, a page of the timeline.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import User
from accounts.selectors import (
    case_managers_of_teams,
    team_ids_writable_by,
    worklist_choice,
)
from casemgmt.service_forms import int_param, save_with_service
from clients import forms, selectors, services
from clients.access import log_client_view, log_denied, object_for_request
from clients.models import Client, Contact, Enrollment, FamilyMember
from referrals.selectors import client_referrals, client_releases
from serviceplans.selectors import assessment_due_status, client_assessments, client_plans
from supervision.selectors import (
    client_compliance,
    client_supervision_notes,
    rules_in_order,
)

CASELOAD_PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 20
CONTACT_RECORDED_EVENT = '{"contactRecorded": null, "closeModal": null}'


def _form_page(
    request: HttpRequest, form: BaseForm, *, title: str, cancel_url: str, **context: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "clients/form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **context},
        status=status,
    )


def _assignable_case_managers(user: User) -> list[User]:
    """Whom the user may put an enrollment with: themself, or a supervisor's team members."""
    if user.is_case_manager:
        return [user]
    return list(case_managers_of_teams(team_ids=team_ids_writable_by(user)))


# --- Caseload ---------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: supervisors are sent to their dashboard (supervision:dashboard),
    everyone else gets the caseload."""
    if request.user.is_supervisor:  # type: ignore[union-attr]
        return redirect("supervision:dashboard")
    return caseload(request)


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseload (case managers' landing page): open enrollments, longest without contact
    first, or by the next assessment's due date (``?sort=assessment_due``), with their open
    compliance flags.

    Case managers see their own caseload; supervisors switch between the case managers of
    their teams (or a whole team); administrators and QA reviewers pick any team.
    """
    viewer: User = request.user  # type: ignore[assignment]
    try:
        choice = worklist_choice(
            viewer=viewer,
            team_id=int_param(request, "team"),
            case_manager_id=int_param(request, "case_manager"),
        )
    except LookupError as missing:
        raise Http404(str(missing)) from missing
    teams, case_managers = choice.teams, choice.case_managers
    team_id, case_manager_id = choice.team_id, choice.case_manager_id
    search = request.GET.get("q", "")
    sort = request.GET.get("sort", "")
    if sort not in selectors.CASELOAD_SORTS:
        sort = selectors.CASELOAD_SORT_LAST_CONTACT
    enrollments = selectors.caseload_enrollments(
        viewer=viewer,
        case_manager_id=case_manager_id,
        team_id=None if case_manager_id is not None else team_id,
        search=search,
        sort=sort,
    )
    page = Paginator(enrollments, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    writable = set(
        Enrollment.objects.writable_by(viewer)
        .filter(pk__in=[e.pk for e in page])
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "enrollment": e,
            "days_since_contact": selectors.days_since(e.last_contact_at, today=today),
            "assessment_due": assessment_due_status(e, today=today),
            "at_risk": e.at_risk,
            "flags": rules_in_order(e.open_flag_rules),  # type: ignore[attr-defined]
            "can_record": e.pk in writable,
        }
        for e in page
    ]
    # The links of the column headers and of the pages keep the filters (and the order).
    filters: dict[str, Any] = {"q": search} if search else {}
    if case_manager_id is not None and not viewer.is_case_manager:
        filters["case_manager"] = case_manager_id
    elif team_id is not None:
        filters["team"] = team_id
    default_sort = selectors.CASELOAD_SORT_LAST_CONTACT
    context = {
        "rows": rows,
        "page": page,
        "search": search,
        "sort": sort,
        "default_sort": default_sort,
        "sort_urls": {
            name: "?" + urlencode(filters if name == default_sort else {**filters, "sort": name})
            for name in selectors.CASELOAD_SORTS
        },
        "page_query": urlencode(filters if sort == default_sort else {**filters, "sort": sort}),
        "teams": teams,
        "case_managers": case_managers,
        "selected_case_manager": case_manager_id,
        "selected_team": team_id,
    }
    template = "clients/_caseload_table.html" if request.htmx else "clients/caseload.html"
    return render(request, template, context)


# --- Clients ----------------------------------------------------------------------------------


@login_required
def client_register(request: HttpRequest) -> HttpResponse:
    """Intake: search for the person first (name and date of birth, fuzzy), then register.

    The registration form appears only once the worker has looked at the matches and said
    none of them is the person (``?register=1``, the search's names filled in), or on a
    POST: a duplicate record is avoided by a deliberate step, and a search, which is most
    of intake's requests, does not render a sixteen-field form (two thirds of its time at
    100,000 clients, issue 6)."""
    viewer: User = request.user  # type: ignore[assignment]
    if not (viewer.is_case_manager or viewer.is_supervisor):
        raise PermissionDenied("Only case managers and supervisors register clients.")
    # Ids of their own: the registration form below has fields of the same names.
    search_form = forms.DuplicateSearchForm(request.GET or None, auto_id="search_%s")
    duplicates = None
    initial: dict[str, Any] = {}
    if search_form.is_valid():
        initial = search_form.cleaned_data
        duplicates = selectors.client_possible_duplicates(viewer=viewer, **initial)
    form = forms.ClientForm(request.POST or None, initial=initial)
    client = save_with_service(form, request, partial(services.client_register, actor=viewer))
    if client is not None:
        messages.success(request, f"Registered {client}. Now open an enrollment.")
        return redirect("clients:enrollment_open", pk=client.pk)
    return render(
        request,
        "clients/register.html",
        {
            "search_form": search_form,
            "duplicates": duplicates,
            "form": form,
            "show_form": request.method == "POST"
            or (duplicates is not None and request.GET.get("register") == "1"),
            "register_query": urlencode({**request.GET.dict(), "register": "1"}),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The client page: header, family, enrollments and the contact timeline (newest first),
    with the cards of the client's care. Every request for it is a read of the client record
    and leaves one access-log row.

    At most 12 queries whatever the number of contacts, enrollments, flags or referrals
    (issue 6): the enrollments are read once for every card (with their risk screen, flags,
    variances and plans: clients.selectors.client_page_enrollments) and a page of the
    timeline is one query. The least-used cards (releases of information, accounting of
    disclosures, supervision notes) arrive by htmx from :func:`client_releases_card` and
    :func:`client_supervision_card`, each through the same gate and logged the same way."""
    viewer: User = request.user  # type: ignore[assignment]
    client = object_for_request(request, Client, pk, select_related=("registered_team",))
    log_client_view(request, client)
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
        return render(request, "clients/_timeline.html", context)
    today = timezone.localdate()
    page_enrollments = selectors.client_page_enrollments(viewer=viewer, client=client)
    enrollments = page_enrollments.enrollments
    writable_enrollments = page_enrollments.writable_ids
    context.update(
        writable_enrollments=writable_enrollments,
        family=client.family_members.all(),
        enrollments=enrollments,
        can_write=page_enrollments.can_write,
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
    return render(request, "clients/detail.html", context)


def _client_card(
    request: HttpRequest, client: Client, *, template: str, title: str, **context: Any
) -> HttpResponse:
    """A card of the client page loaded on its own: the card's body for htmx, and for a
    browser without JavaScript (the placeholder's plain link) a page around it."""
    context["client"] = client
    if request.htmx:
        return render(request, template, context)
    return render(
        request, "clients/card_page.html", {**context, "card_template": template, "title": title}
    )


@login_required
def client_releases_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The client page's releases of information and accounting of disclosures
    (referrals.selectors.client_releases), loaded after the page. A read of the client
    record like the page: the same gate (404 out of scope) and one access-log row."""
    viewer: User = request.user  # type: ignore[assignment]
    client = object_for_request(request, Client, pk)
    log_client_view(request, client)
    return _client_card(
        request,
        client,
        template="referrals/_client_releases.html",
        title=f"Releases of information of {client.display_name}",
        releases=client_releases(viewer=viewer, client=client, today=timezone.localdate()),
        can_write=Client.objects.writable_by(viewer).filter(pk=client.pk).exists(),
    )


@login_required
def client_supervision_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The client page's supervision notes the viewer may read
    (supervision.selectors.client_supervision_notes), loaded after the page. A read of the
    client record like the page: the same gate (404 out of scope) and one access-log row."""
    viewer: User = request.user  # type: ignore[assignment]
    client = object_for_request(request, Client, pk)
    log_client_view(request, client)
    return _client_card(
        request,
        client,
        template="supervision/_notes_for_client_body.html",
        title=f"Supervision notes about {client.display_name}",
        supervision_notes=client_supervision_notes(viewer=viewer, client=client),
    )


@login_required
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = object_for_request(request, Client, pk, write=True)
    form = forms.ClientEditForm(request.POST or None, instance=client)
    saved = save_with_service(
        form, request, partial(services.client_update, actor=request.user, client=client)
    )
    if saved is not None:
        messages.success(request, "Client details saved.")
        return redirect("clients:detail", pk=client.pk)
    return _form_page(
        request,
        form,
        title=f"Edit {client.display_name}",
        cancel_url=reverse("clients:detail", args=[client.pk]),
    )


@login_required
def family_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    client = object_for_request(request, Client, pk, write=True)
    form = forms.FamilyMemberForm(request.POST or None)
    saved = save_with_service(
        form, request, partial(services.family_member_add, actor=request.user, client=client)
    )
    if saved is not None:
        messages.success(request, f"Added {saved}.")
        return redirect("clients:detail", pk=client.pk)
    return _form_page(
        request,
        form,
        title=f"Add a family member of {client.display_name}",
        cancel_url=reverse("clients:detail", args=[client.pk]),
    )


@login_required
def family_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = object_for_request(request, FamilyMember, pk, write=True, select_related=("client",))
    form = forms.FamilyMemberForm(request.POST or None, instance=member)
    saved = save_with_service(
        form, request, partial(services.family_member_update, actor=request.user, member=member)
    )
    if saved is not None:
        messages.success(request, f"Saved {saved}.")
        return redirect("clients:detail", pk=member.client_id)
    return _form_page(
        request,
        form,
        title=f"Edit {member}",
        cancel_url=reverse("clients:detail", args=[member.client_id]),
    )


# --- Enrollments ------------------------------------------------------------------------------


@login_required
def enrollment_open(request: HttpRequest, pk: int) -> HttpResponse:
    viewer: User = request.user  # type: ignore[assignment]
    client = object_for_request(request, Client, pk)
    case_managers = _assignable_case_managers(viewer)
    if not case_managers:
        log_denied(request, Client, pk)
        raise PermissionDenied("Only case managers and supervisors open enrollments.")
    form = forms.EnrollmentOpenForm(
        request.POST or None,
        case_managers=case_managers,
        initial={
            "case_manager": case_managers[0] if viewer.is_case_manager else None,
            "application_date": timezone.localdate(),
        },
    )
    saved = save_with_service(
        form, request, partial(services.enrollment_open, actor=viewer, client=client)
    )
    if saved is not None:
        messages.success(request, f"Opened {saved}.")
        return redirect("clients:detail", pk=client.pk)
    return _form_page(
        request,
        form,
        title=f"Open an enrollment for {client.display_name}",
        cancel_url=reverse("clients:detail", args=[client.pk]),
    )


def _writable_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    return object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program", "case_manager")
    )


@login_required
def enrollment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _writable_enrollment(request, pk)
    form = forms.EnrollmentEditForm(request.POST or None, instance=enrollment)
    saved = save_with_service(
        form,
        request,
        partial(services.enrollment_update, actor=request.user, enrollment=enrollment),
    )
    if saved is not None:
        messages.success(request, "Enrollment saved.")
        return redirect("clients:detail", pk=enrollment.client_id)
    return _form_page(
        request,
        form,
        title=f"Edit {enrollment}",
        cancel_url=reverse("clients:detail", args=[enrollment.client_id]),
    )


@login_required
def enrollment_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    viewer: User = request.user  # type: ignore[assignment]
    enrollment = _writable_enrollment(request, pk)
    if viewer.is_supervisor:
        colleagues = _assignable_case_managers(viewer)
    else:
        colleagues = list(case_managers_of_teams(team_ids=frozenset({viewer.team_id})))
    form = forms.EnrollmentTransferForm(
        request.POST or None,
        case_managers=[u for u in colleagues if u.pk != enrollment.case_manager_id],
    )
    saved = save_with_service(
        form, request, partial(services.enrollment_transfer, actor=viewer, enrollment=enrollment)
    )
    if saved is not None:
        messages.success(request, f"Transferred to {enrollment.case_manager}.")
        return redirect("clients:detail", pk=enrollment.client_id)
    return _form_page(
        request,
        form,
        title=f"Transfer {enrollment}",
        cancel_url=reverse("clients:detail", args=[enrollment.client_id]),
    )


@login_required
def enrollment_close(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _writable_enrollment(request, pk)
    form = forms.EnrollmentCloseForm(request.POST or None)
    saved = save_with_service(
        form, request, partial(services.enrollment_close, actor=request.user, enrollment=enrollment)
    )
    if saved is not None:
        messages.success(request, f"Closed {enrollment}.")
        return redirect("clients:detail", pk=enrollment.client_id)
    return _form_page(
        request,
        form,
        title=f"Close {enrollment}",
        cancel_url=reverse("clients:detail", args=[enrollment.client_id]),
    )


# --- Contacts ---------------------------------------------------------------------------------


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a contact from the caseload or the client page, in a modal (htmx) that closes
    when saved; without htmx it is an ordinary page that returns to the client."""
    viewer: User = request.user  # type: ignore[assignment]
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
    form = forms.ContactForm(
        request.POST or None,
        enrollments=enrollments,
        initial={
            "enrollment": int_param(request, "enrollment") or enrollments[0].pk,
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        },
    )
    contact = save_with_service(form, request, partial(services.contact_record, actor=viewer))
    if contact is not None:
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Trigger": CONTACT_RECORDED_EVENT})
        messages.success(request, "Contact recorded.")
        return redirect("clients:detail", pk=client.pk)
    context = {
        "form": form,
        "client": client,
        "action": reverse("clients:contact_create", args=[client.pk]),
    }
    template = "clients/_contact_form.html" if request.htmx else "clients/contact_form.html"
    # htmx swaps 4xx responses only where told to; the modal form is re-rendered with its errors.
    return render(
        request,
        template,
        context,
        status=200 if request.htmx else (400 if request.method == "POST" else 200),
    )


@login_required
def contact_correct(request: HttpRequest, pk: int) -> HttpResponse:
    contact = object_for_request(request, Contact, pk, write=True, select_related=("client",))
    if not services.contact_can_correct(actor=request.user, contact=contact):  # type: ignore[arg-type]
        messages.error(request, "This contact can no longer be corrected; add an addendum.")
        return redirect("clients:contact_addendum", pk=contact.pk)
    form = forms.ContactCorrectForm(request.POST or None, instance=contact)
    saved = save_with_service(
        form, request, partial(services.contact_correct, actor=request.user, contact=contact)
    )
    if saved is not None:
        messages.success(request, "Contact corrected.")
        return redirect("clients:detail", pk=contact.client_id)
    return _form_page(
        request,
        form,
        title=f"Correct {contact}",
        cancel_url=reverse("clients:detail", args=[contact.client_id]),
    )


@login_required
def contact_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    contact = object_for_request(request, Contact, pk, write=True, select_related=("client",))
    form = forms.AddendumForm(request.POST or None)
    saved = save_with_service(
        form, request, partial(services.contact_add_addendum, actor=request.user, contact=contact)
    )
    if saved is not None:
        messages.success(request, "Addendum added.")
        return redirect("clients:detail", pk=contact.client_id)
    return _form_page(
        request,
        form,
        title=f"Addendum to {contact}",
        contact=contact,
        cancel_url=reverse("clients:detail", args=[contact.client_id]),
    )
