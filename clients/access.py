"""The gate between a request and a client record.

Views and API viewsets reach a single object through :func:`object_for_request`: it looks the
id up in the model's ``visible_to(user)`` queryset (or ``writable_by(user)`` for a change),
and an id outside the user's scope answers 404 (403 where the user may read but not change
it) and leaves a row in the access log, naming the client the id belongs to (written by
clients.audit once the answer is known). Reads of a client record are logged with
:func:`log_client_view`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from accounts.models import User
from clients.models import AccessLog, Client
from clients.services import access_log_record


class _ScopedManager(Protocol):
    """The manager of every model reached through the gate (``Model.objects``)."""

    def visible_to(self, user: User) -> models.QuerySet[Any]: ...

    def writable_by(self, user: User) -> models.QuerySet[Any]: ...


M = TypeVar("M", bound=models.Model)


def _staff_user(request: HttpRequest) -> User:
    """The gate sits behind ``login_required`` (web) and ``IsAuthenticated`` (the API's
    default permission classes), so the user is always a staff ``User``, never anonymous."""
    return cast(User, request.user)


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _client_field(model: type[models.Model]) -> str | None:
    """Where a record of ``model`` names its client: its own ``client_id``, or its
    enrollment's client for the records scoped through an enrollment
    (serviceplans.models.EnrollmentScopedQuerySet.enrollment_path); None if it has none."""
    if model is Client:
        return "pk"
    if any(f.attname == "client_id" for f in model._meta.concrete_fields):
        return "client_id"
    enrollment_path = getattr(model._default_manager.all(), "enrollment_path", None)
    return None if enrollment_path is None else f"{enrollment_path}__client_id"


def _client_id_of(model: type[models.Model], pk: object) -> int | None:
    """The client a (possibly out-of-scope) object belongs to, for the access log."""
    field = _client_field(model)
    if field is None:
        return None
    try:
        return model._base_manager.filter(pk=pk).values_list(field, flat=True).first()
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class GateRefusal:
    """An id the gate refused, kept on the request until its answer (403 or 404) is known."""

    client_id: int | None


_GATE_REFUSAL = "casework_gate_refusal"


def log_denied(request: HttpRequest, model: type[models.Model], pk: object) -> None:
    """Note that ``pk`` of ``model`` was refused to the request's user: clients.audit's
    middleware writes the access-log row (one per request) with the answer given, and this
    names the client whose record was sought."""
    # A DRF Request wraps Django's as ``_request``; the middleware sees Django's.
    django_request = getattr(request, "_request", request)
    setattr(django_request, _GATE_REFUSAL, GateRefusal(client_id=_client_id_of(model, pk)))


def gate_refusal(request: HttpRequest) -> GateRefusal | None:
    """The refusal :func:`log_denied` noted on this request, if any."""
    noted = getattr(request, _GATE_REFUSAL, None)
    return noted if isinstance(noted, GateRefusal) else None


def log_client_view(request: HttpRequest, client: Client) -> None:
    access_log_record(
        user=_staff_user(request),
        client_id=client.pk,
        action=AccessLog.Action.VIEWED,
        path=request.get_full_path(),
        ip_address=client_ip(request),
    )


def log_api_read(request: HttpRequest, model: type[models.Model], record_ids: list[int]) -> None:
    """One access-log row for an API read (casemgmt.api.ReadLoggedMixin): the records it
    returned, one or a page of a list, and the clients they belong to (one query), the
    client itself when there is one."""
    field = _client_field(model)
    client_ids: list[int] = []
    if field is not None and record_ids:
        found = model._base_manager.filter(pk__in=record_ids).values_list(field, flat=True)
        client_ids = sorted({client_id for client_id in found if client_id is not None})
    access_log_record(
        user=_staff_user(request),
        client_id=client_ids[0] if len(client_ids) == 1 else None,
        action=AccessLog.Action.VIEWED,
        path=request.get_full_path(),
        ip_address=client_ip(request),
        row_count=len(record_ids),
        record_ids=record_ids,
        client_ids=client_ids,
    )


def object_for_request(
    request: HttpRequest,
    model: type[M],
    pk: object,
    *,
    write: bool = False,
    select_related: tuple[str, ...] = (),
) -> M:
    """The object ``pk`` of ``model`` if the request's user may see it (and change it when
    ``write``); otherwise log the attempt and raise 404 (out of scope) or 403 (read-only)."""
    # Each model reached here declares its scoped queryset's manager as its only manager.
    manager = cast(_ScopedManager, model._default_manager)
    try:
        obj = (
            manager.visible_to(_staff_user(request))
            .select_related(*select_related)
            .filter(pk=pk)
            .first()
        )
    except (ValueError, TypeError):  # an id that is not a number
        obj = None
    if obj is None:
        log_denied(request, model, pk)
        raise Http404(f"No {model._meta.verbose_name} found.")
    if write and not manager.writable_by(_staff_user(request)).filter(pk=pk).exists():
        log_denied(request, model, pk)
        raise PermissionDenied(f"This {model._meta.verbose_name} is not on your caseload.")
    return obj
