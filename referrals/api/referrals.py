"""Referrals of the user's teams: made from an enrollment or a goal of its active plan, moved
one allowed step at a time (``referrals.transitions``), followed up, and disclosed as a
packet (``referrals.services``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casemgmt.api import (
    ReadLoggedMixin,
    ScopedObjectMixin,
    ScopedPrimaryKeyRelatedField,
    request_user,
)
from casemgmt.dates import today
from clients.models import Enrollment
from referrals import services, transitions
from referrals.api.disclosures import DisclosureSerializer
from referrals.api.fields import categories_field
from referrals.models import (
    Disclosure,
    Provider,
    ProviderService,
    Referral,
    ReferralStatus,
    ReferralStep,
)
from serviceplans.models import Goal


class ReferralStepSerializer(serializers.ModelSerializer[ReferralStep]):
    by_name = serializers.StringRelatedField(source="by", read_only=True)

    class Meta:
        model = ReferralStep
        fields = ["id", "from_status", "to_status", "occurred_on", "by", "by_name", "note"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    enrollment = ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        scope=Enrollment.objects.visible_to,
        error_messages={"does_not_exist": "No enrollment {pk_value} among your teams' clients."},
    )
    client = serializers.IntegerField(source="enrollment.client_id", read_only=True)
    goal = ScopedPrimaryKeyRelatedField(
        queryset=Goal.objects.none(),
        scope=Goal.objects.visible_to,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No goal {pk_value} among your teams' plans."},
        help_text="The goal of the active plan the referral serves.",
    )
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all())
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    service = serializers.PrimaryKeyRelatedField(
        queryset=ProviderService.objects.all(), required=False, allow_null=True
    )
    categories = categories_field(
        required=False,
        allow_empty=True,
        help_text="What the referral discloses to the provider (left empty when it shares "
        "nothing).",
    )
    steps = ReferralStepSerializer(many=True, read_only=True)
    allowed_next = serializers.SerializerMethodField(
        help_text="The steps that may follow the current status."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "enrollment",
            "client",
            "goal",
            "provider",
            "provider_name",
            "service",
            *services.REFERRAL_REQUEST_FIELDS,
            "consent",
            "status",
            "follow_up_due_on",
            "allowed_next",
            "outcome",
            "steps",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "consent",
            "status",
            "follow_up_due_on",
            "outcome",
            "created_by",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=ReferralStatus.choices))
    )
    def get_allowed_next(self, referral: Referral) -> list[str]:
        allowed = transitions.allowed_next(referral.status)
        return [value for value in ReferralStatus.values if value in allowed]


class ReferralTransitionSerializer(serializers.Serializer[Any]):
    to_status = serializers.ChoiceField(
        choices=ReferralStatus.choices, help_text="One of the referral's allowed_next."
    )
    occurred_on = serializers.DateField(required=False, help_text="Today when left out.")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The outcome, when closing."
    )


class ReferralFollowUpSerializer(serializers.Serializer[Any]):
    follow_up_due_on = serializers.DateField(help_text="Today or later.")


class ReferralFilter(django_filters.FilterSet):
    # Ids are plain numbers: the list is already scoped, and checking that an id exists would
    # tell an outsider which records other teams hold.
    client = django_filters.NumberFilter(field_name="enrollment__client")
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    provider = django_filters.NumberFilter(field_name="provider")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    case_manager = django_filters.NumberFilter(field_name="enrollment__case_manager")
    team = django_filters.NumberFilter(field_name="enrollment__team")
    due_before = django_filters.DateFilter(
        field_name="follow_up_due_on",
        lookup_expr="lte",
        help_text="Follow-up due on or before this date (today: what is due now).",
    )

    class Meta:
        model = Referral
        fields = [
            "client",
            "enrollment",
            "provider",
            "status",
            "case_manager",
            "team",
            "due_before",
        ]


class ReferralViewSet(
    ReadLoggedMixin,
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Referral],
):
    """Referrals of the user's teams, soonest follow-up first; filter by ``client``,
    ``enrollment``, ``provider``, ``status``, ``case_manager``, ``team`` or ``due_before``
    (what is due). A referral moves one allowed step at a time (``allowed_next``), each dated
    and kept; the follow-up date moves with it."""

    model = Referral
    write_actions = frozenset({"transition", "follow_up", "packet"})
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def get_queryset(self) -> QuerySet[Referral]:
        return (
            Referral.objects.visible_to(request_user(self.request))
            .select_related("enrollment", "provider")
            .prefetch_related(
                Prefetch("steps", queryset=ReferralStep.objects.select_related("by")),
            )
            .order_by("follow_up_due_on", "-created_at", "-id")
        )

    def _answer(self, referral: Referral, *, code: int = status.HTTP_200_OK) -> Response:
        referral = self.get_queryset().get(pk=referral.pk)
        return Response(ReferralSerializer(referral).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(responses={201: ReferralSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A draft referral from the client's enrollment, or from a goal of its active plan,
        to an active provider. Sending it is a transition."""
        serializer = ReferralSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        referral = services.referral_create(
            actor=request_user(request), **serializer.validated_data
        )
        return self._answer(referral, code=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralTransitionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        """Move the referral one allowed step, dated, with a note (the outcome when closing).
        Sending one that shares information needs a signed, unexpired, unrevoked consent
        covering this provider and these categories on that day: without one the answer is a
        400 on ``consent`` saying what is missing, and nothing is sent."""
        referral = self.get_object()
        serializer = ReferralTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = services.referral_transition(
            actor=request_user(request),
            referral=referral,
            to_status=data["to_status"],
            occurred_on=data.get("occurred_on") or today(),
            note=data["note"],
        )
        return self._answer(referral)

    @extend_schema(request=ReferralFollowUpSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str) -> Response:
        """Set when the referral is next followed up (today or later)."""
        referral = self.get_object()
        serializer = ReferralFollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = services.referral_set_follow_up(
            actor=request_user(request), referral=referral, **serializer.validated_data
        )
        return self._answer(referral)

    @extend_schema(request=None, responses={201: DisclosureSerializer})
    @action(detail=True, methods=["post"])
    def packet(self, request: Request, pk: str) -> Response:
        """Record the disclosure of a referral packet in the client's accounting of
        disclosures: it needs a consent covering the provider and the referral's categories
        today (otherwise 400 on ``consent``, and nothing is recorded). The JSON API records
        the disclosure; the PDF packet itself is produced by the web view."""
        referral = self.get_object()
        disclosure = services.referral_packet_disclose(
            actor=request_user(request), referral=referral
        )
        disclosure = Disclosure.objects.select_related("recipient", "by").get(pk=disclosure.pk)
        return Response(DisclosureSerializer(disclosure).data, status=status.HTTP_201_CREATED)
