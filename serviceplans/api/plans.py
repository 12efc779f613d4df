"""The API of service plan versions (``/api/v1/plans/``) with their reviews: serializers,
filter and viewset. A draft is edited until a supervisor of the team (not its author) approves
it; an active plan is never edited, only reviewed, and changes through a new version. Its goals
and barriers are read here and written through their own endpoints (``goals``, ``barriers``).

Serializers that show a ``status`` or a ``kind`` are used for both reading and writing their
model: the OpenAPI schema then has one enum per choice set (``--fail-on-warn`` refuses the
same field name carrying different choice sets in several components).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from casemgmt.api import (
    ReadLoggedMixin,
    ScopedObjectMixin,
    ScopedPrimaryKeyRelatedField,
    request_user,
)
from casemgmt.dates import today
from clients.api.clients import FamilyMemberSerializer
from clients.models import FamilyMember
from serviceplans import selectors, services
from serviceplans.api.barriers import BarrierSerializer
from serviceplans.api.fields import enrollment_field, goal_field
from serviceplans.api.goals import GOAL_CONTENTS, GoalSerializer
from serviceplans.models import Barrier, Goal, GoalProgress, PlanReview, ServicePlan
from serviceplans.services import PLAN_DETAIL_FIELDS


def _family_in_scope(user: User) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.visible_to(user)


class GoalProgressSerializer(serializers.ModelSerializer[GoalProgress]):
    goal = goal_field()

    class Meta:
        model = GoalProgress
        fields = ["goal", "rating", "note"]


class PlanReviewSerializer(serializers.ModelSerializer[PlanReview]):
    reviewer_name = serializers.StringRelatedField(source="reviewer", read_only=True)
    progress = GoalProgressSerializer(many=True, help_text="Progress on every goal of the plan.")

    class Meta:
        model = PlanReview
        fields = [
            "id",
            "plan",
            "reviewer",
            "reviewer_name",
            "reviewed_on",
            "summary",
            "progress",
            "created_at",
        ]
        read_only_fields = ["plan", "reviewer", "created_at"]

    def validate_progress(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        goal_ids = [row["goal"].pk for row in rows]
        if len(goal_ids) != len(set(goal_ids)):
            raise serializers.ValidationError("Give each goal's progress once.")
        return rows


class ServicePlanSerializer(serializers.ModelSerializer[ServicePlan]):
    author_name = serializers.StringRelatedField(source="author", read_only=True)
    approved_by_name = serializers.StringRelatedField(source="approved_by", read_only=True)
    family_participants = FamilyMemberSerializer(many=True, read_only=True)
    review_due_on = serializers.SerializerMethodField(
        help_text="When the active plan is due for review: the program's plan review "
        "interval after its approval, then after each review."
    )
    goals = GoalSerializer(many=True, read_only=True)
    barriers = BarrierSerializer(many=True, read_only=True)
    reviews = PlanReviewSerializer(many=True, read_only=True)

    class Meta:
        model = ServicePlan
        fields = [
            "id",
            "enrollment",
            "version",
            "status",
            "previous",
            "author",
            "author_name",
            "start_date",
            "client_participated",
            "family_participants",
            "rationale_explained_on",
            "client_signed_on",
            "approved_by",
            "approved_by_name",
            "approved_on",
            "review_due_on",
            "goals",
            "barriers",
            "reviews",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_review_due_on(self, plan: ServicePlan) -> dt.date | None:
        reviewed = [review.reviewed_on for review in plan.reviews.all()]
        status = selectors.plan_review_due_status(
            plan, last_reviewed_on=max(reviewed, default=None), today=today()
        )
        return status.due_on if status else None


class ServicePlanStartSerializer(serializers.Serializer[Any]):
    enrollment = enrollment_field()
    start_date = serializers.DateField(required=False, help_text="Today when left out.")


class ServicePlanUpdateSerializer(serializers.ModelSerializer[ServicePlan]):
    family_participants = ScopedPrimaryKeyRelatedField(
        many=True,
        queryset=FamilyMember.objects.none(),
        scope=_family_in_scope,
        error_messages={"does_not_exist": "No family member {pk_value} of your teams' clients."},
    )

    class Meta:
        model = ServicePlan
        fields = list(PLAN_DETAIL_FIELDS)


class ServicePlanApproveSerializer(serializers.Serializer[Any]):
    approved_on = serializers.DateField(required=False, help_text="Today when left out.")


# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class ServicePlanFilter(django_filters.FilterSet):
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    status = django_filters.ChoiceFilter(choices=ServicePlan.Status.choices)

    class Meta:
        model = ServicePlan
        fields = ["enrollment", "status"]


_PLAN_SELECT = ("enrollment__program", "author", "approved_by")
_PLAN_CONTENTS = (
    Prefetch("goals", queryset=Goal.objects.order_by("id").prefetch_related(GOAL_CONTENTS)),
    Prefetch("barriers", queryset=Barrier.objects.order_by("id")),
    "family_participants",
    Prefetch(
        "reviews",
        queryset=PlanReview.objects.select_related("reviewer").prefetch_related("progress"),
    ),
)


class ServicePlanViewSet(
    ReadLoggedMixin,
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[ServicePlan],
):
    """Service plan versions of the user's teams, with their goals, objectives and
    interventions, barriers and reviews; filter by ``enrollment`` or ``status``. A draft is
    edited until a supervisor of the team (not its author) approves it; an active plan is
    never edited: start a new version from it."""

    model = ServicePlan
    write_actions = frozenset({"partial_update", "approve", "reviews"})
    object_select_related = _PLAN_SELECT
    serializer_class = ServicePlanSerializer
    filterset_class = ServicePlanFilter

    def get_queryset(self) -> QuerySet[ServicePlan]:
        return (
            ServicePlan.objects.visible_to(request_user(self.request))
            .select_related(*_PLAN_SELECT)
            .prefetch_related(*_PLAN_CONTENTS)
            .order_by("-created_at", "-id")
        )

    def _answer(self, plan: ServicePlan, *, code: int = status.HTTP_200_OK) -> Response:
        plan = selectors.plan_with_contents(
            plan.pk, plans=ServicePlan.objects.visible_to(request_user(self.request))
        )
        return Response(ServicePlanSerializer(plan).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(request=ServicePlanStartSerializer, responses={201: ServicePlanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a draft: the first version, or a new version copied from the active plan
        (which stays in force until the draft is approved)."""
        serializer = ServicePlanStartSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        plan = services.plan_start(actor=request_user(request), **serializer.validated_data)
        return self._answer(plan, code=status.HTTP_201_CREATED)

    @extend_schema(request=ServicePlanUpdateSerializer, responses=ServicePlanSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a draft's dates and who took part."""
        plan = self.get_object()
        serializer = ServicePlanUpdateSerializer(
            plan, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        plan = services.plan_update(
            actor=request_user(request), plan=plan, **serializer.validated_data
        )
        return self._answer(plan)

    @extend_schema(request=ServicePlanApproveSerializer, responses=ServicePlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """A supervisor of the team, other than the author, approves the draft; it becomes
        the active plan and supersedes the one before."""
        plan = self.get_object()
        serializer = ServicePlanApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_approve(
            actor=request_user(request), plan=plan, **serializer.validated_data
        )
        return self._answer(plan)

    @extend_schema(request=PlanReviewSerializer, responses={201: PlanReviewSerializer})
    @action(detail=True, methods=["post"])
    def reviews(self, request: Request, pk: str) -> Response:
        """Review the active plan, with progress on every one of its goals."""
        plan = self.get_object()
        serializer = PlanReviewSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = services.plan_review_record(
            actor=request_user(request),
            plan=plan,
            reviewed_on=data["reviewed_on"],
            summary=data.get("summary", ""),
            progress={
                row["goal"].pk: {"rating": row["rating"], "note": row.get("note", "")}
                for row in data["progress"]
            },
        )
        prefetch_related_objects([review], "progress")
        return Response(PlanReviewSerializer(review).data, status=status.HTTP_201_CREATED)
