"""The accounting of disclosures of the user's teams' clients: read-only, its entries made by
producing a referral packet (``referrals.services.referral_packet_disclose``)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from casemgmt.api import request_user
from referrals.api.fields import categories_field
from referrals.models import Disclosure


class DisclosureSerializer(serializers.ModelSerializer[Disclosure]):
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    categories = categories_field(read_only=True)
    by_name = serializers.StringRelatedField(source="by", read_only=True)

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "client",
            "referral",
            "recipient",
            "recipient_name",
            "categories",
            "consent",
            "disclosed_at",
            "by",
            "by_name",
        ]
        read_only_fields = fields


class DisclosureFilter(django_filters.FilterSet):
    # A plain number: the list is already scoped (as ConsentFilter's client).
    client = django_filters.NumberFilter(field_name="client")

    class Meta:
        model = Disclosure
        fields = ["client"]


class DisclosureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Disclosure]):
    """The accounting of disclosures of the user's teams' clients, newest first: to whom,
    what, when and under which consent; filter by ``client``. Read-only: entries are made by
    producing a referral packet and are never changed."""

    serializer_class = DisclosureSerializer
    filterset_class = DisclosureFilter

    def get_queryset(self) -> QuerySet[Disclosure]:
        return (
            Disclosure.objects.visible_to(request_user(self.request))
            .select_related("recipient", "by")
            .order_by("-disclosed_at", "-id")
        )
