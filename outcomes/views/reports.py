"""The outcomes report (share of clients improved per program and measure) and the
continuity-of-care report (days from a referral sent, or a discharge from detox or inpatient
treatment, to entry into the next service), each over a period the viewer sets, in the
viewer's report scope (outcomes.selectors), and their CSV and XLSX exports
(``?format=csv|xlsx``, outcomes.tables): the same rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from casemgmt.http import AuthenticatedHttpRequest
from exports import http as exports_http
from outcomes import selectors, tables
from outcomes.forms import DEFAULT_PERIOD_DAYS as DEFAULT_PERIOD_DAYS  # devtools reads it here
from outcomes.forms import PeriodForm


def _render(
    request: AuthenticatedHttpRequest, template: str, form: PeriodForm, **context: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "export_links": exports_http.export_links(request), **context},
        status=200 if form.is_valid() else 400,
    )


@login_required
def outcomes_report(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Per program and measure, the share of clients who improved from their intake to their
    latest measurement in the period, with the counts and a chart beside the table."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "outcomes.report")
    form = tables.period_form(request.user, request.GET)
    if not form.is_valid():
        return _render(request, "outcomes/report.html", form, rows=[])
    rows = tables.outcome_rows(request.user, form.cleaned_data)
    chart = {
        "labels": [f"{r.program}: {r.measure.name}" for r in rows],
        "values": [round(100 * (r.improved_share or 0), 1) for r in rows],
        "label": "Improved (%)",
        "axis": "Clients improved (%)",
        "min": 0,
        "max": 100,
    }
    return _render(request, "outcomes/report.html", form, rows=rows, chart=chart)


@login_required
def continuity_report(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Per program and provider, the referrals sent in the period, the days to entry into the
    service and the share entered within 14 days; then the program's clients discharged from
    detox or inpatient treatment in the period, the days to their first contact."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "outcomes.continuity")
    form = tables.period_form(request.user, request.GET)
    if not form.is_valid():
        return _render(request, "outcomes/continuity.html", form, rows=[])
    rows = tables.continuity_rows(request.user, form.cleaned_data)
    return _render(
        request,
        "outcomes/continuity.html",
        form,
        rows=rows,
        within_days=selectors.ENGAGED_WITHIN_DAYS,
    )
