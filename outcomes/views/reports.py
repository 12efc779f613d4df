"""The outcomes report (share of clients improved per program and measure) and the
continuity-of-care report (days from a referral sent to entry into the service), each over a
period the viewer sets, in the viewer's report scope (outcomes.selectors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from outcomes import selectors
from outcomes.forms import PeriodForm

DEFAULT_PERIOD_DAYS = 365


def _period_form(request: AuthenticatedHttpRequest) -> PeriodForm:
    """The period asked for, by default the year up to today."""
    today = dates.today()
    data = request.GET.copy()
    data.setdefault("start", (today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat())
    data.setdefault("end", today.isoformat())
    return PeriodForm(data, programs=selectors.report_programs(request.user))


def _render(
    request: AuthenticatedHttpRequest, template: str, form: PeriodForm, **context: Any
) -> HttpResponse:
    return render(
        request, template, {"form": form, **context}, status=200 if form.is_valid() else 400
    )


@login_required
def outcomes_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per program and measure, the share of clients who improved from their intake to their
    latest measurement in the period, with the counts and a chart beside the table."""
    form = _period_form(request)
    if not form.is_valid():
        return _render(request, "outcomes/report.html", form, rows=[])
    rows = selectors.outcomes_report(
        viewer=request.user,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        program_id=form.cleaned_data["program"],
    )
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
def continuity_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per program and provider, the referrals sent in the period, the days to entry into the
    service and the share entered within 14 days."""
    form = _period_form(request)
    if not form.is_valid():
        return _render(request, "outcomes/continuity.html", form, rows=[])
    rows = selectors.continuity_report(
        viewer=request.user,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        today=dates.today(),
        program_id=form.cleaned_data["program"],
    )
    return _render(
        request,
        "outcomes/continuity.html",
        form,
        rows=rows,
        within_days=selectors.ENGAGED_WITHIN_DAYS,
    )
