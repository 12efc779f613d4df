"""Variances over the API (Idaho CMH clinical case management standard 11): asked by those
who write the enrollment, approved or denied by division administration, through the same
scoped querysets and services as the web pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.choices import CallableChoiceIterator
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from casemgmt.api import ScopedObjectMixin, ScopedPrimaryKeyRelatedField, request_user
from casemgmt.roles import require_administrator
from clients.models import Enrollment
from supervision import services
from supervision.models import (
    Flag,
    Variance,
)
from supervision.rules import rule_choices

# --- Flags ------------------------------------------------------------------------------------


# --- Notes, conferences -----------------------------------------------------------------------


def _variance_enrollments(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user)


def _variance_flags(user: User) -> QuerySet[Flag]:
    return Flag.objects.visible_to(user)


# Who asked, when, and the decision: written by the services, never in a request body.
_VARIANCE_READ_ONLY = [
    "requested_by",
    "requested_at",
    "status",
    "decided_by",
    "decided_at",
    "approved_due_on",
    "decision_note",
]


class VarianceSerializer(serializers.ModelSerializer[Variance]):
    """A variance to a standard for one enrollment (Idaho CMH clinical case management
    standard 11), asked against an open ``flag`` or a standard (``rule``)."""

    enrollment = ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        scope=_variance_enrollments,
        error_messages={"does_not_exist": "No enrollment {pk_value} among your teams' clients."},
    )
    client = serializers.IntegerField(source="enrollment.client_id", read_only=True)
    rule = serializers.ChoiceField(
        # Read again for each serializer, so a rule registered by an app above is a choice.
        choices=CallableChoiceIterator(rule_choices),
        required=False,
        allow_null=True,
        help_text="The standard that cannot be met; left out, the flag's.",
    )
    flag = ScopedPrimaryKeyRelatedField(
        queryset=Flag.objects.none(),
        scope=_variance_flags,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No flag {pk_value} among your teams' flags."},
        help_text="The open flag of the enrollment the variance is asked against.",
    )
    reason = serializers.CharField(allow_blank=True, help_text="Why the standard cannot be met.")
    proposed_due_on = serializers.DateField(help_text="The proposed new due date: after today.")

    class Meta:
        model = Variance
        fields = [
            "id",
            "enrollment",
            "client",
            "rule",
            "flag",
            "reason",
            "proposed_due_on",
            *_VARIANCE_READ_ONLY,
        ]
        read_only_fields = _VARIANCE_READ_ONLY
        # One pending request per enrollment and standard is the service's rule, with its
        # own field error.
        validators: list[Any] = []


class VarianceApproveSerializer(serializers.Serializer[Any]):
    approved_due_on = serializers.DateField(
        required=False, allow_null=True, help_text="Today or later; the proposed date if left out."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VarianceDenySerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why it is denied (required)."
    )


class VarianceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Variance.Status.choices)
    rule = django_filters.ChoiceFilter(choices=rule_choices)
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    client = django_filters.NumberFilter(field_name="enrollment__client")
    region = django_filters.NumberFilter(field_name="enrollment__team__region")
    program = django_filters.NumberFilter(field_name="enrollment__program")

    class Meta:
        model = Variance
        fields = ["status", "rule", "enrollment", "client", "region", "program"]


class VarianceViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Variance],
):
    """Variances of the user's teams' enrollments (the whole agency for administrators and
    QA), newest first; filter by ``status``, ``rule``, ``enrollment``, ``client``, ``region``
    or ``program``. Case managers (their caseload) and supervisors (their teams) ask for one;
    administrators ``approve`` or ``deny`` it (anyone else: 403). Approving evaluates the
    enrollment at once: the flag is resolved until the new date."""

    model = Variance
    serializer_class = VarianceSerializer
    filterset_class = VarianceFilter
    object_select_related = ("enrollment",)

    def get_queryset(self) -> QuerySet[Variance]:
        return (
            Variance.objects.visible_to(request_user(self.request))
            .select_related("enrollment")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(responses={201: VarianceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Ask for a variance: the enrollment, an open flag of it or a standard, why, and the
        proposed new due date (after today). One pending request per enrollment and standard."""
        serializer = VarianceSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        variance = services.variance_request(
            actor=request_user(request), **serializer.validated_data
        )
        return Response(VarianceSerializer(variance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VarianceApproveSerializer, responses=VarianceSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Approve a pending variance until ``approved_due_on`` (today or later; the proposed
        date when left out). Administrators only."""
        actor = request_user(request)
        require_administrator(actor, to="decides variances")
        variance = self.get_object()
        serializer = VarianceApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variance = services.variance_decide(
            actor=actor, variance=variance, approve=True, **serializer.validated_data
        )
        return Response(VarianceSerializer(variance).data)

    @extend_schema(request=VarianceDenySerializer, responses=VarianceSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request: Request, pk: str) -> Response:
        """Deny a pending variance, saying why in ``note``. Administrators only."""
        actor = request_user(request)
        require_administrator(actor, to="decides variances")
        variance = self.get_object()
        serializer = VarianceDenySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variance = services.variance_decide(
            actor=actor, variance=variance, approve=False, **serializer.validated_data
        )
        return Response(VarianceSerializer(variance).data)
