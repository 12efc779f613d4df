"""The staff activity log page (``/reports/activity/``) and its CSV and XLSX exports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from casemgmt import dates
from casemgmt.http import AuthenticatedHttpRequest
from exports import http as exports_http
from reports import activity
from reports.forms.activity import ActivityForm

ROWS_PER_PAGE = 100


def _chart_data(report: activity.ActivityReport) -> dict[str, Any]:
    totals = report.totals_by_period()
    return {
        "labels": [period.label for period, _ in totals],
        "datasets": [
            {"label": label, "data": [counts[group] for _, counts in totals]}
            for group, label in activity.TYPE_GROUP_LABELS.items()
        ],
    }


# The cells after the first two: the period's first and last days, then the figures.
_DATES = (2, 3)
_FIGURES_FROM = 4


def _cell_text(index: int, value: Any) -> str:
    """A cell as the page shows it, escaped: a dash for no figure, dates as ISO days."""
    if value is None:
        return "—"
    if index in _DATES:
        return f"{value:%Y-%m-%d}"
    return str(escape(value)) if isinstance(value, str) else str(value)


def _table_body(headers: list[str], rows: list[list[Any]]) -> SafeString:
    """The table's rows as HTML, each cell labelled with its header for the phone layout.
    The openings of the cells are written once and every value is escaped in ``_cell_text``:
    a page holds a hundred rows of sixteen cells, and a template's lookups, or
    ``format_html`` per cell, cost several times the page's other work (so does a template
    writing each row: the body is one string)."""
    openings = [
        format_html('<td data-label="{}" class="{}">', header, "text-end" * (i >= _FIGURES_FROM))
        for i, header in enumerate(headers)
    ]
    return mark_safe(  # nosec B308, B703  # every value is escaped by _cell_text, every opening by format_html
        "".join(
            f'<tr><th scope="row">{_cell_text(0, cells[0])}</th>'
            + "".join(
                f"{openings[i]}{_cell_text(i, value)}</td>" for i, value in enumerate(cells) if i
            )
            + "</tr>"
            for cells in rows
        )
    )


@login_required
def activity_log(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every role reads the log of its scope (reports.activity): a case manager their own,
    a supervisor their teams', administrators and QA reviewers the agency's."""
    if exports_http.wants_file(request):
        return exports_http.export(request, "reports.activity")
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
    headers = activity.table_headers(report)
    # An agency has a thousand case managers: the page shows them a page at a time (its
    # totals and chart count them all; the export holds every row).
    page = Paginator(report.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "report": report,
        "headers": headers,
        "rows": report.rows,
        "table": _table_body(headers, [activity.table_row(row) for row in page.object_list]),
        "page": page,
        "page_query": query.urlencode(),
        "totals_table": [
            (period, [(activity.TYPE_GROUP_LABELS[g], counts[g]) for g in activity.TYPE_GROUPS])
            for period, counts in report.totals_by_period()
        ],
        "type_labels": list(activity.TYPE_GROUP_LABELS.values()),
        "chart_data": _chart_data(report),
        "export_links": exports_http.export_links(request),
        "in_request_max_rows": settings.EXPORT_IN_REQUEST_MAX_ROWS,
        "contact_export_links": exports_http.export_links(
            request, path=reverse("reports:activity_contacts")
        ),
    }
    return render(request, "reports/activity.html", context)


@login_required
def activity_contacts(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The log's contacts one by one, as a file only (``?format=csv|xlsx`` with the log's
    range): an agency's year of them is written by an export job (exports.http)."""
    if not exports_http.wants_file(request):
        return HttpResponseBadRequest("Ask for a file: ?format=csv or ?format=xlsx.")
    return exports_http.export(request, "reports.activity_contacts")
