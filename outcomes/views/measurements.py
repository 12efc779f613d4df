"""Outcome measurements: record an occasion's measures for an enrollment, correct them, and the
client page's outcomes card (loaded by htmx after the page).

gate (clients.access) → form (outcomes.forms) → service (outcomes.services) → redirect.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.roles import require_clinical_writer
from casemgmt.service_forms import save_with_service
from clients.access import log_client_view, object_for_request
from clients.models import Client, Enrollment
from outcomes import selectors, services
from outcomes.forms import MeasurementForm, initial_from
from outcomes.models import Occasion, OutcomeMeasurement
from outcomes.schedule import measures_of


def _status(request: AuthenticatedHttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _client_url(enrollment: Enrollment) -> str:
    return reverse("workspace:client", args=[enrollment.client_id]) + "#outcomes"


def _first_occasion(enrollment: Enrollment) -> str:
    """The occasion the form suggests: the intake until there is one, then a follow-up (the
    discharge once the episode has closed)."""
    if not enrollment.is_open:
        return Occasion.DISCHARGE
    has_intake = (
        OutcomeMeasurement.objects.current()
        .filter(enrollment=enrollment, occasion=Occasion.INTAKE)
        .exists()
    )
    return Occasion.FOLLOW_UP if has_intake else Occasion.INTAKE


@login_required
def measurement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the program's measures for one occasion of an enrollment on the viewer's
    caseload (a supervisor: of their teams)."""
    enrollment = object_for_request(
        request, Enrollment, pk, write=True, select_related=("client", "program")
    )
    require_clinical_writer(request.user, to="record outcome measures")
    form = MeasurementForm(
        request.POST or None,
        measures=measures_of(enrollment.program).measures,
        initial={"occasion": _first_occasion(enrollment), "measured_on": dates.today()},
    )
    saved = save_with_service(
        form,
        request,
        partial(services.measurement_record, actor=request.user, enrollment=enrollment),
    )
    if saved is not None:
        messages.success(request, f"{saved.get_occasion_display()} measures recorded.")
        return redirect(_client_url(enrollment))
    return render(
        request,
        "outcomes/measurement_form.html",
        {
            "form": form,
            "enrollment": enrollment,
            "client": enrollment.client,
            "title": "Record outcome measures",
        },
        status=_status(request),
    )


@login_required
def measurement_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a measurement: a new version replaces it, the old one stays in the record."""
    measurement = object_for_request(
        request,
        OutcomeMeasurement,
        pk,
        write=True,
        select_related=("enrollment__client", "enrollment__program"),
    )
    require_clinical_writer(request.user, to="correct outcome measures")
    enrollment = measurement.enrollment
    form = MeasurementForm(
        request.POST or None,
        measures=measures_of(enrollment.program).measures,
        correcting=measurement,
        initial=initial_from(measurement),
    )
    saved = save_with_service(
        form,
        request,
        partial(services.measurement_correct, actor=request.user, measurement=measurement),
    )
    if saved is not None:
        messages.success(request, f"{saved.get_occasion_display()} measures corrected.")
        return redirect(_client_url(enrollment))
    return render(
        request,
        "outcomes/measurement_form.html",
        {
            "form": form,
            "enrollment": enrollment,
            "client": enrollment.client,
            "measurement": measurement,
            "title": f"Correct the {measurement.get_occasion_display().lower()} measures",
        },
        status=_status(request),
    )


@login_required
def client_outcomes_card(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The client page's outcome measures: per episode, the change from baseline with a chart
    and its table, the measurements and the next one's due date. A read of the client record
    like the page: the same gate (404 out of scope) and one access-log row."""
    client = object_for_request(request, Client, pk)
    log_client_view(request, client)
    context = {
        "client": client,
        "episodes": selectors.client_outcomes(
            viewer=request.user, client=client, today=dates.today()
        ),
        "today": dates.today(),
    }
    template = "outcomes/_client_outcomes.html"
    if request.htmx:
        return render(request, template, context)
    return render(
        request,
        "workspace/card_page.html",
        {
            **context,
            "card_template": template,
            "title": f"Outcome measures of {client.display_name}",
        },
    )
