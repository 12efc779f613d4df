"""Compliance flags over the API: read-only, through the same scope as the flag list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from casemgmt.api import ScopedObjectMixin, request_user
from casemgmt.dates import today
from supervision.models import Flag
from supervision.rules import rule_choices


class FlagFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(
        method="filter_open", help_text="true: open flags only; false: resolved ones only."
    )
    rule = django_filters.ChoiceFilter(choices=rule_choices)
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    client = django_filters.NumberFilter(field_name="enrollment__client")

    class Meta:
        model = Flag
        fields = ["open", "rule", "enrollment", "client"]

    def filter_open(self, queryset: QuerySet[Flag], name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(resolved_on__isnull=value)


class FlagExplanationSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField(help_text="The rule, in words.")
    standard = serializers.CharField(help_text="The standard it comes from.")
    due_on = serializers.DateField()
    days_overdue = serializers.IntegerField(
        help_text="Days past the due date today (negative: days left)."
    )
    satisfied_by = serializers.CharField(help_text="What would satisfy it.")


class FlagSerializer(serializers.ModelSerializer[Flag]):
    """A compliance flag and its explanation as of today (Flag.explain)."""

    client = serializers.IntegerField(source="enrollment.client_id", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Flag
        fields = [
            "id",
            "enrollment",
            "client",
            "rule",
            "due_on",
            "raised_on",
            "resolved_on",
            "resolution",
            "detail",
            "is_open",
            "explanation",
        ]
        read_only_fields = fields

    @extend_schema_field(FlagExplanationSerializer)
    def get_explanation(self, flag: Flag) -> dict[str, Any]:
        return FlagExplanationSerializer(flag.explain(as_of=today())).data


class FlagViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Flag],
):
    """Compliance flags of the user's teams (the whole agency for administrators and QA),
    soonest due first; filter by ``open``, ``rule``, ``enrollment`` or ``client``. Read-only:
    flags are raised and resolved by the compliance evaluation alone."""

    model = Flag
    serializer_class = FlagSerializer
    filterset_class = FlagFilter
    object_select_related = ("enrollment",)

    def get_queryset(self) -> QuerySet[Flag]:
        return (
            Flag.objects.visible_to(request_user(self.request))
            .select_related("enrollment")
            .order_by("due_on", "id")
        )
