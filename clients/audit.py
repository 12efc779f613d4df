"""Every refusal of a record is in the access log (HIPAA 45 CFR 164.312(b), audit controls).

A request for one record (a URL whose resolved arguments carry its id: ``pk``, or the admin's
``object_id``, on a page or in the API's ``/api/v1/<records>/<pk>/``) that is answered 403 or
404 leaves one access-log row: who asked, the path asked (the URL and so the id), and the
answer (refused or not found). Wherever the refusal came from, the row is written here, once
the answer is known: the access gate (clients.access, which also names the client the id
belongs to, and refuses ids given in a query string such as ``?client=``), a role check that
refuses before any record is looked up (a case manager opening a variance's decision), DRF's
permissions, or a view's own 404.

Anonymous requests are not logged: they are sent to the login page (the API refuses them)
before any record is read. A 404 for a path that names no record (``/no-such-page/``) refuses
nothing and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.models import User
from clients.access import client_ip, gate_refusal
from clients.models import AccessLog
from clients.services import access_log_record

# The URL arguments that name a record: the project's ``<int:pk>`` (and the API routers'
# ``<pk>``), and the admin's ``<path:object_id>``.
RECORD_ID_KWARGS = frozenset({"pk", "object_id"})
OUTCOME_OF_STATUS = {403: AccessLog.Outcome.REFUSED, 404: AccessLog.Outcome.NOT_FOUND}


def asks_for_a_record(request: HttpRequest) -> bool:
    """Whether the request's URL names one record by its id."""
    match = request.resolver_match
    return match is not None and not RECORD_ID_KWARGS.isdisjoint(match.kwargs)


def refusal_log(request: HttpRequest, *, outcome: str) -> AccessLog | None:
    """The access-log row of a refused request (one INSERT), or None when there is nothing to
    log: an anonymous request, or a refusal of a path that names no record."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):  # anonymous
        return None
    refusal = gate_refusal(request)
    if refusal is None and not asks_for_a_record(request):
        return None
    return access_log_record(
        user=user,
        client_id=refusal.client_id if refusal is not None else None,
        action=AccessLog.Action.DENIED,
        outcome=outcome,
        path=request.get_full_path(),
        ip_address=client_ip(request),
    )


class RefusalLogMiddleware:
    """Log each 403 and 404 answered to a signed-in user for a record (:func:`refusal_log`).

    It reads the answer and the user on the way out: a view's Http404 or PermissionDenied has
    become a response by then, and DRF (which authenticates inside the view) has set the
    user on the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        outcome = OUTCOME_OF_STATUS.get(response.status_code)
        if outcome is not None:
            refusal_log(request, outcome=outcome)
        return response
