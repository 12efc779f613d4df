"""Web pages of the readiness, risk and adherence screen: record one (the service raises the
supervisor's alert on a positive item), read one. An invalid or refused screen comes back on
its form with a 400."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import supervises_team
from casemgmt.service_forms import add_service_errors
from clients.access import log_client_view, object_for_request
from clients.models import Enrollment
from serviceplans import services
from serviceplans.forms.risk_screens import RiskScreenForm
from serviceplans.models import RiskScreen


@login_required
def risk_screen_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a readiness, risk and adherence screen. A positive risk item alerts the team's
    supervisor at once (the service raises the alert); the message says so."""
    enrollment = object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program")
    )
    form = RiskScreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screen = services.risk_screen_record(
                actor=request.user,
                enrollment=enrollment,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if screen.positive:
                messages.warning(
                    request,
                    f"Risk screen recorded: at risk ({', '.join(screen.positive_items)}). "
                    "The team's supervisor has been alerted.",
                )
            else:
                messages.success(request, "Risk screen recorded: no risk item positive.")
            return redirect("workspace:client", pk=enrollment.client_id)
    return render(
        request,
        "serviceplans/risk_screen_form.html",
        {"form": form, "enrollment": enrollment, "client": enrollment.client},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def risk_screen_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    screen = object_for_request(
        request,
        RiskScreen,
        pk,
        select_related=("enrollment__client", "enrollment__program", "author", "alert"),
    )
    log_client_view(request, screen.enrollment.client)
    return render(
        request,
        "serviceplans/risk_screen_detail.html",
        {
            "screen": screen,
            "client": screen.enrollment.client,
            # A reverse one-to-one: absent on a negative screen.
            "alert": getattr(screen, "alert", None),
            "can_write_note": supervises_team(request.user, screen.enrollment.team_id),
        },
    )
