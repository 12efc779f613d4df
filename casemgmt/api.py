"""The pieces every app's API shares: objects reached through the access gate, foreign keys in
request bodies looked up in the user's scope, the request's user typed, and the administrator's
permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, cast

from django.db import models
from django.db.models import QuerySet
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User
from casemgmt.roles import is_active_administrator
from clients.access import object_for_request


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
