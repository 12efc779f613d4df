"""The API of a plan's goals (``/api/v1/goals/``) and of their objectives and interventions
(``/api/v1/plan-actions/``): serializers, filters and viewsets. Added and changed on a draft
plan only; the service refuses the rest.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from casemgmt.api import ScopedObjectMixin, request_user
from serviceplans import services
from serviceplans.api.fields import CreateOnlyParentMixin, goal_field, plan_field
from serviceplans.models import Goal, PlanAction
from serviceplans.services import ACTION_FIELDS

GOAL_CONTENTS = Prefetch("actions", queryset=PlanAction.objects.order_by("id"))


class PlanActionSerializer(CreateOnlyParentMixin, serializers.ModelSerializer[PlanAction]):
    parent_field = "goal"
    goal = goal_field()

    class Meta:
        model = PlanAction
        fields = ["id", "goal", *ACTION_FIELDS]
        extra_kwargs = {"responsible": {"error_messages": {"required": "Say who does it."}}}


class GoalSerializer(CreateOnlyParentMixin, serializers.ModelSerializer[Goal]):
    parent_field = "plan"
    plan = plan_field()
    actions = PlanActionSerializer(
        many=True, read_only=True, help_text="Its objectives and interventions."
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "client_words",
            "life_domain",
            "target_date",
            "status",
            "carried_from",
            "actions",
        ]
        read_only_fields = ["carried_from"]


# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class GoalFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan")

    class Meta:
        model = Goal
        fields = ["plan"]


class PlanActionFilter(django_filters.FilterSet):
    goal = django_filters.NumberFilter(field_name="goal")

    class Meta:
        model = PlanAction
        fields = ["goal"]


class GoalViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Goal],
):
    """Goals in the client's own words, with their objectives and interventions; filter by
    ``plan``. Added and changed on a draft plan only."""

    model = Goal
    write_actions = frozenset({"partial_update"})
    serializer_class = GoalSerializer
    filterset_class = GoalFilter

    def get_queryset(self) -> QuerySet[Goal]:
        return (
            Goal.objects.visible_to(request_user(self.request))
            .prefetch_related(GOAL_CONTENTS)
            .order_by("plan_id", "id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = GoalSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        goal = services.goal_add(actor=request_user(request), **serializer.validated_data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        goal = self.get_object()
        serializer = GoalSerializer(
            goal, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "plan"}
        goal = services.goal_update(actor=request_user(request), goal=goal, **fields)
        return Response(GoalSerializer(goal).data)


class PlanActionViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[PlanAction],
):
    """Objectives and interventions: who does what, when and how often, where and why;
    filter by ``goal``. Added and changed on a draft plan only."""

    model = PlanAction
    write_actions = frozenset({"partial_update"})
    serializer_class = PlanActionSerializer
    filterset_class = PlanActionFilter

    def get_queryset(self) -> QuerySet[PlanAction]:
        return PlanAction.objects.visible_to(request_user(self.request)).order_by("goal_id", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PlanActionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        plan_action = services.action_add(actor=request_user(request), **serializer.validated_data)
        return Response(PlanActionSerializer(plan_action).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan_action = self.get_object()
        serializer = PlanActionSerializer(
            plan_action, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "goal"}
        plan_action = services.action_update(
            actor=request_user(request), action=plan_action, **fields
        )
        return Response(PlanActionSerializer(plan_action).data)
