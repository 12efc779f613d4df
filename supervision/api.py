"""The supervision API: flags, notes, variances, regional plans, through the same scoped
querysets and services as the web pages."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Region, User
from accounts.selectors import case_managers_of_teams, team_ids_readable_by
from casemgmt.api import ScopedObjectMixin, ScopedPrimaryKeyRelatedField
from clients.access import log_client_view
from clients.models import Client, Enrollment, FamilyMember
from referrals.models import Provider
from serviceplans.models import Goal, RiskAlert
from supervision import services
from supervision.models import (
    ConcernCategory,
    ConferenceParticipant,
    Flag,
    FlagRule,
    FollowUpTask,
    RegionalPlan,
    RegionalPlanGoal,
    SupervisionNote,
    Variance,
)

# --- Flags ------------------------------------------------------------------------------------


class FlagFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(
        method="filter_open", help_text="true: open flags only; false: resolved ones only."
    )
    rule = django_filters.ChoiceFilter(choices=FlagRule.choices)
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    client = django_filters.NumberFilter(field_name="enrollment__client")

    class Meta:
        model = Flag
        fields = ["open", "rule", "enrollment", "client"]

    def filter_open(self, queryset: QuerySet[Flag], name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(resolved_on__isnull=value)


class FlagExplanationSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField(help_text="The rule, in words.")
    standard = serializers.CharField(help_text="The standard it comes from.")
    due_on = serializers.DateField()
    days_overdue = serializers.IntegerField(
        help_text="Days past the due date today (negative: days left)."
    )
    satisfied_by = serializers.CharField(help_text="What would satisfy it.")


class FlagSerializer(serializers.ModelSerializer[Flag]):
    """A compliance flag and its explanation as of today (Flag.explain)."""

    client = serializers.IntegerField(source="enrollment.client_id", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Flag
        fields = [
            "id",
            "enrollment",
            "client",
            "rule",
            "due_on",
            "raised_on",
            "resolved_on",
            "resolution",
            "detail",
            "is_open",
            "explanation",
        ]
        read_only_fields = fields

    @extend_schema_field(FlagExplanationSerializer)
    def get_explanation(self, flag: Flag) -> dict[str, Any]:
        return FlagExplanationSerializer(flag.explain(as_of=timezone.localdate())).data


class FlagViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Flag],
):
    """Compliance flags of the user's teams (the whole agency for administrators and QA),
    soonest due first; filter by ``open``, ``rule``, ``enrollment`` or ``client``. Read-only:
    flags are raised and resolved by the compliance evaluation alone."""

    model = Flag
    serializer_class = FlagSerializer
    filterset_class = FlagFilter
    object_select_related = ("enrollment",)

    def get_queryset(self) -> QuerySet[Flag]:
        return (
            Flag.objects.visible_to(self.request.user)
            .select_related("enrollment")
            .order_by("due_on", "id")
        )


# --- Notes, conferences -----------------------------------------------------------------------


def _note_enrollments(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user)


def _note_case_managers(user: User) -> QuerySet[User]:
    return case_managers_of_teams(team_ids=team_ids_readable_by(user))


def _note_risk_alerts(user: User) -> QuerySet[RiskAlert]:
    return RiskAlert.objects.visible_to(user)


def _note_staff(user: User) -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def _note_family(user: User) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.visible_to(user)


def _note_goals(user: User) -> QuerySet[Goal]:
    return Goal.objects.visible_to(user)


class FollowUpTaskSerializer(serializers.ModelSerializer[FollowUpTask]):
    """A follow-up task of a note: what, due by when, who does it (named when a family
    member, provider or someone else), when it was done, the plan intervention it became."""

    class Meta:
        model = FollowUpTask
        fields = [
            "id",
            "note",
            "description",
            "due_on",
            "responsible",
            "responsible_name",
            "done_on",
            "plan_action",
        ]
        read_only_fields = ["id", "note", "done_on", "plan_action"]


class ConferenceParticipantSerializer(serializers.ModelSerializer[ConferenceParticipant]):
    """Who took part in a case conference: ``staff``, a ``family_member`` of the client, a
    ``provider`` of the directory (active), the ``client``, or ``other`` by ``name``."""

    staff = ScopedPrimaryKeyRelatedField(
        scope=_note_staff, queryset=User.objects.all(), required=False, allow_null=True
    )
    family_member = ScopedPrimaryKeyRelatedField(
        scope=_note_family, queryset=FamilyMember.objects.all(), required=False, allow_null=True
    )
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ConferenceParticipant
        fields = ["id", "kind", "staff", "family_member", "provider", "name", "role"]
        read_only_fields = ["id"]


class SupervisionNoteSerializer(serializers.ModelSerializer[SupervisionNote]):
    """A supervision note (CFP bulletin 18B-08): the client's ``enrollment`` (every kind but
    a clinical supervision session), the case manager supervised (the enrollment's when left
    out), concerns, discussion, recommendations, a case conference's goals agreed and
    participants, follow-up tasks, and the acknowledgement. A ``risk_alert`` of the
    enrollment's positive risk screen is reviewed by writing the note."""

    enrollment = ScopedPrimaryKeyRelatedField(
        scope=_note_enrollments, queryset=Enrollment.objects.all(), required=False, allow_null=True
    )
    client = serializers.IntegerField(source="enrollment.client_id", read_only=True, default=None)
    staff_supervised = ScopedPrimaryKeyRelatedField(
        scope=_note_case_managers, queryset=User.objects.all(), required=False, allow_null=True
    )
    risk_alert = ScopedPrimaryKeyRelatedField(
        scope=_note_risk_alerts, queryset=RiskAlert.objects.all(), required=False, allow_null=True
    )
    concerns = serializers.ListField(
        child=serializers.ChoiceField(choices=ConcernCategory.choices), required=False
    )
    tasks = FollowUpTaskSerializer(many=True, required=False)
    participants = ConferenceParticipantSerializer(many=True, required=False)
    is_acknowledged = serializers.BooleanField(read_only=True)

    class Meta:
        model = SupervisionNote
        fields = [
            "id",
            "kind",
            "team",
            "enrollment",
            "client",
            "staff_supervised",
            "author",
            "held_on",
            "concerns",
            "discussion",
            "recommendations",
            "agreed_goals",
            "risk_alert",
            "tasks",
            "participants",
            "is_acknowledged",
            "acknowledged_on",
            "acknowledged_at",
            "created_at",
        ]
        read_only_fields = ["id", "team", "author", "acknowledged_on", "acknowledged_at"]


class TaskToPlanSerializer(serializers.Serializer[Any]):
    goal = ScopedPrimaryKeyRelatedField(
        scope=_note_goals,
        queryset=Goal.objects.all(),
        help_text="A goal of the client's draft plan, or of its active plan (a draft is then "
        "started from it).",
    )


class SupervisionNoteFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SupervisionNote.Kind.choices)
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    client = django_filters.NumberFilter(field_name="enrollment__client")
    staff_supervised = django_filters.NumberFilter(field_name="staff_supervised")
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = SupervisionNote
        fields = ["kind", "enrollment", "client", "staff_supervised", "acknowledged"]


def _note_with_rows(notes: QuerySet[SupervisionNote]) -> QuerySet[SupervisionNote]:
    return notes.select_related("enrollment").prefetch_related("tasks", "participants")


class SupervisionNoteViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[SupervisionNote],
):
    """Supervision notes the user may read (SupervisionNote.objects.visible_to: the staff
    member supervised, the team's supervisors, administrators and QA), newest first; filter
    by ``kind``, ``enrollment``, ``client``, ``staff_supervised`` or ``acknowledged``. A
    supervisor of the team writes one, with its tasks and a conference's participants, all
    or nothing; the staff member supervised ``acknowledge``s it, once."""

    model = SupervisionNote
    serializer_class = SupervisionNoteSerializer
    filterset_class = SupervisionNoteFilter

    def get_queryset(self) -> QuerySet[SupervisionNote]:
        notes = SupervisionNote.objects.visible_to(self.request.user)
        return _note_with_rows(notes).order_by("-held_on", "-id")

    def _answer(self, note: SupervisionNote, *, code: int = status.HTTP_200_OK) -> Response:
        note = _note_with_rows(SupervisionNote.objects.filter(pk=note.pk)).get()
        return Response(SupervisionNoteSerializer(note).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        note = self.get_object()
        if note.enrollment_id is not None:
            log_client_view(request, Client(pk=note.enrollment.client_id))
        return self._answer(note)

    @extend_schema(responses={201: SupervisionNoteSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Write a note (supervisors of the client's team only; a case manager: 403). An
        enrollment outside the user's teams is not found (400 on ``enrollment``)."""
        serializer = SupervisionNoteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        note = services.note_write(
            actor=cast(User, request.user),
            kind=data.pop("kind"),
            held_on=data.pop("held_on"),
            discussion=data.pop("discussion"),
            tasks=[dict(row) for row in data.pop("tasks", [])],
            participants=[dict(row) for row in data.pop("participants", [])],
            **data,
        )
        return self._answer(note, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SupervisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """The staff member supervised acknowledges the note (dated), once: again, 400;
        anyone else, 403."""
        note = services.note_acknowledge(actor=cast(User, request.user), note=self.get_object())
        return self._answer(note)


class FollowUpTaskViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[FollowUpTask],
):
    """Follow-up tasks of the notes the user may read, soonest due first; filter by
    ``note`` or ``open``. Marked ``done`` by the staff member supervised or the supervisor;
    ``add-to-plan`` makes one an intervention of the client's draft service plan (those who
    write the client's enrollment)."""

    model = FollowUpTask
    serializer_class = FollowUpTaskSerializer
    object_select_related = ("note__enrollment",)

    def get_queryset(self) -> QuerySet[FollowUpTask]:
        tasks = FollowUpTask.objects.visible_to(self.request.user).order_by("due_on", "id")
        note = self.request.query_params.get("note", "")
        if note.isdigit():
            tasks = tasks.filter(note_id=note)
        is_open = self.request.query_params.get("open")
        if is_open in ("true", "false"):
            tasks = tasks.filter(done_on__isnull=is_open == "true")
        return tasks

    @extend_schema(request=None, responses=FollowUpTaskSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str) -> Response:
        """Mark the task done today (the staff member supervised or the supervisor)."""
        task = services.task_done(actor=cast(User, request.user), task=self.get_object())
        return Response(FollowUpTaskSerializer(task).data)

    @extend_schema(request=TaskToPlanSerializer, responses=FollowUpTaskSerializer)
    @action(detail=True, methods=["post"], url_path="add-to-plan")
    def add_to_plan(self, request: Request, pk: str) -> Response:
        """Add the task to the client's service plan as an intervention under ``goal``, in
        the draft (started from the active plan when there is none); once per task."""
        user = cast(User, request.user)
        task = self.get_object()
        enrollment_id = task.note.enrollment_id
        if (
            enrollment_id is not None
            and not Enrollment.objects.writable_by(user).filter(pk=enrollment_id).exists()
        ):
            raise PermissionDenied("This client is not on your caseload.")
        serializer = TaskToPlanSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.task_add_to_plan(actor=user, task=task, **serializer.validated_data)
        return Response(FollowUpTaskSerializer(FollowUpTask.objects.get(pk=task.pk)).data)


# --- Variances, regional plans ----------------------------------------------------------------


def _administrator(request: Request) -> User:
    user = cast(User, request.user)
    if not user.is_administrator:
        raise PermissionDenied("Only division administration decides this.")
    return user


def _variance_enrollments(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user)


def _variance_flags(user: User) -> QuerySet[Flag]:
    return Flag.objects.visible_to(user)


class VarianceSerializer(serializers.ModelSerializer[Variance]):
    """A variance to a standard for one enrollment (Idaho CMH clinical case management
    standard 11), asked against an open ``flag`` or a standard (``rule``)."""

    enrollment = ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        scope=_variance_enrollments,
        error_messages={"does_not_exist": "No enrollment {pk_value} among your teams' clients."},
    )
    client = serializers.IntegerField(source="enrollment.client_id", read_only=True)
    rule = serializers.ChoiceField(
        choices=FlagRule.choices,
        required=False,
        allow_null=True,
        help_text="The standard that cannot be met; left out, the flag's.",
    )
    flag = ScopedPrimaryKeyRelatedField(
        queryset=Flag.objects.none(),
        scope=_variance_flags,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No flag {pk_value} among your teams' flags."},
        help_text="The open flag of the enrollment the variance is asked against.",
    )
    reason = serializers.CharField(allow_blank=True, help_text="Why the standard cannot be met.")
    proposed_due_on = serializers.DateField(help_text="The proposed new due date: after today.")

    class Meta:
        model = Variance
        fields = [
            "id",
            "enrollment",
            "client",
            "rule",
            "flag",
            "reason",
            "proposed_due_on",
            "requested_by",
            "requested_at",
            "status",
            "decided_by",
            "decided_at",
            "approved_due_on",
            "decision_note",
        ]
        read_only_fields = [
            "requested_by",
            "requested_at",
            "status",
            "decided_by",
            "decided_at",
            "approved_due_on",
            "decision_note",
        ]
        # One pending request per enrollment and standard is the service's rule, with its
        # own field error.
        validators: list[Any] = []


class VarianceApproveSerializer(serializers.Serializer[Any]):
    approved_due_on = serializers.DateField(
        required=False, allow_null=True, help_text="Today or later; the proposed date if left out."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VarianceDenySerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why it is denied (required)."
    )


class VarianceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Variance.Status.choices)
    rule = django_filters.ChoiceFilter(choices=FlagRule.choices)
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    client = django_filters.NumberFilter(field_name="enrollment__client")
    region = django_filters.NumberFilter(field_name="enrollment__team__region")
    program = django_filters.NumberFilter(field_name="enrollment__program")

    class Meta:
        model = Variance
        fields = ["status", "rule", "enrollment", "client", "region", "program"]


class VarianceViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Variance],
):
    """Variances of the user's teams' enrollments (the whole agency for administrators and
    QA), newest first; filter by ``status``, ``rule``, ``enrollment``, ``client``, ``region``
    or ``program``. Case managers (their caseload) and supervisors (their teams) ask for one;
    administrators ``approve`` or ``deny`` it (anyone else: 403). Approving evaluates the
    enrollment at once: the flag is resolved until the new date."""

    model = Variance
    serializer_class = VarianceSerializer
    filterset_class = VarianceFilter
    object_select_related = ("enrollment",)

    def get_queryset(self) -> QuerySet[Variance]:
        return (
            Variance.objects.visible_to(self.request.user)
            .select_related("enrollment")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(responses={201: VarianceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Ask for a variance: the enrollment, an open flag of it or a standard, why, and the
        proposed new due date (after today). One pending request per enrollment and standard."""
        serializer = VarianceSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        variance = services.variance_request(
            actor=cast(User, request.user), **serializer.validated_data
        )
        return Response(VarianceSerializer(variance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VarianceApproveSerializer, responses=VarianceSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Approve a pending variance until ``approved_due_on`` (today or later; the proposed
        date when left out). Administrators only."""
        actor = _administrator(request)
        variance = self.get_object()
        serializer = VarianceApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variance = services.variance_decide(
            actor=actor, variance=variance, approve=True, **serializer.validated_data
        )
        return Response(VarianceSerializer(variance).data)

    @extend_schema(request=VarianceDenySerializer, responses=VarianceSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request: Request, pk: str) -> Response:
        """Deny a pending variance, saying why in ``note``. Administrators only."""
        actor = _administrator(request)
        variance = self.get_object()
        serializer = VarianceDenySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variance = services.variance_decide(
            actor=actor, variance=variance, approve=False, **serializer.validated_data
        )
        return Response(VarianceSerializer(variance).data)


class RegionalPlanGoalSerializer(serializers.ModelSerializer[RegionalPlanGoal]):
    id = serializers.IntegerField(
        required=False, help_text="An existing goal to change; left out, a new goal."
    )

    class Meta:
        model = RegionalPlanGoal
        fields = ["id", "goal", "measure", "target_on"]


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
            "status",
            "prepared_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "comments",
            "goals",
        ]
        read_only_fields = [
            "status",
            "prepared_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "comments",
        ]
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
            RegionalPlan.objects.visible_to(self.request.user)
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
        actor = cast(User, request.user)
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
            actor=cast(User, request.user),
            plan=plan,
            summary=data.get("summary", plan.summary),
            goals=_goal_inputs(data.get("goals", [])),
        )
        return self._answer(plan)

    @extend_schema(request=None, responses=RegionalPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit the plan (it needs at least one goal) to division administration."""
        plan = services.regional_plan_submit(actor=cast(User, request.user), plan=self.get_object())
        return self._answer(plan)

    @extend_schema(request=RegionalPlanDecideSerializer, responses=RegionalPlanSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Approve a submitted plan, or return it with comments. Administrators only."""
        actor = _administrator(request)
        plan = self.get_object()
        serializer = RegionalPlanDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.regional_plan_decide(actor=actor, plan=plan, **serializer.validated_data)
        return self._answer(plan)
