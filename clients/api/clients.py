"""Clients (``/api/v1/clients/``), with their family members when read one at a time."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from casemgmt.api import ReadLoggedMixin, ScopedObjectMixin, request_user
from clients import services
from clients.models import Client, FamilyMember


class FamilyMemberSerializer(serializers.ModelSerializer[FamilyMember]):
    class Meta:
        model = FamilyMember
        fields = ["id", *services.FAMILY_MEMBER_EDITABLE]
        read_only_fields = fields


class ClientSerializer(serializers.ModelSerializer[Client]):
    # Uniqueness (case-insensitive, agency-wide) is the service's to decide, not a
    # serializer validator's; blank on registration means "generate one".
    record_number = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Leave blank when registering to get a generated number.",
    )
    display_name = serializers.CharField(read_only=True)
    # The numbers encrypted at rest are written, never read back whole (clients.encryption).
    ssn_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            *services.CLIENT_EDITABLE,
            "ssn_masked",
            "display_name",
            "registered_team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["registered_team", "created_at", "updated_at"]
        extra_kwargs = {"ssn": {"write_only": True}, "medicaid_number": {"write_only": True}}
        validators: list[Any] = []


class ClientDetailSerializer(ClientSerializer):
    family_members = FamilyMemberSerializer(many=True, read_only=True)

    class Meta(ClientSerializer.Meta):
        fields = [*ClientSerializer.Meta.fields, "family_members"]


class ClientViewSet(
    ReadLoggedMixin,
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Client],
):
    """Clients of the user's teams (the whole agency for administrators and QA)."""

    model = Client
    write_actions = frozenset({"update", "partial_update"})
    serializer_class = ClientSerializer

    def get_queryset(self) -> QuerySet[Client]:
        return Client.objects.visible_to(request_user(self.request)).order_by(
            "last_name", "first_name", "id"
        )

    def get_serializer_class(self) -> type[ClientSerializer]:
        return ClientSerializer if self.action == "list" else ClientDetailSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(ClientDetailSerializer(self.get_object()).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ClientSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = services.client_register(actor=request_user(request), **serializer.validated_data)
        return Response(ClientDetailSerializer(client).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        serializer = ClientSerializer(client, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        client = services.client_update(
            actor=request_user(request), client=client, **serializer.validated_data
        )
        return Response(ClientDetailSerializer(client).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)
