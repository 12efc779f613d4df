"""Enrollments, episodes of care (``/api/v1/enrollments/``): opened, edited, transferred to
another case manager and closed through clients.services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import case_managers_of_teams, team_ids_readable_by
from casemgmt.api import (
    ReadLoggedMixin,
    ScopedObjectMixin,
    ScopedPrimaryKeyRelatedField,
    request_user,
)
from clients import services
from clients.models import Client, Enrollment, Program


def _clients_in_scope(user: User) -> QuerySet[Client]:
    return Client.objects.visible_to(user)


def _case_managers_in_scope(user: User) -> QuerySet[User]:
    return case_managers_of_teams(team_ids=team_ids_readable_by(user))


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    client = ScopedPrimaryKeyRelatedField(
        queryset=Client.objects.none(),
        scope=_clients_in_scope,
        error_messages={"does_not_exist": "No client {pk_value} among your teams' clients."},
    )
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    case_manager = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.none(),
        scope=_case_managers_in_scope,
        error_messages={
            "does_not_exist": "No active case manager {pk_value} in your team(s).",
        },
    )
    client_name = serializers.CharField(source="client.display_name", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    case_manager_name = serializers.StringRelatedField(source="case_manager", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "client",
            "client_name",
            "program",
            "program_name",
            "case_manager",
            "case_manager_name",
            "team",
            *services.ENROLLMENT_RECORD_FIELDS,
        ]
        read_only_fields = [
            "team",
            "status",
            "closed_on",
            "close_reason",
            "close_note",
            "created_at",
            "updated_at",
        ]
        # "One open enrollment per client and program" is enforced by enrollment_open.
        validators: list[Any] = []


class EnrollmentUpdateSerializer(serializers.ModelSerializer[Enrollment]):
    class Meta:
        model = Enrollment
        fields = list(services.ENROLLMENT_EDITABLE)


class EnrollmentTransferSerializer(serializers.Serializer[Any]):
    case_manager = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.none(),
        scope=_case_managers_in_scope,
        error_messages={
            "does_not_exist": "No active case manager {pk_value} in your team(s).",
        },
    )


class EnrollmentCloseSerializer(serializers.Serializer[Any]):
    closed_on = serializers.DateField()
    close_reason = serializers.ChoiceField(choices=Enrollment.CloseReason.choices)
    close_note = serializers.CharField(required=False, allow_blank=True, default="")


# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class EnrollmentFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client")
    status = django_filters.ChoiceFilter(choices=Enrollment.Status.choices)
    case_manager = django_filters.NumberFilter(field_name="case_manager")

    class Meta:
        model = Enrollment
        fields = ["client", "status", "case_manager"]


class EnrollmentViewSet(
    ReadLoggedMixin,
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Enrollment],
):
    """Episodes of care in the user's teams; filter by ``client``, ``status`` or
    ``case_manager``."""

    model = Enrollment
    write_actions = frozenset({"partial_update", "transfer", "close"})
    object_select_related = ("client", "program", "case_manager")
    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilter

    def get_queryset(self) -> QuerySet[Enrollment]:
        return (
            Enrollment.objects.visible_to(request_user(self.request))
            .select_related("client", "program", "case_manager")
            .order_by("-application_date", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EnrollmentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_open(
            actor=request_user(request), **serializer.validated_data
        )
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnrollmentUpdateSerializer, responses=EnrollmentSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        enrollment = self.get_object()
        serializer = EnrollmentUpdateSerializer(enrollment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_update(
            actor=request_user(request), enrollment=enrollment, **serializer.validated_data
        )
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(request=EnrollmentTransferSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        """Assign the enrollment to another case manager (kept in history)."""
        enrollment = self.get_object()
        serializer = EnrollmentTransferSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_transfer(
            actor=request_user(request), enrollment=enrollment, **serializer.validated_data
        )
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(request=EnrollmentCloseSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the enrollment with a date and a reason."""
        enrollment = self.get_object()
        serializer = EnrollmentCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_close(
            actor=request_user(request), enrollment=enrollment, **serializer.validated_data
        )
        return Response(EnrollmentSerializer(enrollment).data)
