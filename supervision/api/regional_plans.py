"""Regional service-delivery plans over the API (Idaho CMH clinical case management standard
12): everyone reads them, a region's supervisors write and submit them, division
administration decides."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Region
from casemgmt.api import ScopedObjectMixin, request_user
from casemgmt.roles import require_administrator
from supervision import services
from supervision.models import (
    RegionalPlan,
    RegionalPlanGoal,
)


class RegionalPlanGoalSerializer(serializers.ModelSerializer[RegionalPlanGoal]):
    id = serializers.IntegerField(
        required=False, help_text="An existing goal to change; left out, a new goal."
    )

    class Meta:
        model = RegionalPlanGoal
        fields = ["id", "goal", "measure", "target_on"]


# The plan's state, who prepared and decided it: written by the services alone.
_PLAN_READ_ONLY = ["status", "prepared_by", "submitted_at", "decided_by", "decided_at", "comments"]


class RegionalPlanSerializer(serializers.ModelSerializer[RegionalPlan]):
    """A region's annual service-delivery plan with its goals and timeline (Idaho CMH clinical
    case management standard 12)."""

    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.name", read_only=True)
    goals = RegionalPlanGoalSerializer(
        many=True,
        required=False,
        help_text="Goals given are added (or, with an id, changed); goals are never removed.",
    )

    class Meta:
        model = RegionalPlan
        fields = [
            "id",
            "region",
            "region_name",
            "year",
            "summary",
            *_PLAN_READ_ONLY,
            "goals",
        ]
        read_only_fields = _PLAN_READ_ONLY
        # One plan per region and year is the service's rule, with its own field error.
        validators: list[Any] = []


class RegionalPlanDecideSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField(help_text="true: approve; false: return with comments.")
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required to return the plan."
    )


def _goal_inputs(rows: list[dict[str, Any]]) -> list[services.RegionalGoalInput]:
    return [
        services.RegionalGoalInput(
            goal=row["goal"],
            measure=row.get("measure", ""),
            target_on=row["target_on"],
            goal_id=row.get("id"),
        )
        for row in rows
    ]


class RegionalPlanViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[RegionalPlan],
):
    """Regional service-delivery plans, newest year first (everyone reads them). A supervisor
    of a team in the region creates the year's plan and changes it (``PATCH``: summary and
    goals) while it is a draft or returned, then ``submit``s it; administrators ``decide``:
    approve, or return it with comments."""

    model = RegionalPlan
    write_actions = frozenset({"partial_update", "submit"})
    serializer_class = RegionalPlanSerializer
    object_select_related = ("region",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[RegionalPlan]:
        return (
            RegionalPlan.objects.visible_to(request_user(self.request))
            .select_related("region")
            .prefetch_related("goals")
            .order_by("-year", "region__name", "id")
        )

    def _answer(self, plan: RegionalPlan, *, code: int = status.HTTP_200_OK) -> Response:
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(RegionalPlanSerializer(plan).data, status=code)

    @extend_schema(responses={201: RegionalPlanSerializer})
    @transaction.atomic
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start the region's plan for a year (one per region and year), with goals if given."""
        serializer = RegionalPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        goals = data.pop("goals", [])
        actor = request_user(request)
        plan = services.regional_plan_create(actor=actor, **data)
        if goals:
            plan = services.regional_plan_update(
                actor=actor, plan=plan, summary=plan.summary, goals=_goal_inputs(goals)
            )
        return self._answer(plan, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the summary and goals of a draft or returned plan; it stays with its region
        and year."""
        plan = self.get_object()
        serializer = RegionalPlanSerializer(plan, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        for name in ("region", "year"):
            if name in data and data[name] != getattr(plan, name):
                raise ValidationError({name: "A plan stays with its region and year."})
        plan = services.regional_plan_update(
            actor=request_user(request),
            plan=plan,
            summary=data.get("summary", plan.summary),
            goals=_goal_inputs(data.get("goals", [])),
        )
        return self._answer(plan)

    @extend_schema(request=None, responses=RegionalPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit the plan (it needs at least one goal) to division administration."""
        plan = services.regional_plan_submit(actor=request_user(request), plan=self.get_object())
        return self._answer(plan)

    @extend_schema(request=RegionalPlanDecideSerializer, responses=RegionalPlanSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Approve a submitted plan, or return it with comments. Administrators only."""
        actor = request_user(request)
        require_administrator(actor, to="approves regional plans")
        plan = self.get_object()
        serializer = RegionalPlanDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.regional_plan_decide(actor=actor, plan=plan, **serializer.validated_data)
        return self._answer(plan)
