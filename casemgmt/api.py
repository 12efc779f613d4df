"""The pieces every app's API shares: objects reached through the access gate, reads written to
the access log, foreign keys in request bodies looked up in the user's scope, the request's user
typed, and the administrator's permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, cast

from django.db import models
from django.db.models import QuerySet
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from casemgmt.roles import is_active_administrator
from clients.access import log_api_read, object_for_request


def request_user(request: Request) -> User:
    """The request's staff user: every viewset requires an authenticated user (the
    ``REST_FRAMEWORK`` default permission classes), so it is never anonymous."""
    return cast(User, request.user)


class ScopedObjectMixin:
    """``get_object`` through the access gate: reads need ``visible_to``, the actions named in
    ``write_actions`` need ``writable_by`` as well."""

    model: ClassVar[type[models.Model]]
    write_actions: ClassVar[frozenset[str]] = frozenset()
    object_select_related: ClassVar[tuple[str, ...]] = ()

    request: Request
    kwargs: dict[str, Any]
    action: str | None

    def get_object(self) -> Any:
        return object_for_request(
            self.request,
            self.model,
            self.kwargs["pk"],
            write=self.action in self.write_actions,
            select_related=self.object_select_related,
        )


class ReadLoggedMixin(APIView):
    """API reads of clinical records are in the access log like a client page's reads: each
    list or detail answered 200 leaves one row naming the records it returned (a page of the
    list, or the one record) and their clients (clients.access.log_api_read; HIPAA 45 CFR
    164.312(b)). Put it before the viewset's DRF bases."""

    model: ClassVar[type[models.Model]]
    action: str | None = None

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            if self.action == "list":
                data = response.data
                rows = data["results"] if isinstance(data, dict) else data
                log_api_read(request, self.model, [row["id"] for row in rows])
            elif self.action == "retrieve":
                log_api_read(request, self.model, [response.data["id"]])
        return response


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key found only among the records the requesting user may see.

    ``queryset`` names the model (for validation messages and the schema); ``scope`` gives
    the records of that model the user may reach. An id outside the scope is answered like an
    id that does not exist, so the API does not tell which records other teams hold.
    """

    def __init__(self, *, scope: Callable[[User], QuerySet[Any]], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope(self.context["request"].user)


class AdministratorsWrite(permissions.BasePermission):
    """Everyone logged in reads; division administration writes (DESIGN.md, "Who uses it").
    The services check the same again."""

    message = "Only division administration changes this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_active_administrator(request_user(request))
