"""The API of comprehensive assessments (``/api/v1/assessments/``): serializers, filter and
viewset. The author edits a draft and completes it, which locks it; corrections afterwards are
dated addenda.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casemgmt.api import ReadLoggedMixin, ScopedObjectMixin, request_user
from serviceplans import services
from serviceplans.api.fields import enrollment_field
from serviceplans.models import Assessment, AssessmentAddendum, AssessmentFinding


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
    enrollment = enrollment_field()


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


# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class AssessmentFilter(django_filters.FilterSet):
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    status = django_filters.ChoiceFilter(choices=Assessment.Status.choices)

    class Meta:
        model = Assessment
        fields = ["enrollment", "status"]


_ASSESSMENT_CONTENTS = (
    "findings",
    Prefetch("addenda", queryset=AssessmentAddendum.objects.select_related("author")),
)


class AssessmentViewSet(
    ReadLoggedMixin,
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
            Assessment.objects.visible_to(request_user(self.request))
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
        assessment = services.assessment_start(
            actor=request_user(request), **serializer.validated_data
        )
        return self._answer(assessment, code=status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentSaveSerializer, responses=AssessmentSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Save the author's draft: the summary and, per domain, findings and a need level."""
        assessment = self.get_object()
        serializer = AssessmentSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_save(
            actor=request_user(request), assessment=assessment, **serializer.validated_data
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
            actor=request_user(request), assessment=assessment, **serializer.validated_data
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
            actor=request_user(request), assessment=assessment, **serializer.validated_data
        )
        return Response(AssessmentAddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)
