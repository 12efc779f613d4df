"""The JSON API for assessments, risk screens and service plans (``/api/v1/``).

Built like clients.api: each viewset goes gate → serializer → service → response and holds
no rules of its own. Lists come from the models' ``visible_to(user)`` querysets with their
related rows fetched up front, so a list takes the same number of queries whatever its
length; a single object is reached through :func:`clients.access.object_for_request` (404 and
a DENIED row in the access log outside the user's scope, 403 where the user may read but not
change it). Ids in a request body are looked up in the user's scope, so another team's record
is "not found" there too. Nothing clinical is deleted (no DELETE: 405), a risk screen is
never edited, and an active plan changes only through a new version.

Serializers that show a ``status`` or a ``kind`` are used for both reading and writing their
model: the OpenAPI schema then has one enum per choice set (``--fail-on-warn`` refuses the
same field name carrying different choice sets in several components).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import django_filters
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from casemgmt.api import ScopedObjectMixin, ScopedPrimaryKeyRelatedField
from clients.api import FamilyMemberSerializer
from clients.models import Enrollment, FamilyMember
from serviceplans import selectors, services
from serviceplans.models import (
    Assessment,
    AssessmentAddendum,
    AssessmentFinding,
    Barrier,
    Goal,
    GoalProgress,
    PlanAction,
    PlanReview,
    RiskScreen,
    ServicePlan,
)


def _actor(request: Request) -> User:
    # Every viewset requires an authenticated user (REST_FRAMEWORK permission classes).
    return cast(User, request.user)


# --- Foreign keys in request bodies, looked up in the user's scope ----------------------------


def _enrollments_in_scope(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user)


def _plans_in_scope(user: User) -> QuerySet[ServicePlan]:
    return ServicePlan.objects.visible_to(user)


def _goals_in_scope(user: User) -> QuerySet[Goal]:
    return Goal.objects.visible_to(user)


def _family_in_scope(user: User) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.visible_to(user)


def _enrollment_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        scope=_enrollments_in_scope,
        error_messages={"does_not_exist": "No enrollment {pk_value} among your teams' clients."},
    )


class CreateOnlyParentMixin:
    """The parent named on creation (a goal's plan, an action's goal) stays: a PATCH may
    repeat it but not move the record elsewhere."""

    parent_field: str
    instance: Any

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        parent = attrs.get(self.parent_field)
        current = getattr(self.instance, f"{self.parent_field}_id", None)
        if parent is not None and current is not None and parent.pk != current:
            raise serializers.ValidationError(
                {self.parent_field: "This cannot be changed; add a new one instead."}
            )
        return attrs


# --- Assessments ------------------------------------------------------------------------------


class AssessmentFindingSerializer(serializers.ModelSerializer[AssessmentFinding]):
    class Meta:
        model = AssessmentFinding
        fields = ["domain", "findings", "need_level"]
        read_only_fields = fields


class AssessmentAddendumSerializer(serializers.ModelSerializer[AssessmentAddendum]):
    author_name = serializers.StringRelatedField(source="author", read_only=True)

    class Meta:
        model = AssessmentAddendum
        fields = ["id", "author", "author_name", "note", "created_at"]
        read_only_fields = ["author", "created_at"]


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    author_name = serializers.StringRelatedField(source="author", read_only=True)
    findings = AssessmentFindingSerializer(many=True, read_only=True)
    addenda = AssessmentAddendumSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "enrollment",
            "kind",
            "status",
            "author",
            "author_name",
            "summary",
            "completed_on",
            "findings",
            "addenda",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AssessmentStartSerializer(serializers.Serializer[Any]):
    enrollment = _enrollment_field()


class FindingInputSerializer(serializers.Serializer[Any]):
    findings = serializers.CharField(required=False, allow_blank=True)
    need_level = serializers.ChoiceField(
        choices=AssessmentFinding.NeedLevel.choices, required=False, allow_blank=True
    )


class AssessmentSaveSerializer(serializers.Serializer[Any]):
    summary = serializers.CharField(required=False, allow_blank=True)
    findings = serializers.DictField(
        child=FindingInputSerializer(),
        required=False,
        help_text="Keyed by domain (mental_health, substance_use, medical_hiv, housing, "
        "family, legal, education_employment, strengths); only the domains given change.",
    )


class AssessmentCompleteSerializer(serializers.Serializer[Any]):
    completed_on = serializers.DateField()


# --- Risk screens -----------------------------------------------------------------------------


class RiskScreenSerializer(serializers.ModelSerializer[RiskScreen]):
    enrollment = _enrollment_field()
    author_name = serializers.StringRelatedField(source="author", read_only=True)
    positive_items = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The positive risk items."
    )
    alert_raised = serializers.SerializerMethodField(
        help_text="A positive screen raises an alert for the team's supervisor at once."
    )
    alert_raised_at = serializers.SerializerMethodField()

    class Meta:
        model = RiskScreen
        fields = [
            "id",
            "enrollment",
            "author",
            "author_name",
            "screened_on",
            "mental_health_stage",
            "substance_use_stage",
            "suicidal_ideation",
            "domestic_violence",
            "child_abuse_neglect",
            "aggressive_behaviour",
            "risk_behaviours",
            "crisis",
            "positive",
            "positive_items",
            "alert_raised",
            "alert_raised_at",
            "medication_adherence",
            "appointment_adherence",
            "notes",
            "created_at",
        ]
        read_only_fields = ["author", "positive", "created_at"]

    def get_alert_raised(self, screen: RiskScreen) -> bool:
        return hasattr(screen, "alert")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_alert_raised_at(self, screen: RiskScreen) -> dt.datetime | None:
        return screen.alert.raised_at if hasattr(screen, "alert") else None


# --- Service plans ----------------------------------------------------------------------------


class PlanActionSerializer(CreateOnlyParentMixin, serializers.ModelSerializer[PlanAction]):
    parent_field = "goal"
    goal = ScopedPrimaryKeyRelatedField(
        queryset=Goal.objects.none(),
        scope=_goals_in_scope,
        error_messages={"does_not_exist": "No goal {pk_value} among your teams' plans."},
    )

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "goal",
            "kind",
            "responsible",
            "responsible_name",
            "what",
            "when",
            "where",
            "why",
            "due_date",
            "status",
        ]
        extra_kwargs = {"responsible": {"error_messages": {"required": "Say who does it."}}}


class GoalSerializer(CreateOnlyParentMixin, serializers.ModelSerializer[Goal]):
    parent_field = "plan"
    plan = ScopedPrimaryKeyRelatedField(
        queryset=ServicePlan.objects.none(),
        scope=_plans_in_scope,
        error_messages={"does_not_exist": "No plan {pk_value} among your teams' plans."},
    )
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


class BarrierSerializer(CreateOnlyParentMixin, serializers.ModelSerializer[Barrier]):
    parent_field = "plan"
    plan = ScopedPrimaryKeyRelatedField(
        queryset=ServicePlan.objects.none(),
        scope=_plans_in_scope,
        error_messages={"does_not_exist": "No plan {pk_value} among your teams' plans."},
    )

    class Meta:
        model = Barrier
        fields = ["id", "plan", "kind", "description", "strategy", "resolved_on"]


class GoalProgressSerializer(serializers.ModelSerializer[GoalProgress]):
    goal = ScopedPrimaryKeyRelatedField(
        queryset=Goal.objects.none(),
        scope=_goals_in_scope,
        error_messages={"does_not_exist": "No goal {pk_value} among your teams' plans."},
    )

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
            plan, last_reviewed_on=max(reviewed, default=None), today=timezone.localdate()
        )
        return status.due_on if status else None


class ServicePlanStartSerializer(serializers.Serializer[Any]):
    enrollment = _enrollment_field()
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
        fields = [
            "start_date",
            "client_participated",
            "family_participants",
            "rationale_explained_on",
            "client_signed_on",
        ]


class ServicePlanApproveSerializer(serializers.Serializer[Any]):
    approved_on = serializers.DateField(required=False, help_text="Today when left out.")


# --- Filters ----------------------------------------------------------------------------------
# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class AssessmentFilter(django_filters.FilterSet):
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    status = django_filters.ChoiceFilter(choices=Assessment.Status.choices)

    class Meta:
        model = Assessment
        fields = ["enrollment", "status"]


class RiskScreenFilter(django_filters.FilterSet):
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    positive = django_filters.BooleanFilter(field_name="positive")

    class Meta:
        model = RiskScreen
        fields = ["enrollment", "positive"]


class ServicePlanFilter(django_filters.FilterSet):
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    status = django_filters.ChoiceFilter(choices=ServicePlan.Status.choices)

    class Meta:
        model = ServicePlan
        fields = ["enrollment", "status"]


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


class BarrierFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan")

    class Meta:
        model = Barrier
        fields = ["plan"]


# --- Viewsets ---------------------------------------------------------------------------------


_ASSESSMENT_CONTENTS = (
    "findings",
    Prefetch("addenda", queryset=AssessmentAddendum.objects.select_related("author")),
)


class AssessmentViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Assessment],
):
    """Comprehensive assessments of the user's teams, newest first; filter by ``enrollment``
    or ``status``. The author edits a draft and completes it, which locks it; corrections
    afterwards are dated addenda."""

    model = Assessment
    write_actions = frozenset({"partial_update", "complete", "addendum"})
    object_select_related = ("author",)
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        return (
            Assessment.objects.visible_to(self.request.user)
            .select_related("author")
            .prefetch_related(*_ASSESSMENT_CONTENTS)
            .order_by("-created_at", "-id")
        )

    def _answer(self, assessment: Assessment, *, code: int = status.HTTP_200_OK) -> Response:
        prefetch_related_objects([assessment], *_ASSESSMENT_CONTENTS)
        return Response(AssessmentSerializer(assessment).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(request=AssessmentStartSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a draft (initial until one is completed in the enrollment, then an update),
        with an empty finding per domain."""
        serializer = AssessmentStartSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_start(actor=_actor(request), **serializer.validated_data)
        return self._answer(assessment, code=status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentSaveSerializer, responses=AssessmentSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Save the author's draft: the summary and, per domain, findings and a need level."""
        assessment = self.get_object()
        serializer = AssessmentSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_save(
            actor=_actor(request), assessment=assessment, **serializer.validated_data
        )
        return self._answer(assessment)

    @extend_schema(request=AssessmentCompleteSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """Complete and lock the author's draft (every domain rated; dated between the
        application date and today)."""
        assessment = self.get_object()
        serializer = AssessmentCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_complete(
            actor=_actor(request), assessment=assessment, **serializer.validated_data
        )
        return self._answer(assessment)

    @extend_schema(
        request=AssessmentAddendumSerializer, responses={201: AssessmentAddendumSerializer}
    )
    @action(detail=True, methods=["post"])
    def addendum(self, request: Request, pk: str) -> Response:
        """Add a dated addendum to a completed assessment; the assessment stays as it was."""
        assessment = self.get_object()
        serializer = AssessmentAddendumSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addendum = services.assessment_add_addendum(
            actor=_actor(request), assessment=assessment, **serializer.validated_data
        )
        return Response(AssessmentAddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)


class RiskScreenViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[RiskScreen],
):
    """Readiness, risk and adherence screens of the user's teams, newest first; filter by
    ``enrollment`` or ``positive``. A screen is a dated record and is never edited: a new one
    replaces it as the current one."""

    model = RiskScreen
    object_select_related = ("author", "alert")
    serializer_class = RiskScreenSerializer
    filterset_class = RiskScreenFilter

    def get_queryset(self) -> QuerySet[RiskScreen]:
        return (
            RiskScreen.objects.visible_to(self.request.user)
            .select_related("author", "alert")
            .order_by("-screened_on", "-id")
        )

    @extend_schema(responses={201: RiskScreenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a screen. Any positive item marks the client at risk and raises an alert
        for the team's supervisor at once."""
        serializer = RiskScreenSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        screen = services.risk_screen_record(actor=_actor(request), **serializer.validated_data)
        return Response(RiskScreenSerializer(screen).data, status=status.HTTP_201_CREATED)


_GOAL_CONTENTS = Prefetch("actions", queryset=PlanAction.objects.order_by("id"))
_PLAN_SELECT = ("enrollment__program", "author", "approved_by")
_PLAN_CONTENTS = (
    Prefetch("goals", queryset=Goal.objects.order_by("id").prefetch_related(_GOAL_CONTENTS)),
    Prefetch("barriers", queryset=Barrier.objects.order_by("id")),
    "family_participants",
    Prefetch(
        "reviews",
        queryset=PlanReview.objects.select_related("reviewer").prefetch_related("progress"),
    ),
)


class ServicePlanViewSet(
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
            ServicePlan.objects.visible_to(self.request.user)
            .select_related(*_PLAN_SELECT)
            .prefetch_related(*_PLAN_CONTENTS)
            .order_by("-created_at", "-id")
        )

    def _answer(self, plan: ServicePlan, *, code: int = status.HTTP_200_OK) -> Response:
        plan = selectors.plan_with_contents(
            plan.pk, plans=ServicePlan.objects.visible_to(self.request.user)
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
        plan = services.plan_start(actor=_actor(request), **serializer.validated_data)
        return self._answer(plan, code=status.HTTP_201_CREATED)

    @extend_schema(request=ServicePlanUpdateSerializer, responses=ServicePlanSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a draft's dates and who took part."""
        plan = self.get_object()
        serializer = ServicePlanUpdateSerializer(
            plan, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        plan = services.plan_update(actor=_actor(request), plan=plan, **serializer.validated_data)
        return self._answer(plan)

    @extend_schema(request=ServicePlanApproveSerializer, responses=ServicePlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """A supervisor of the team, other than the author, approves the draft; it becomes
        the active plan and supersedes the one before."""
        plan = self.get_object()
        serializer = ServicePlanApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_approve(actor=_actor(request), plan=plan, **serializer.validated_data)
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
            actor=_actor(request),
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
            Goal.objects.visible_to(self.request.user)
            .prefetch_related(_GOAL_CONTENTS)
            .order_by("plan_id", "id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = GoalSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        goal = services.goal_add(actor=_actor(request), **serializer.validated_data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        goal = self.get_object()
        serializer = GoalSerializer(
            goal, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "plan"}
        goal = services.goal_update(actor=_actor(request), goal=goal, **fields)
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
        return PlanAction.objects.visible_to(self.request.user).order_by("goal_id", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PlanActionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        plan_action = services.action_add(actor=_actor(request), **serializer.validated_data)
        return Response(PlanActionSerializer(plan_action).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan_action = self.get_object()
        serializer = PlanActionSerializer(
            plan_action, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "goal"}
        plan_action = services.action_update(actor=_actor(request), action=plan_action, **fields)
        return Response(PlanActionSerializer(plan_action).data)


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
        return Barrier.objects.visible_to(self.request.user).order_by("plan_id", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = BarrierSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        barrier = services.barrier_add(actor=_actor(request), **serializer.validated_data)
        return Response(BarrierSerializer(barrier).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        barrier = self.get_object()
        serializer = BarrierSerializer(
            barrier, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "plan"}
        barrier = services.barrier_update(actor=_actor(request), barrier=barrier, **fields)
        return Response(BarrierSerializer(barrier).data)
