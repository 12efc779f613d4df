"""Interagency agreements with the directory's providers: everyone logged in reads them,
division administration records and changes them (``referrals.services.agreement_save``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from casemgmt.api import AdministratorsWrite, request_user
from casemgmt.dates import today
from referrals import selectors, services
from referrals.api.fields import DownloadField
from referrals.models import InteragencyAgreement, Provider


class AgreementSerializer(serializers.ModelSerializer[InteragencyAgreement]):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    document = DownloadField(
        url_name="referrals:agreement_document",
        required=False,
        allow_null=True,
        help_text="The signed agreement: uploaded as multipart, read as its download link; "
        "null removes it.",
    )
    expired = serializers.SerializerMethodField(
        help_text="The agreement ended before today (it runs through its end date)."
    )

    class Meta:
        model = InteragencyAgreement
        fields = [
            "id",
            "provider",
            "provider_name",
            "kind",
            "starts_on",
            "ends_on",
            "note",
            "document",
            "expired",
        ]

    def get_expired(self, agreement: InteragencyAgreement) -> bool:
        return selectors.agreement_is_expired(ends_on=agreement.ends_on, today=today())

    def validate_provider(self, provider: Provider) -> Provider:
        current = getattr(self.instance, "provider_id", None)
        if current is not None and provider.pk != current:
            raise serializers.ValidationError("An agreement stays with its provider.")
        return provider


class AgreementFilter(django_filters.FilterSet):
    # A plain number: the directory is agency-wide, there is nothing to hide.
    provider = django_filters.NumberFilter(field_name="provider")

    class Meta:
        model = InteragencyAgreement
        fields = ["provider"]


class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[InteragencyAgreement],
):
    """Interagency agreements with the directory's providers, newest first (``expired`` when
    ended); filter by ``provider``. Administrators record and change them."""

    permission_classes = [permissions.IsAuthenticated, AdministratorsWrite]
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter

    def get_queryset(self) -> QuerySet[InteragencyAgreement]:
        return InteragencyAgreement.objects.select_related("provider").order_by("-starts_on", "-id")

    def _answer(
        self, agreement: InteragencyAgreement, *, code: int = status.HTTP_200_OK
    ) -> Response:
        return Response(
            AgreementSerializer(agreement, context=self.get_serializer_context()).data,
            status=code,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AgreementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = services.agreement_save(
            actor=request_user(request), **serializer.validated_data
        )
        return self._answer(agreement, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        agreement = self.get_object()
        serializer = AgreementSerializer(agreement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "provider"}
        if "document" in fields and fields["document"] is None:
            fields["document"] = False  # null removes the stored document
        agreement = services.agreement_save(
            actor=request_user(request),
            provider=agreement.provider,
            agreement=agreement,
            **fields,
        )
        return self._answer(agreement)
