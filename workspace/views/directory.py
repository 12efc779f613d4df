"""The client directory's export (``/clients/export/?<the directory's query>&format=csv``):
the directory is the clients app's, which sits below exports, so its file is served here, from
the table workspace.tables registers with the directory's own search and filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse

from casemgmt.http import AuthenticatedHttpRequest
from exports import http as exports_http


@login_required
def client_list_export(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The clients the directory lists for the same query, every page of them, as a file only;
    a search or filter the directory refuses answers 400."""
    if not exports_http.wants_file(request):
        return HttpResponseBadRequest("Ask for a file: ?format=csv or ?format=xlsx.")
    return exports_http.export(request, "workspace.client_directory")
