"""Variance pages: gate (clients.access) → form (supervision.forms.variances) → service
(supervision.services) → redirect/render, in the style of referrals' views.

A variance is asked from the client page's compliance card (against an open flag:
``?flag=``) by whoever may write the enrollment; division administration decides it from the
queue (or its own page), and the enrollment is evaluated at once, so an approved variance's
flag leaves the caseload. Supervisors follow their teams' requests on the variance list (Idaho
CMH clinical case management standard 11).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User
from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import is_active_administrator, require_administrator
from casemgmt.service_forms import add_service_errors, int_param, save_with_service
from clients.access import log_client_view, object_for_request
from clients.models import Enrollment
from exports import http as exports_http
from supervision import selectors, services, tables
from supervision.forms.variances import VarianceDecideForm, VarianceRequestForm
from supervision.models import Flag, Variance

VARIANCE_PAGE_SIZE = 50
# The confirmation page's POST says so: only then is a decision signed.
CONFIRMED = "yes"


def _status(request: AuthenticatedHttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _administrator(request: AuthenticatedHttpRequest) -> User:
    require_administrator(request.user, to="decides variances")
    return request.user


def _next_url(request: AuthenticatedHttpRequest) -> str:
    """Where to go back after a decision made from the queue (its filters kept); only a path
    of this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


def _page_query(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Asking -----------------------------------------------------------------------------------


@login_required
def variance_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask for a variance on an enrollment the user may write: against one of its open flags
    (``?flag=`` picks it, and its standard) or a standard by name."""
    viewer = request.user
    enrollment = object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program")
    )
    open_flags = list(Flag.objects.open().filter(enrollment=enrollment).order_by("due_on", "id"))
    flag = next((f for f in open_flags if f.pk == int_param(request, "flag")), None)
    initial: dict[str, Any] = {"flag": flag.pk, "rule": flag.rule} if flag else {}
    form = VarianceRequestForm(request.POST or None, flags=open_flags, initial=initial)
    variance = save_with_service(
        form, request, partial(services.variance_request, actor=viewer, enrollment=enrollment)
    )
    if variance is not None:
        messages.success(
            request,
            f"Variance requested: {variance.get_rule_display()}. Division administration "
            "will approve or deny it.",
        )
        return redirect("supervision:variance_detail", pk=variance.pk)
    today = dates.today()
    return render(
        request,
        "supervision/variance_form.html",
        {
            "form": form,
            "enrollment": enrollment,
            "client": enrollment.client,
            "flag": flag,
            "explained": flag.explain(as_of=today) if flag else None,
        },
        status=_status(request),
    )


# --- Reading ----------------------------------------------------------------------------------


def _variance_for(request: AuthenticatedHttpRequest, pk: int) -> Variance:
    variance = object_for_request(
        request, Variance, pk, select_related=selectors.VARIANCE_SELECT_RELATED
    )
    return variance


def _variance_page(
    request: AuthenticatedHttpRequest,
    variance: Variance,
    *,
    template: str = "supervision/variance_detail.html",
    form: VarianceDecideForm | None = None,
) -> HttpResponse:
    viewer = request.user
    log_client_view(request, variance.enrollment.client)
    can_decide = is_active_administrator(viewer) and variance.status == Variance.Status.PENDING
    if form is None and can_decide:
        form = VarianceDecideForm(initial={"approved_due_on": variance.proposed_due_on})
    today = dates.today()
    return render(
        request,
        template,
        {
            "variance": variance,
            "enrollment": variance.enrollment,
            "client": variance.enrollment.client,
            "explained": variance.flag.explain(as_of=today) if variance.flag else None,
            "can_decide": can_decide,
            "form": form,
            "next": _next_url(request),
        },
        status=_status(request),
    )


@login_required
def variance_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One variance: the standard, the flag it was asked against, why, the dates, and the
    decision (or, for administrators, the form to make it)."""
    return _variance_page(request, _variance_for(request, pk))


@login_required
def variance_list(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The variances of the user's teams (every team for agency-wide roles), newest first,
    filterable by status, region, program and standard; every row of the filter (not only
    the page) is exported with ``?format=csv|xlsx`` (supervision.tables)."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "supervision.variance_list")
    finder = tables.variance_list_filter(request.user, request.GET)
    page = Paginator(finder.qs, VARIANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/variance_list.html",
        {
            "filter": finder,
            "page": page,
            "rows": selectors.variance_rows(page, today=dates.today()),
            "page_query": _page_query(request),
            "export_links": exports_http.export_links(request),
        },
    )


# --- Deciding (division administration) -------------------------------------------------------


@login_required
def variance_queue(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Division administration's queue: pending variances, the longest waiting first, each
    with what it is about (client, program, team and region, standard, the flag's due date
    and days overdue, the reason, the proposed date) and a form to approve or deny it there.
    Filter by region, program and standard, or by status to see decided ones; every row of
    the filter (not only the page) is exported with ``?format=csv|xlsx`` (supervision.tables)."""
    viewer = _administrator(request)
    if exports_http.wants_file(request):
        return exports_http.export(request, "supervision.variance_queue")
    finder = tables.variance_queue_filter(viewer, request.GET)
    page = Paginator(finder.qs, VARIANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/variance_queue.html",
        {
            "filter": finder,
            "page": page,
            "rows": selectors.variance_rows(page, today=dates.today()),
            "page_query": _page_query(request),
            "here": request.get_full_path(),
            "export_links": exports_http.export_links(request),
        },
    )


@login_required
def variance_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Approve (with the new due date) or deny (with the reason) one pending variance; from
    the queue, back to the queue. Only administrators: anyone else gets 403.

    A decision is signed (decided_by, decided_at) only once confirmed: a POST without
    ``confirmed`` is checked as the service would check it and, if it would be accepted, shows
    what is about to be signed (the confirmation page, whose POST carries ``confirmed``);
    nothing is written until then."""
    viewer = _administrator(request)
    variance = _variance_for(request, pk)
    if variance.status != Variance.Status.PENDING and request.method != "POST":
        messages.info(request, f"This variance is already {variance.get_status_display().lower()}.")
        return redirect("supervision:variance_detail", pk=variance.pk)
    form = VarianceDecideForm(
        request.POST or None, initial={"approved_due_on": variance.proposed_due_on}
    )
    if request.method == "POST" and request.POST.get("confirmed") != CONFIRMED:
        return _decision_to_confirm(request, variance, form)
    decided = save_with_service(
        form, request, partial(services.variance_decide, actor=viewer, variance=variance)
    )
    if decided is not None:
        client = decided.enrollment.client
        if decided.status == Variance.Status.APPROVED:
            messages.success(
                request,
                f"Approved the variance for {client.display_name} until "
                f"{decided.approved_due_on:%Y-%m-%d}.",
            )
        else:
            messages.success(request, f"Denied the variance for {client.display_name}.")
        return redirect(_next_url(request) or reverse("supervision:variance_queue"))
    return _variance_page(request, variance, template="supervision/variance_decide.html", form=form)


def _decision_to_confirm(
    request: AuthenticatedHttpRequest, variance: Variance, form: VarianceDecideForm
) -> HttpResponse:
    """A decision not confirmed yet: refused with its message if the service would refuse it
    (supervision.services.variance_decision_check: a date in the past or past the rule's
    maximum, a denial without a reason), else shown for confirmation."""
    if form.is_valid():
        try:
            services.variance_decision_check(
                variance=variance, today=dates.today(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            decision = form.cleaned_data
            log_client_view(request, variance.enrollment.client)
            return render(
                request,
                "supervision/variance_decide_confirm.html",
                {
                    "variance": variance,
                    "enrollment": variance.enrollment,
                    "client": variance.enrollment.client,
                    "approve": decision["approve"],
                    "until": decision["approved_due_on"] or variance.proposed_due_on,
                    "note": decision["note"].strip(),
                    "next": _next_url(request),
                    "confirmed": CONFIRMED,
                },
            )
    return _variance_page(request, variance, template="supervision/variance_decide.html", form=form)


# --- Regional service-delivery plans ----------------------------------------------------------
