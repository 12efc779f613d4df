"""The provider directory: everyone logged in reads it, division administration adds and
changes providers (``referrals.services.provider_save``). The list is narrowed by the same
:class:`referrals.forms.providers.ProviderFilter` as the directory page, so a query finds the
same providers on both."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from casemgmt.api import AdministratorsWrite, request_user
from referrals import selectors, services
from referrals.api.agreements import AgreementSerializer
from referrals.forms.providers import ProviderFilter
from referrals.models import Provider, ProviderService, ServiceType
from referrals.services import PROVIDER_FIELDS


class ProviderServiceSerializer(serializers.ModelSerializer[ProviderService]):
    name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Left blank, the service type's name.",
    )
    service_type = serializers.ChoiceField(
        choices=ServiceType.choices,
        error_messages={"required": "Choose a service type for each service."},
    )

    class Meta:
        model = ProviderService
        fields = ["id", "name", "service_type"]
        read_only_fields = ["id"]


class ProviderSerializer(serializers.ModelSerializer[Provider]):
    languages = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, allow_empty=True
    )
    services = ProviderServiceSerializer(
        many=True,
        required=False,
        help_text="At least one, each with a service type. Services are added, never removed "
        "(past referrals point at them); a change need not repeat them.",
    )

    class Meta:
        model = Provider
        fields = ["id", *PROVIDER_FIELDS, "services"]


class ProviderDetailSerializer(ProviderSerializer):
    agreements = AgreementSerializer(many=True, read_only=True)

    class Meta(ProviderSerializer.Meta):
        fields = [*ProviderSerializer.Meta.fields, "agreements"]


def _service_pairs(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The ``(name, service type)`` pairs ``provider_save`` takes, from the request's rows."""
    return [(row.get("name", ""), row["service_type"]) for row in rows]


class ProviderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Provider],
):
    """The provider directory, by name: everyone logged in reads it, administrators add and
    change providers. Only active providers are listed unless ``is_active`` says otherwise
    (``false``: inactive ones, ``all``: every provider); search by ``search`` (the provider's
    name or one of its services' names) and filter by ``service_type``, ``language`` (any
    case), ``accepts_medicaid`` (``true`` or ``false``) and ``max_waitlist_weeks``."""

    permission_classes = [permissions.IsAuthenticated, AdministratorsWrite]
    serializer_class = ProviderSerializer
    filterset_class = ProviderFilter

    def get_queryset(self) -> QuerySet[Provider]:
        return selectors.provider_directory()

    def get_object(self) -> Provider:
        # Not through the list's filters: an inactive provider is still found by its id.
        provider = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, provider)
        return provider

    def _answer(self, provider: Provider, *, code: int = status.HTTP_200_OK) -> Response:
        provider = selectors.provider_get(pk=provider.pk)
        return Response(
            ProviderDetailSerializer(provider, context=self.get_serializer_context()).data,
            status=code,
        )

    @extend_schema(responses=ProviderDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A provider with its services and interagency agreements (``expired`` when ended)."""
        return self._answer(self.get_object())

    @extend_schema(
        responses={201: ProviderDetailSerializer},
        examples=[
            OpenApiExample(
                "A housing provider",
                request_only=True,
                value={
                    "name": "Snake River Housing Partners",
                    "address": "120 Main St, Boise, ID 83702",
                    "phone": "208-555-0142",
                    "languages": ["English", "Spanish"],
                    "accepts_medicaid": True,
                    "waitlist_weeks": 2,
                    "waitlist_checked_on": "2026-01-15",
                    "eligibility_notes": "Adults 18 and over.",
                    "is_active": True,
                    "services": [{"name": "Rapid rehousing", "service_type": "housing"}],
                },
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a provider with at least one service, each with a service type."""
        serializer = ProviderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        offered = fields.pop("services", [])
        provider = services.provider_save(
            actor=request_user(request), services=_service_pairs(offered), **fields
        )
        return self._answer(provider, code=status.HTTP_201_CREATED)

    @extend_schema(responses=ProviderDetailSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a provider; services given are added to those it has."""
        provider = self.get_object()
        serializer = ProviderSerializer(provider, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        offered = fields.pop("services", None)
        pairs = (
            _service_pairs(offered)
            if offered is not None
            else [(s.name, s.service_type) for s in provider.services.all()]
        )
        provider = services.provider_save(
            actor=request_user(request), provider=provider, services=pairs, **fields
        )
        return self._answer(provider)
