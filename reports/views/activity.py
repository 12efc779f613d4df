"""The staff activity log page (``/reports/activity/``) and its CSV and XLSX exports."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from reports import activity, exports
from reports.forms.activity import ActivityForm


def _chart_data(report: activity.ActivityReport) -> dict[str, Any]:
    totals = report.totals_by_period()
    return {
        "labels": [period.label for period, _ in totals],
        "datasets": [
            {"label": label, "data": [counts[group] for _, counts in totals]}
            for group, label in activity.TYPE_GROUP_LABELS.items()
        ],
    }


def _export_links(request: AuthenticatedHttpRequest) -> dict[str, str]:
    query = request.GET.copy()
    links = {}
    for fmt in exports.FORMATS:
        query["format"] = fmt
        links[fmt] = f"{request.path}?{query.urlencode()}"
    return links


@login_required
def activity_log(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every role reads the log of its scope (reports.activity): a case manager their own,
    a supervisor their teams', administrators and QA reviewers the agency's."""
    fmt = exports.requested_format(request)
    if fmt is not None and fmt not in exports.FORMATS:
        return HttpResponseBadRequest("The format is csv or xlsx.")
    form = ActivityForm.from_query(request.GET, today=dates.today())
    if not form.is_valid():
        return render(request, "reports/activity.html", {"form": form}, status=400)
    report = activity.activity_report(
        viewer=request.user,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        kind=form.cleaned_data["period"],
        by=form.cleaned_data["by"],
    )
    headers, rows = activity.table_headers(report), activity.table_rows(report)
    if fmt is not None:
        return exports.export_response(
            request,
            fmt=fmt,
            name="staff-activity",
            headers=headers,
            rows=rows,
            part2=activity.holds_part2_records(report),
        )
    context = {
        "form": form,
        "report": report,
        "headers": headers,
        "rows": rows,
        "table": [list(zip(headers, row, strict=True)) for row in rows],
        "totals_table": [
            (period, [(activity.TYPE_GROUP_LABELS[g], counts[g]) for g in activity.TYPE_GROUPS])
            for period, counts in report.totals_by_period()
        ],
        "type_labels": list(activity.TYPE_GROUP_LABELS.values()),
        "chart_data": _chart_data(report),
        "export_links": _export_links(request),
    }
    return render(request, "reports/activity.html", context)
