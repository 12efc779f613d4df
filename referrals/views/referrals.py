"""Referral pages: gate (clients.access) → form (referrals.forms.referrals) → service
(referrals.services) → redirect/render.

A referral is made from the client page or from a goal of the active plan (``?goal=``), then
moved one allowed step at a time (referrals.transitions) on its page, where the follow-up
date can be set and the packet produced (a PDF, and an entry in the accounting of
disclosures). The referral list shows what is due, like the caseload: a case manager's own,
a supervisor's teams and case managers, any team for administrators and QA reviewers.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from casemgmt.dates import today
from casemgmt.http import AuthenticatedHttpRequest, worklist_asked
from casemgmt.service_forms import int_param, save_with_service
from clients.access import log_client_view, log_denied, object_for_request
from clients.models import Client, Enrollment
from exports import http as exports_http
from referrals import packet, selectors, services, tables, transitions
from referrals.forms import referrals as referral_forms
from referrals.forms.providers import ProviderFilter
from referrals.models import Disclosure, Provider, Referral, ReferralStatus, category_labels
from serviceplans import pdf
from serviceplans.due_dates import due_status
from serviceplans.models import Goal, ServicePlan

REFERRAL_LIST_PAGE_SIZE = 50
REFERRAL_SELECT_RELATED = (
    "enrollment__client",
    "enrollment__program",
    "enrollment__case_manager",
    "provider",
    "service",
    "goal",
    "consent",
    "created_by",
)


def consent_add_url(referral: Referral) -> str:
    """The page to record a release of information for the referral's client, with its
    provider and categories filled in, coming back to the referral once saved."""
    query = urlencode(
        [
            ("provider", str(referral.provider_id)),
            *(("categories", category) for category in referral.categories),
            ("next", reverse("referrals:referral_detail", args=[referral.pk])),
        ]
    )
    url = reverse("referrals:consent_create", args=[referral.enrollment.client_id])
    return f"{url}?{query}"


# --- New referral -----------------------------------------------------------------------------


def _enrollments_to_refer_from(
    request: AuthenticatedHttpRequest, client: Client
) -> list[Enrollment]:
    """The client's open enrollments on the user's caseload, newest first; without one the
    user may not refer the client (403, logged as a refusal)."""
    enrollments = list(
        Enrollment.objects.writable_by(request.user)
        .open()
        .filter(client=client)
        .select_related("program")
        .order_by("-application_date", "pk")
    )
    if not enrollments:
        log_denied(request, Client, client.pk)
        raise PermissionDenied("This client has no open enrollment on your caseload.")
    return enrollments


def _active_goals(enrollments: list[Enrollment]) -> list[Goal]:
    return list(
        Goal.objects.filter(
            plan__enrollment__in=enrollments,
            plan__status=ServicePlan.Status.ACTIVE,
            status=Goal.Status.ACTIVE,
        )
        .select_related("plan__enrollment__program")
        .order_by("plan__enrollment__application_date", "pk")
    )


def _referral_initial(
    request: AuthenticatedHttpRequest,
    *,
    enrollment: Enrollment,
    goal: Goal | None,
    providers: list[Provider],
) -> dict[str, Any]:
    """The form's starting values: the goal's enrollment, the provider asked for when it is
    offered, and on a first visit the readiness of the latest risk screen."""
    initial: dict[str, Any] = {"enrollment": enrollment.pk, "goal": goal.pk if goal else None}
    provider_id = int_param(request, "provider")
    if any(p.pk == provider_id for p in providers):
        initial["provider"] = provider_id
    if request.method != "POST":
        readiness = selectors.readiness_from_latest_screen(enrollment=enrollment)
        if readiness:
            initial["client_readiness"] = readiness
    return initial


@login_required
def referral_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new referral for one of the client's open enrollments on the user's caseload;
    ``?goal=`` links it to a goal of the active plan, ``?provider=`` picks the provider."""
    client = object_for_request(request, Client, pk)
    enrollments = _enrollments_to_refer_from(request, client)
    goals = _active_goals(enrollments)
    # The directory's search narrows the list of providers offered (active ones only).
    finder = ProviderFilter(request.GET, queryset=selectors.provider_directory())
    providers = list(finder.qs.filter(is_active=True))
    goal = next((g for g in goals if g.pk == int_param(request, "goal")), None)
    enrollment = (
        next(e for e in enrollments if e.pk == goal.plan.enrollment_id) if goal else enrollments[0]
    )
    form = referral_forms.ReferralForm(
        request.POST or None,
        enrollments=enrollments,
        goals=goals,
        providers=providers,
        initial=_referral_initial(request, enrollment=enrollment, goal=goal, providers=providers),
    )
    referral = save_with_service(
        form, request, partial(services.referral_create, actor=request.user)
    )
    if referral is not None:
        messages.success(
            request, f"Referral to {referral.provider} drafted. Send it when it is ready."
        )
        return redirect("referrals:referral_detail", pk=referral.pk)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "client": client,
            "goal": goal,
            "finder": finder,
            "providers_count": len(providers),
            "cancel_url": reverse("serviceplans:plan_detail", args=[goal.plan_id])
            if goal
            else reverse("workspace:client", args=[client.pk]),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- One referral -----------------------------------------------------------------------------


def _referral_for(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Referral:
    return object_for_request(
        request, Referral, pk, write=write, select_related=REFERRAL_SELECT_RELATED
    )


# The next-step form and the follow-up form of the referral page, when offered.
StepForms = tuple[
    referral_forms.ReferralTransitionForm | None, referral_forms.ReferralFollowUpForm | None
]


def _step_forms(
    referral: Referral,
    *,
    can_write: bool,
    as_of: dt.date,
    transition_form: referral_forms.ReferralTransitionForm | None,
    follow_up_form: referral_forms.ReferralFollowUpForm | None,
) -> StepForms:
    """The forms the referral page offers: none to a reader; the next step while one is
    allowed; the follow-up date until the referral is finished. A refused POST's form is
    shown again as it was sent."""
    if not can_write:
        return None, None
    allowed = transitions.allowed_next(referral.status)
    if transition_form is None and allowed:
        transition_form = referral_forms.ReferralTransitionForm(allowed=allowed)
    if referral.status in transitions.FINISHED:
        return transition_form, None
    if follow_up_form is None:
        # An overdue date is offered as today: a follow-up date is never set in the past.
        due_on = referral.follow_up_due_on
        follow_up_form = referral_forms.ReferralFollowUpForm(
            initial={"follow_up_due_on": max(due_on, as_of) if due_on else None}
        )
    return transition_form, follow_up_form


def _detail_page(
    request: AuthenticatedHttpRequest,
    referral: Referral,
    *,
    transition_form: referral_forms.ReferralTransitionForm | None = None,
    follow_up_form: referral_forms.ReferralFollowUpForm | None = None,
    consent_missing: bool = False,
    packet_errors: list[str] | None = None,
) -> HttpResponse:
    """The referral page; with the forms of a refused POST, their errors and a 400."""
    log_client_view(request, referral.enrollment.client)
    can_write = Referral.objects.writable_by(request.user).filter(pk=referral.pk).exists()
    as_of = today()
    transition_form, follow_up_form = _step_forms(
        referral,
        can_write=can_write,
        as_of=as_of,
        transition_form=transition_form,
        follow_up_form=follow_up_form,
    )
    due_on = referral.follow_up_due_on
    context = {
        "referral": referral,
        "enrollment": referral.enrollment,
        "client": referral.enrollment.client,
        "steps": list(referral.steps.select_related("by")),
        "disclosures": list(referral.disclosures.select_related("by", "consent")),
        "follow_up": (
            due_status(due_on=due_on, today=as_of, soon_within=transitions.FOLLOW_UP_DUE_SOON_DAYS)
            if due_on
            else None
        ),
        "categories": category_labels(referral.categories),
        "can_write": can_write,
        "transition_form": transition_form,
        "follow_up_form": follow_up_form,
        "consent_missing": consent_missing,
        "consent_url": consent_add_url(referral),
        "packet_errors": packet_errors or [],
    }
    refused = packet_errors or any(
        form is not None and form.errors for form in (transition_form, follow_up_form)
    )
    return render(
        request, "referrals/referral_detail.html", context, status=400 if refused else 200
    )


@login_required
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every step, dated, by whom, with its note; the follow-up due; the next steps."""
    return _detail_page(request, _referral_for(request, pk))


@login_required
@require_POST
def referral_transition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move the referral one allowed step. Sending it without a release of information that
    covers it is refused with what is missing and a link to record one."""
    referral = _referral_for(request, pk, write=True)
    form = referral_forms.ReferralTransitionForm(
        request.POST, allowed=transitions.allowed_next(referral.status)
    )
    consent_missing = False

    def transition(**data: Any) -> Referral:
        nonlocal consent_missing
        try:
            return services.referral_transition(actor=request.user, referral=referral, **data)
        except ValidationError as error:
            consent_missing = "consent" in getattr(error, "error_dict", {})
            raise

    moved = save_with_service(form, request, transition)
    if moved is None:
        return _detail_page(
            request, referral, transition_form=form, consent_missing=consent_missing
        )
    step = moved.get_status_display().lower()
    if moved.status == ReferralStatus.SENT and not moved.shares_information:
        messages.success(
            request, "Marked sent: it shares no information, so no consent was needed."
        )
    else:
        messages.success(request, f"Recorded: {step}.")
    return redirect("referrals:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = _referral_for(request, pk, write=True)
    form = referral_forms.ReferralFollowUpForm(request.POST)
    saved = save_with_service(
        form,
        request,
        partial(services.referral_set_follow_up, actor=request.user, referral=referral),
    )
    if saved is None:
        return _detail_page(request, referral, follow_up_form=form)
    messages.success(request, f"Follow up by {saved.follow_up_due_on:%Y-%m-%d}.")
    return redirect("referrals:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_packet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The packet for the provider as a PDF. Producing it is a disclosure: it needs a release
    of information that covers it today, and it is entered in the accounting of disclosures.
    The disclosure and the PDF stand or fall together."""
    referral = _referral_for(request, pk, write=True)
    try:
        with transaction.atomic():
            disclosure = services.referral_packet_disclose(actor=request.user, referral=referral)
            disclosure = Disclosure.objects.select_related("consent", "by").get(pk=disclosure.pk)
            html = packet.packet_html(
                packet.packet_context(referral=referral, disclosure=disclosure)
            )
            content = pdf.html_to_pdf(html)
    except ValidationError as error:
        return _detail_page(request, referral, packet_errors=error.messages)
    log_client_view(request, referral.enrollment.client)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{packet.packet_filename(referral)}"'
    return response


# --- The referral list ------------------------------------------------------------------------


@login_required
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """What is due: open referrals, the soonest follow-up first (overdue ones lead), for a
    case manager's own caseload; supervisors switch between their teams and case managers,
    administrators and QA reviewers pick any team. ``?show=all`` adds finished ones. Every
    row of the filter (not only the page) is exported with ``?format=csv|xlsx``
    (referrals.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "referrals.referral_list")
    choice = worklist_asked(request)
    teams, case_managers = choice.teams, choice.case_managers
    team_id, case_manager_id = choice.team_id, choice.case_manager_id
    asked = tables.referrals_asked(request.user, choice, request.GET)
    show_all, referrals = asked.show_all, asked.referrals
    page = Paginator(referrals, REFERRAL_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.referral_rows(page, today=today())
    filters: dict[str, Any] = {"show": tables.SHOW_ALL} if show_all else {}
    if case_manager_id is not None and not request.user.is_case_manager:
        filters["case_manager"] = case_manager_id
    elif team_id is not None:
        filters["team"] = team_id
    return render(
        request,
        "referrals/referral_list.html",
        {
            "rows": rows,
            "page": page,
            "page_query": urlencode(filters),
            "show_all": show_all,
            "teams": teams,
            "case_managers": case_managers,
            "selected_case_manager": case_manager_id,
            "selected_team": team_id,
            "export_links": exports_http.export_links(request),
        },
    )
