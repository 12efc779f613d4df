"""The compliance-rate report (``/reports/compliance/``), its drill-down to the enrollments
behind a figure (``/reports/compliance/enrollments/``), and their CSV and XLSX exports
(``?format=csv|xlsx``): every role reads its own scope (reports.compliance_rates)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from reports import compliance_rates as rates
from reports import exports
from reports.forms.compliance import ComplianceDrillDownForm, ComplianceRatesForm

DRILL_DOWN_PAGE_SIZE = 50
# Substance-use (42 CFR Part 2) records may be among any program's enrollments (a program
# records nowhere whether it is one; see reports.activity.holds_part2_records): the
# drill-down's export, which names clients, carries the notice; the rates, which are counts,
# do not.
RATES_HOLD_PART2 = False
DRILL_DOWN_HOLDS_PART2 = True


def _percent(figure: rates.Figure) -> str:
    return "—" if figure.percent is None else f"{figure.percent}%"


def _drill_url(*, as_of: Any, by: str, standard: str, status: str, group: int | None) -> str:
    query = {"as_of": as_of.isoformat(), "by": by, "standard": standard, "status": status}
    if group is not None:
        query["group"] = str(group)
    return f"{reverse('reports:compliance_enrollments')}?{urlencode(query)}"


def _cells(report: rates.RatesReport, group: rates.GroupRates) -> list[dict[str, Any]]:
    cells = []
    for code in rates.STANDARDS:
        figure = group.figures[code]
        links = {
            status: _drill_url(
                as_of=report.as_of, by=report.by, standard=code, status=status, group=group.group_id
            )
            for status in rates.STATUSES
        }
        cells.append({"label": rates.STANDARD_LABELS[code], "figure": figure,
                      "percent": _percent(figure), "links": links})  # fmt: skip
    return cells


def rates_headers(by: str) -> list[str]:
    headers = [rates.GROUPINGS[by], "Open enrollments"]
    for code in rates.STANDARDS:
        label = rates.STANDARD_LABELS[code]
        headers += [f"{label}: met", f"{label}: not met", f"{label}: excused", f"{label}: rate %"]
    return headers


def rates_rows(report: rates.RatesReport) -> list[list[Any]]:
    rows = []
    for group in [*report.groups, report.total]:
        row: list[Any] = [group.label, group.figures[rates.STANDARDS[0]].open]
        for code in rates.STANDARDS:
            figure = group.figures[code]
            row += [figure.met, figure.unmet, figure.excused, figure.percent]
        rows.append(row)
    return rows


def _chart_data(report: rates.RatesReport) -> dict[str, Any]:
    points = [*report.trend, (report.as_of, report.total.figures)]
    return {
        "labels": [f"{day:%Y-%m-%d}" for day, _ in points],
        "datasets": [
            {"label": rates.STANDARD_LABELS[code],
             "data": [figures[code].percent for _, figures in points]}
            for code in rates.STANDARDS
        ],
    }  # fmt: skip


def _export_links(request: AuthenticatedHttpRequest) -> dict[str, str]:
    query = request.GET.copy()
    links = {}
    for fmt in exports.FORMATS:
        query["format"] = fmt
        links[fmt] = f"?{query.urlencode()}"
    return links


def _bad_format(request: AuthenticatedHttpRequest) -> str | HttpResponse | None:
    fmt = exports.requested_format(request)
    if fmt is not None and fmt not in exports.FORMATS:
        return HttpResponseBadRequest("The format is csv or xlsx.")
    return fmt


@login_required
def compliance_rates(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Per standard, the share of open enrollments meeting it as of ``?as_of=`` (today by
    default) per ``?by=`` team, program or region, and its trend over the twelve month ends
    before; each figure links to the enrollments behind it."""
    fmt = _bad_format(request)
    if isinstance(fmt, HttpResponse):
        return fmt
    form = ComplianceRatesForm.from_query(request.GET, today=dates.today())
    if not form.is_valid():
        return render(request, "reports/compliance.html", {"form": form}, status=400)
    as_of, by = form.cleaned_data["as_of"], form.cleaned_data["by"]
    report = rates.compliance_rates(viewer=request.user, as_of=as_of, by=by)
    if fmt is not None:
        return exports.export_response(
            request, fmt=fmt, name=f"compliance-rates-{as_of:%Y-%m-%d}",
            headers=rates_headers(by), rows=rates_rows(report), part2=RATES_HOLD_PART2,
        )  # fmt: skip
    context = {
        "form": form,
        "report": report,
        "group_label": rates.GROUPINGS[by],
        "standard_labels": [rates.STANDARD_LABELS[code] for code in rates.STANDARDS],
        "table": [(group, _cells(report, group)) for group in report.groups],
        "total": (report.total, _cells(report, report.total)),
        "trend_table": [
            (day, [_percent(figures[code]) for code in rates.STANDARDS])
            for day, figures in report.trend
        ],
        "chart_data": _chart_data(report),
        "export_links": _export_links(request),
    }
    return render(request, "reports/compliance.html", context)


DRILL_DOWN_HEADERS = [
    "Client", "Record number", "Program", "Team", "Case manager", "Applied", "Due on",
    "Variance until",
]  # fmt: skip


def _drill_row(enrollment: Any) -> list[Any]:
    return [
        enrollment.client.display_name,
        enrollment.client.record_number,
        enrollment.program.name,
        enrollment.team.name,
        enrollment.case_manager.get_full_name() or enrollment.case_manager.username,
        enrollment.application_date,
        getattr(enrollment, "due_on", None),
        getattr(enrollment, "variance_until", None),
    ]


@login_required
def compliance_enrollments(
    request: AuthenticatedHttpRequest,
) -> HttpResponse | StreamingHttpResponse:
    """The enrollments behind one figure of the report: a standard, met / not met / excused,
    on a date, in a group (or the whole scope), read through the viewer's scope."""
    fmt = _bad_format(request)
    if isinstance(fmt, HttpResponse):
        return fmt
    form = ComplianceDrillDownForm.from_query(request.GET, today=dates.today())
    if not form.is_valid():
        return render(request, "reports/compliance_enrollments.html", {"form": form}, status=400)
    data = form.cleaned_data
    enrollments = rates.enrollments_behind(
        viewer=request.user, as_of=data["as_of"], standard=data["standard"],
        status=data["status"], by=data["by"], group_id=data["group"],
    )  # fmt: skip
    if fmt is not None:
        return exports.export_response(
            request, fmt=fmt, name=f"compliance-{data['standard']}-{data['status']}",
            headers=DRILL_DOWN_HEADERS, rows=[_drill_row(e) for e in enrollments],
            part2=DRILL_DOWN_HOLDS_PART2,
        )  # fmt: skip
    page = Paginator(enrollments, DRILL_DOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "standard_label": rates.STANDARD_LABELS[data["standard"]],
        "status_label": rates.STATUSES[data["status"]],
        "status": data["status"],
        "page_query": query.urlencode(),
        "back_url": f"{reverse('reports:compliance')}?"
        f"{urlencode({'as_of': data['as_of'].isoformat(), 'by': data['by']})}",
        "export_links": _export_links(request),
    }
    return render(request, "reports/compliance_enrollments.html", context)
