"""The API of readiness, risk and adherence screens (``/api/v1/risk-screens/``): serializer,
filter and viewset. A screen is a dated record and is never edited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from casemgmt.api import ReadLoggedMixin, ScopedObjectMixin, request_user
from serviceplans import services
from serviceplans.api.fields import enrollment_field
from serviceplans.models import RISK_ITEM_NAMES, RiskScreen


class RiskScreenSerializer(serializers.ModelSerializer[RiskScreen]):
    enrollment = enrollment_field()
    author_name = serializers.StringRelatedField(source="author", read_only=True)
    positive_items = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The positive risk items."
    )
    alert_raised = serializers.SerializerMethodField(
        help_text="A positive screen raises an alert for the team's supervisor at once."
    )
    alert_raised_at = serializers.SerializerMethodField()

    class Meta:
        model = RiskScreen
        fields = [
            "id",
            "enrollment",
            "author",
            "author_name",
            "screened_on",
            "mental_health_stage",
            "substance_use_stage",
            *RISK_ITEM_NAMES,
            "positive",
            "positive_items",
            "alert_raised",
            "alert_raised_at",
            "medication_adherence",
            "appointment_adherence",
            "notes",
            "created_at",
        ]
        read_only_fields = ["author", "positive", "created_at"]

    def get_alert_raised(self, screen: RiskScreen) -> bool:
        return hasattr(screen, "alert")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_alert_raised_at(self, screen: RiskScreen) -> dt.datetime | None:
        return screen.alert.raised_at if hasattr(screen, "alert") else None


# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class RiskScreenFilter(django_filters.FilterSet):
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    positive = django_filters.BooleanFilter(field_name="positive")

    class Meta:
        model = RiskScreen
        fields = ["enrollment", "positive"]


class RiskScreenViewSet(
    ReadLoggedMixin,
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[RiskScreen],
):
    """Readiness, risk and adherence screens of the user's teams, newest first; filter by
    ``enrollment`` or ``positive``. A screen is a dated record and is never edited: a new one
    replaces it as the current one."""

    model = RiskScreen
    object_select_related = ("author", "alert")
    serializer_class = RiskScreenSerializer
    filterset_class = RiskScreenFilter

    def get_queryset(self) -> QuerySet[RiskScreen]:
        return (
            RiskScreen.objects.visible_to(request_user(self.request))
            .select_related("author", "alert")
            .order_by("-screened_on", "-id")
        )

    @extend_schema(responses={201: RiskScreenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a screen. Any positive item marks the client at risk and raises an alert
        for the team's supervisor at once."""
        serializer = RiskScreenSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        screen = services.risk_screen_record(
            actor=request_user(request), **serializer.validated_data
        )
        return Response(RiskScreenSerializer(screen).data, status=status.HTTP_201_CREATED)
