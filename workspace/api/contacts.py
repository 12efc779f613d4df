"""The staff log (``/api/v1/contacts/``): contacts with the service-plan goals they served.

A contact is the client record's (clients.models.Contact) and the goals it served the service
plan's (serviceplans.models.ContactGoal), so the API that reads and writes both sits above the
two: a new contact goes to serviceplans.services.contact_record_with_goals, which records it
through clients.services.contact_record and links its goals in one transaction. Corrections
and addenda are the contact's alone (clients.services). Built like clients.api: gate →
serializer → service → response; there is no DELETE (405).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.relations import PKOnlyObject
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from casemgmt.api import (
    ReadLoggedMixin,
    ScopedObjectMixin,
    ScopedPrimaryKeyRelatedField,
    request_user,
)
from clients import services
from clients.models import Contact, ContactAddendum, Enrollment
from serviceplans.models import Goal
from serviceplans.services import contact_record_with_goals


def _enrollments_in_scope(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user)


def _goals_in_scope(user: User) -> QuerySet[Goal]:
    return Goal.objects.visible_to(user)


class ContactGoalsField(serializers.ManyRelatedField):
    """The service-plan goals a contact served: written as goal ids (looked up in scope),
    read from the contact's goal links without loading the goals themselves."""

    def get_attribute(self, instance: Contact) -> list[PKOnlyObject]:
        # Prefetched in lists.
        links = instance.goal_links.all()  # type: ignore[attr-defined]  # the reverse of serviceplans' ContactGoal.contact
        return [PKOnlyObject(pk=link.goal_id) for link in links]


class ContactAddendumSerializer(serializers.ModelSerializer[ContactAddendum]):
    author_name = serializers.StringRelatedField(source="author", read_only=True)

    class Meta:
        model = ContactAddendum
        fields = ["id", "author", "author_name", "note", "created_at"]
        read_only_fields = ["author", "created_at"]


# Minutes are plain integers here: the limits (not negative, at most 24 hours) are the
# service's, so the API gives the same messages as the form.
_MINUTES_HELP = "Whole minutes, 0 to 1440 (24 hours)."


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 24 * 60})
class MinutesField(serializers.IntegerField):
    """Whole minutes: the schema states the limits (so a client, or a generated request,
    knows them); the service enforces them."""


class ContactSerializer(serializers.ModelSerializer[Contact]):
    enrollment = ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        scope=_enrollments_in_scope,
        error_messages={"does_not_exist": "This client is not on your caseload."},
    )
    duration_minutes = MinutesField(help_text=_MINUTES_HELP)
    travel_minutes = MinutesField(required=False, default=0, help_text=_MINUTES_HELP)
    billable_units = serializers.IntegerField(
        read_only=True,
        help_text="Billable 15-minute units (duration plus travel; a remainder of 8 minutes "
        "or more counts as a unit; attempted contacts bill nothing).",
    )
    author_name = serializers.StringRelatedField(source="author", read_only=True)
    goals = ContactGoalsField(
        child_relation=ScopedPrimaryKeyRelatedField(
            queryset=Goal.objects.none(),
            scope=_goals_in_scope,
            error_messages={"does_not_exist": "No goal {pk_value} among your teams' plans."},
        ),
        required=False,
        help_text="Goals of the active service plan this contact served; clinical contact "
        "types name at least one once a plan is active.",
    )
    addenda = ContactAddendumSerializer(many=True, read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "enrollment",
            "client",
            "author",
            "author_name",
            "occurred_at",
            "contact_type",
            "duration_minutes",
            "travel_minutes",
            "billable_units",
            "participants",
            "location",
            "note",
            "goals",
            "addenda",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["client", "author", "created_at", "updated_at"]


class ContactCorrectionSerializer(serializers.ModelSerializer[Contact]):
    duration_minutes = MinutesField(help_text=_MINUTES_HELP)
    travel_minutes = MinutesField(help_text=_MINUTES_HELP)

    class Meta:
        model = Contact
        fields = list(services.CONTACT_EDITABLE)


# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class ContactFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client")
    enrollment = django_filters.NumberFilter(field_name="enrollment")

    class Meta:
        model = Contact
        fields = ["client", "enrollment"]


class ContactViewSet(
    ReadLoggedMixin,
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Contact],
):
    """The staff log of the user's teams, newest first; filter by ``client`` or
    ``enrollment``. The author may correct a contact for 24 hours; after that only an
    addendum can be added."""

    model = Contact
    write_actions = frozenset({"partial_update", "addendum"})
    object_select_related = ("author",)
    serializer_class = ContactSerializer
    filterset_class = ContactFilter

    def get_queryset(self) -> QuerySet[Contact]:
        return (
            Contact.objects.visible_to(request_user(self.request))
            .select_related("author")
            .prefetch_related(
                "goal_links",
                Prefetch("addenda", queryset=ContactAddendum.objects.select_related("author")),
            )
            .order_by("-occurred_at", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ContactSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        contact = contact_record_with_goals(
            actor=request_user(request), **serializer.validated_data
        )
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactCorrectionSerializer, responses=ContactSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self.get_object()
        serializer = ContactCorrectionSerializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_correct(
            actor=request_user(request), contact=contact, **serializer.validated_data
        )
        return Response(ContactSerializer(contact).data)

    @extend_schema(request=ContactAddendumSerializer, responses={201: ContactAddendumSerializer})
    @action(detail=True, methods=["post"])
    def addendum(self, request: Request, pk: str) -> Response:
        """Add a dated addendum; the original text stays as it was."""
        contact = self.get_object()
        serializer = ContactAddendumSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addendum = services.contact_add_addendum(
            actor=request_user(request), contact=contact, **serializer.validated_data
        )
        return Response(ContactAddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)
