"""How a page answers ``?format=csv`` or ``?format=xlsx``: with the file, written in the request
up to ``EXPORT_IN_REQUEST_MAX_ROWS`` rows, or with a job for a worker beyond that.

A view hands over the name of its registered table (exports.tables)::

    if exports_http.wants_file(request):
        return exports_http.export(request, "reports.activity")

Every export leaves a row in the access log: who, what (the page and its parameters) and how
many rows; a job's, when its file is downloaded.
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils import timezone

from casemgmt.http import AuthenticatedHttpRequest
from clients.access import client_ip
from clients.models import AccessLog
from clients.services import access_log_record
from exports import formats, tables
from exports.services import export_job_queue

FORMAT_PARAM = "format"


def wants_file(request: HttpRequest) -> bool:
    return FORMAT_PARAM in request.GET


def query_with(request: HttpRequest, **ids: int) -> QueryDict:
    """The request's query with the ids of the objects its address names (for ``export``),
    in place of any the query itself sent."""
    query = request.GET.copy()
    for param, value in ids.items():
        query[param] = str(value)
    return query


def export_links(request: HttpRequest, *, path: str | None = None) -> dict[str, str]:
    """The page's own address (or ``path``, an export of the page's parameters elsewhere) with
    ``format=csv`` and ``format=xlsx``: the same rows."""
    query = request.GET.copy()
    links = {}
    for fmt in formats.FORMATS:
        query[FORMAT_PARAM] = fmt
        links[fmt] = f"{path or request.path}?{query.urlencode()}"
    return links


def log_export(request: AuthenticatedHttpRequest, *, path: str, row_count: int) -> None:
    access_log_record(
        user=request.user,
        client_id=None,
        action=AccessLog.Action.EXPORTED,
        path=path,
        ip_address=client_ip(request),
        row_count=row_count,
    )


def attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"


def export(
    request: AuthenticatedHttpRequest, name: str, *, query: QueryDict | None = None
) -> HttpResponse | StreamingHttpResponse:
    """The file the page's ``?format=`` asks for, built by the table registered as ``name``
    for this viewer; a bad format or bad parameters answer 400 with what is wrong. A page
    whose address names an object (a client, a team) passes ``query``: its query with that
    object's id added, since a table (and a job that rebuilds it later) reads only the
    viewer and the query."""
    query = request.GET if query is None else query
    fmt = request.GET[FORMAT_PARAM]
    if fmt not in formats.FORMATS:
        return HttpResponseBadRequest("The format is csv or xlsx.")
    source = tables.source(name)
    try:
        table = source.build(request.user, query)
    except tables.InvalidQuery as invalid:
        return HttpResponseBadRequest(f"The export's parameters are not valid: {invalid}")
    if table.count > settings.EXPORT_IN_REQUEST_MAX_ROWS:
        job = export_job_queue(
            user=request.user, source=source, query=query, fmt=fmt,
            page=request.get_full_path(), table=table,
        )  # fmt: skip
        return redirect("exports:job", pk=job.pk)
    log_export(request, path=request.get_full_path(), row_count=table.count)
    filename = f"{source.filename}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == formats.CSV:
        streamed = StreamingHttpResponse(
            formats.csv_lines(table.headers, table.rows, part2=table.part2),
            content_type=formats.CONTENT_TYPES[fmt],
        )
        attachment(streamed, filename)
        return streamed
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        formats.write_xlsx(out, table.headers, table.rows, part2=table.part2)
        out.seek(0)
        response = HttpResponse(out.read(), content_type=formats.CONTENT_TYPES[fmt])
    attachment(response, filename)
    return response
