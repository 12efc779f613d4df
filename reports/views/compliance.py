"""The compliance-rate report (``/reports/compliance/``), its drill-down to the enrollments
behind a figure (``/reports/compliance/enrollments/``), and their CSV and XLSX exports
(``?format=csv|xlsx``): every role reads its own scope (reports.compliance_rates)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from exports import http as exports_http
from reports import compliance_rates as rates
from reports.forms.compliance import ComplianceDrillDownForm, ComplianceRatesForm
from reports.tables import drill_down_enrollments

DRILL_DOWN_PAGE_SIZE = 50


def _percent(figure: rates.Figure) -> str:
    percent = figure.percent
    return "—" if percent is None else f"{percent}%"


def _drill_down_base(report: rates.RatesReport) -> str:
    """The drill-down's address with the report's date and grouping, escaped for an
    attribute; a figure's link adds its standard, status and group (codes and ids that need
    no quoting), so a report of a thousand figures quotes its parameters once."""
    query = urlencode({"as_of": report.as_of.isoformat(), "by": report.by})
    return escape(f"{reverse('reports:compliance_enrollments')}?{query}")


# The standards' labels, escaped once.
_LABELS = {code: escape(label) for code, label in rates.STANDARD_LABELS.items()}


def _row(base: str, group: rates.GroupRates) -> SafeString:
    """A group's row: its name, the enrollments open, then per standard the rate
    linked to the enrollments that met it, met of judged, and links to those not met and
    excused. Written with f-strings from escaped parts rather than a template or
    ``format_html`` per cell: a report per team has a thousand figures, and either costs
    more than the page's SQL. Only the group's name and the labels are text; every other
    part is a number or a code."""
    in_group = "" if group.group_id is None else f"&amp;group={group.group_id}"
    name = escape(group.label)
    first = group.figures[rates.STANDARDS[0]]
    cells = [
        f'<tr><th scope="row">{name}</th><td data-label="Open" class="text-end">{first.open}</td>'
    ]
    for code in rates.STANDARDS:
        figure, label = group.figures[code], _LABELS[code]
        link = f"{base}&amp;standard={code}{in_group}&amp;status="
        percent, met, judged = _percent(figure), figure.met, figure.judged
        cell = (
            f'<a href="{link}{rates.MET}" aria-label="{label}, {name}: {percent}; {met} met of '
            f'{judged}">{percent}</a> <span class="small text-muted">({met}/{judged})</span>'
        )
        if figure.unmet:
            cell += f'<br><a class="small" href="{link}{rates.UNMET}">{figure.unmet} not met</a>'
        if figure.excused:
            cell += (
                f'<br><a class="small" href="{link}{rates.EXCUSED}">{figure.excused} excused</a>'
            )
        cells.append(f'<td data-label="{label}">{cell}</td>')
    return mark_safe("".join(cells) + "</tr>")  # nosec B308, B703  # every text part is escaped above


@login_required
def compliance_rates(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Per standard, the share of open enrollments meeting it as of ``?as_of=`` (today by
    default) per ``?by=`` team, program or region, and its trend over the twelve month ends
    before; each figure links to the enrollments behind it."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "reports.compliance")
    form = ComplianceRatesForm.from_query(request.GET, today=dates.today())
    if not form.is_valid():
        return render(request, "reports/compliance.html", {"form": form}, status=400)
    as_of, by = form.cleaned_data["as_of"], form.cleaned_data["by"]
    report = rates.rates_on(viewer=request.user, as_of=as_of, by=by)
    drill_down = _drill_down_base(report)
    context = {
        "form": form,
        "report": report,
        "group_label": rates.GROUPINGS[by],
        "standard_labels": [rates.STANDARD_LABELS[code] for code in rates.STANDARDS],
        # One string for the body: a template writing each of 170 rows costs more than the rows.
        "table": mark_safe("".join(_row(drill_down, group) for group in report.groups)),  # nosec B308, B703  # built from escaped parts only (see the docstring)
        "total": _row(drill_down, report.total),
        "trend": [
            (day, f"{reverse('reports:compliance_trend')}?{urlencode({'as_of': day.isoformat()})}")
            for day in rates.month_ends_before(as_of)
        ],
        "export_links": exports_http.export_links(request),
    }
    return render(request, "reports/compliance.html", context)


@login_required
def compliance_trend(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One month end of the report's trend, as a row of its table (the page asks for each of
    the twelve, htmx, and its chart redraws as each arrives): every standard's rate in the
    viewer's scope on ``?as_of=``."""
    form = ComplianceRatesForm.from_query(request.GET, today=dates.today())
    if not form.is_valid():
        context = {"form": form, "columns": len(rates.STANDARDS) + 1}
        return render(request, "reports/_compliance_trend_row.html", context, status=400)
    day = form.cleaned_data["as_of"]
    figures = rates.totals_on(viewer=request.user, as_of=day)
    context = {
        "day": day,
        "percents": [_percent(figures[code]) for code in rates.STANDARDS],
        # For the chart: the rates as numbers, null where no enrollment was judged.
        "points": json.dumps([figures[code].percent for code in rates.STANDARDS]),
    }
    return render(request, "reports/_compliance_trend_row.html", context)


@login_required
def compliance_enrollments(
    request: AuthenticatedHttpRequest,
) -> HttpResponse | StreamingHttpResponse:
    """The enrollments behind one figure of the report: a standard, met / not met / excused,
    on a date, in a group (or the whole scope), read through the viewer's scope."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "reports.compliance_enrollments")
    form = ComplianceDrillDownForm.from_query(request.GET, today=dates.today())
    if not form.is_valid():
        return render(request, "reports/compliance_enrollments.html", {"form": form}, status=400)
    data = form.cleaned_data
    enrollments = drill_down_enrollments(request.user, data)
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
        "export_links": exports_http.export_links(request),
    }
    return render(request, "reports/compliance_enrollments.html", context)
