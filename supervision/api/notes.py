"""Supervision notes over the API: notes with their follow-up tasks and a case conference's
participants, written through supervision.services.note_write; follow-up tasks marked done or
added to the client's service plan."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import case_managers_of_teams, team_ids_readable_by
from casemgmt.api import (
    ReadLoggedMixin,
    ScopedObjectMixin,
    ScopedPrimaryKeyRelatedField,
    request_user,
)
from clients.models import Enrollment, FamilyMember
from referrals.models import Provider
from serviceplans.models import Goal, RiskAlert
from supervision import services
from supervision.models import (
    ConcernCategory,
    ConferenceParticipant,
    FollowUpTask,
    SupervisionNote,
)


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
    ReadLoggedMixin,
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
        notes = SupervisionNote.objects.visible_to(request_user(self.request))
        return _note_with_rows(notes).order_by("-held_on", "-id")

    def _answer(self, note: SupervisionNote, *, code: int = status.HTTP_200_OK) -> Response:
        note = _note_with_rows(SupervisionNote.objects.filter(pk=note.pk)).get()
        return Response(SupervisionNoteSerializer(note).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

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
            actor=request_user(request),
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
        note = services.note_acknowledge(actor=request_user(request), note=self.get_object())
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
        tasks = FollowUpTask.objects.visible_to(request_user(self.request)).order_by("due_on", "id")
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
        task = services.task_done(actor=request_user(request), task=self.get_object())
        return Response(FollowUpTaskSerializer(task).data)

    @extend_schema(request=TaskToPlanSerializer, responses=FollowUpTaskSerializer)
    @action(detail=True, methods=["post"], url_path="add-to-plan")
    def add_to_plan(self, request: Request, pk: str) -> Response:
        """Add the task to the client's service plan as an intervention under ``goal``, in
        the draft (started from the active plan when there is none); once per task."""
        user = request_user(request)
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
