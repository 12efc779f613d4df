"""The API of a plan's barriers to engagement (``/api/v1/barriers/``): serializer, filter and
viewset. Added and changed on a draft plan only; the service refuses the rest.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from casemgmt.api import ScopedObjectMixin, request_user
from serviceplans import services
from serviceplans.api.fields import CreateOnlyParentMixin, plan_field
from serviceplans.models import Barrier


class BarrierSerializer(CreateOnlyParentMixin, serializers.ModelSerializer[Barrier]):
    parent_field = "plan"
    plan = plan_field()

    class Meta:
        model = Barrier
        fields = ["id", "plan", "kind", "description", "strategy", "resolved_on"]


# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class BarrierFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan")

    class Meta:
        model = Barrier
        fields = ["plan"]


class BarrierViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Barrier],
):
    """Barriers to engagement and the strategy to reduce each; filter by ``plan``. Added and
    changed on a draft plan only."""

    model = Barrier
    write_actions = frozenset({"partial_update"})
    serializer_class = BarrierSerializer
    filterset_class = BarrierFilter

    def get_queryset(self) -> QuerySet[Barrier]:
        return Barrier.objects.visible_to(request_user(self.request)).order_by("plan_id", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = BarrierSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        barrier = services.barrier_add(actor=request_user(request), **serializer.validated_data)
        return Response(BarrierSerializer(barrier).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        barrier = self.get_object()
        serializer = BarrierSerializer(
            barrier, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "plan"}
        barrier = services.barrier_update(actor=request_user(request), barrier=barrier, **fields)
        return Response(BarrierSerializer(barrier).data)
