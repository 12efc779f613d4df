"""Releases of information (consents) of the user's teams' clients: recorded once signed,
never edited or deleted, revoked from a date on (``referrals.services.consent_record`` /
``consent_revoke``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
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
from clients.models import Client
from referrals import selectors, services
from referrals.api.fields import DownloadField, categories_field
from referrals.models import Consent, Provider


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    client = ScopedPrimaryKeyRelatedField(
        queryset=Client.objects.none(),
        scope=Client.objects.visible_to,
        error_messages={"does_not_exist": "No client {pk_value} among your teams' clients."},
    )
    recipient_provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), required=False, allow_null=True
    )
    recipient_provider_name = serializers.CharField(
        source="recipient_provider.name", read_only=True, default=None
    )
    categories = categories_field(
        allow_empty=True,
        help_text="What may be disclosed; substance_use (42 CFR Part 2 records) needs every "
        "element of 42 CFR 2.31: purpose, recipient, expiry date or event, signature, date "
        "signed and that the right to revoke was explained.",
    )
    signed_copy = DownloadField(
        url_name="referrals:consent_signed_copy",
        required=False,
        allow_null=True,
        help_text="The signed form: uploaded as multipart, read as its download link.",
    )
    status = serializers.SerializerMethodField(
        help_text="Today: active, expiring_soon, expired or revoked."
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "client",
            "discloser",
            "recipient_provider",
            "recipient_provider_name",
            *services.CONSENT_FORM_FIELDS,
            "status",
            "revoked_on",
            "revocation_note",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["revoked_on", "revocation_note", "created_by", "created_at"]

    def get_status(self, consent: Consent) -> str:
        return selectors.consent_status(
            expires_on=consent.expires_on, revoked_on=consent.revoked_on, today=today()
        ).code


class ConsentRevokeSerializer(serializers.Serializer[Any]):
    revoked_on = serializers.DateField(help_text="Effective from this date on.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConsentFilter(django_filters.FilterSet):
    # A plain number: the list is already scoped, and checking that the client exists would
    # tell an outsider which clients other teams hold.
    client = django_filters.NumberFilter(field_name="client")
    active = django_filters.BooleanFilter(
        method="filter_active",
        help_text="In force today (signed, not expired, not revoked), or not.",
    )

    class Meta:
        model = Consent
        fields = ["client", "active"]

    def filter_active(
        self, queryset: QuerySet[Consent], name: str, value: bool | None
    ) -> QuerySet[Consent]:
        if value is None:
            return queryset
        on = today()
        # As consent_rules.consent_coverage: valid on its expiry date, revoked from its
        # revocation date on.
        in_force = (
            Q(signed_on__lte=on)
            & (Q(expires_on__isnull=True) | Q(expires_on__gte=on))
            & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))
        )
        return queryset.filter(in_force) if value else queryset.exclude(in_force)


class ConsentViewSet(
    ReadLoggedMixin,
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Consent],
):
    """Releases of information of the user's teams' clients, newest first; filter by
    ``client`` or ``active``. Recorded once signed and never edited or deleted: a consent is
    revoked from a date on, and what was disclosed before stays in the accounting."""

    model = Consent
    write_actions = frozenset({"revoke"})
    object_select_related = ("recipient_provider",)
    serializer_class = ConsentSerializer
    filterset_class = ConsentFilter

    def get_queryset(self) -> QuerySet[Consent]:
        return (
            Consent.objects.visible_to(request_user(self.request))
            .select_related("recipient_provider")
            .order_by("-signed_on", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a signed release: to a provider or a class of recipient, what information,
        why, until when, signed by whom and when. One that covers substance-use records is
        refused until every 42 CFR 2.31 element is present."""
        serializer = ConsentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if v is not None}
        consent = services.consent_record(actor=request_user(request), **fields)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsentRevokeSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        """Revoke the consent from ``revoked_on`` on (not before it was signed, not in the
        future); disclosures made before stay in the accounting."""
        consent = self.get_object()
        serializer = ConsentRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_revoke(
            actor=request_user(request), consent=consent, **serializer.validated_data
        )
        return Response(ConsentSerializer(consent).data)
