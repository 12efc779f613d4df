"""The JSON API for clients, enrollments and contacts (``/api/v1/``).

The viewsets hold no rules of their own: each one goes gate → serializer → service →
response, exactly like the web views. Lists come from the models' ``visible_to(user)``
querysets; a single object is reached through :func:`clients.access.object_for_request`, so
an id outside the user's scope answers 404 (403 when the user may read but not change it) and
leaves a row in the access log. Ids in a request body (the client of an enrollment, the
enrollment of a contact) are looked up in the same scope, so another team's record is "not
found" there too. Nothing clinical is deleted: there is no DELETE (405).
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.relations import PKOnlyObject
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import case_managers_of_teams, team_ids_readable_by
from casemgmt.api import ScopedObjectMixin, ScopedPrimaryKeyRelatedField
from clients import services
from clients.access import log_client_view
from clients.models import Client, Contact, ContactAddendum, Enrollment, FamilyMember, Program
from serviceplans.models import Goal

# --- Foreign keys in request bodies, looked up in the user's scope ----------------------------


def _clients_in_scope(user: User) -> QuerySet[Client]:
    return Client.objects.visible_to(user)


def _enrollments_in_scope(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user)


def _case_managers_in_scope(user: User) -> QuerySet[User]:
    return case_managers_of_teams(team_ids=team_ids_readable_by(user))


def _goals_in_scope(user: User) -> QuerySet[Goal]:
    return Goal.objects.visible_to(user)


class ContactGoalsField(serializers.ManyRelatedField):
    """The service-plan goals a contact served: written as goal ids (looked up in scope),
    read from the contact's goal links without loading the goals themselves."""

    def get_attribute(self, instance: Contact) -> list[PKOnlyObject]:
        # goal_links is the reverse of serviceplans.ContactGoal.contact (prefetched in lists).
        links = instance.goal_links.all()  # type: ignore[attr-defined]
        return [PKOnlyObject(pk=link.goal_id) for link in links]


def _actor(request: Request) -> User:
    # Every viewset requires an authenticated user (REST_FRAMEWORK permission classes).
    return cast(User, request.user)


# --- Serializers ------------------------------------------------------------------------------


class FamilyMemberSerializer(serializers.ModelSerializer[FamilyMember]):
    class Meta:
        model = FamilyMember
        fields = [
            "id",
            "first_name",
            "last_name",
            "relationship",
            "date_of_birth",
            "is_guardian",
            "lives_in_household",
            "takes_part_in_planning",
            "phone",
        ]
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

    class Meta:
        model = Client
        fields = [
            "id",
            "record_number",
            "first_name",
            "middle_name",
            "last_name",
            "preferred_name",
            "display_name",
            "date_of_birth",
            "sex",
            "gender_identity",
            "primary_language",
            "interpreter_needed",
            "phone",
            "email",
            "address_line",
            "city",
            "state",
            "postal_code",
            "registered_team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["registered_team", "created_at", "updated_at"]
        validators: list[Any] = []


class ClientDetailSerializer(ClientSerializer):
    family_members = FamilyMemberSerializer(many=True, read_only=True)

    class Meta(ClientSerializer.Meta):
        fields = [*ClientSerializer.Meta.fields, "family_members"]


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    client = ScopedPrimaryKeyRelatedField(
        queryset=Client.objects.none(),
        scope=_clients_in_scope,
        error_messages={"does_not_exist": "No client {pk_value} among your teams' clients."},
    )
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    case_manager = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.none(),
        scope=_case_managers_in_scope,
        error_messages={
            "does_not_exist": "No active case manager {pk_value} in your team(s).",
        },
    )
    client_name = serializers.CharField(source="client.display_name", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    case_manager_name = serializers.StringRelatedField(source="case_manager", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "client",
            "client_name",
            "program",
            "program_name",
            "case_manager",
            "case_manager_name",
            "team",
            "status",
            "application_date",
            "continuum_stage",
            "case_management_model",
            "presenting_issue",
            "eligibility_note",
            "closed_on",
            "close_reason",
            "close_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "team",
            "status",
            "closed_on",
            "close_reason",
            "close_note",
            "created_at",
            "updated_at",
        ]
        # "One open enrollment per client and program" is enforced by enrollment_open.
        validators: list[Any] = []


class EnrollmentUpdateSerializer(serializers.ModelSerializer[Enrollment]):
    class Meta:
        model = Enrollment
        fields = [
            "continuum_stage",
            "case_management_model",
            "presenting_issue",
            "eligibility_note",
        ]


class EnrollmentTransferSerializer(serializers.Serializer[Any]):
    case_manager = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.none(),
        scope=_case_managers_in_scope,
        error_messages={
            "does_not_exist": "No active case manager {pk_value} in your team(s).",
        },
    )


class EnrollmentCloseSerializer(serializers.Serializer[Any]):
    closed_on = serializers.DateField()
    close_reason = serializers.ChoiceField(choices=Enrollment.CloseReason.choices)
    close_note = serializers.CharField(required=False, allow_blank=True, default="")


class ContactAddendumSerializer(serializers.ModelSerializer[ContactAddendum]):
    author_name = serializers.StringRelatedField(source="author", read_only=True)

    class Meta:
        model = ContactAddendum
        fields = ["id", "author", "author_name", "note", "created_at"]
        read_only_fields = ["author", "created_at"]


# Minutes are plain integers here: the limits (not negative, at most 24 hours) are the
# service's, so the API gives the same messages as the form.
_MINUTES_HELP = "Whole minutes, 0 to 1440 (24 hours)."


class ContactSerializer(serializers.ModelSerializer[Contact]):
    enrollment = ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        scope=_enrollments_in_scope,
        error_messages={"does_not_exist": "This client is not on your caseload."},
    )
    duration_minutes = serializers.IntegerField(help_text=_MINUTES_HELP)
    travel_minutes = serializers.IntegerField(required=False, default=0, help_text=_MINUTES_HELP)
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
    duration_minutes = serializers.IntegerField(help_text=_MINUTES_HELP)
    travel_minutes = serializers.IntegerField(help_text=_MINUTES_HELP)

    class Meta:
        model = Contact
        fields = [
            "occurred_at",
            "contact_type",
            "duration_minutes",
            "travel_minutes",
            "participants",
            "location",
            "note",
        ]


# --- Filters ----------------------------------------------------------------------------------
# Ids are filtered as plain numbers: the list is already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class EnrollmentFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client")
    status = django_filters.ChoiceFilter(choices=Enrollment.Status.choices)
    case_manager = django_filters.NumberFilter(field_name="case_manager")

    class Meta:
        model = Enrollment
        fields = ["client", "status", "case_manager"]


class ContactFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client")
    enrollment = django_filters.NumberFilter(field_name="enrollment")

    class Meta:
        model = Contact
        fields = ["client", "enrollment"]


# --- Viewsets ---------------------------------------------------------------------------------


class ClientViewSet(
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
        return Client.objects.visible_to(self.request.user).order_by(
            "last_name", "first_name", "id"
        )

    def get_serializer_class(self) -> type[ClientSerializer]:
        return ClientSerializer if self.action == "list" else ClientDetailSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        log_client_view(request, client)
        return Response(ClientDetailSerializer(client).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ClientSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = services.client_register(actor=_actor(request), **serializer.validated_data)
        return Response(ClientDetailSerializer(client).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        serializer = ClientSerializer(client, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        client = services.client_update(
            actor=_actor(request), client=client, **serializer.validated_data
        )
        return Response(ClientDetailSerializer(client).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class EnrollmentViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Enrollment],
):
    """Episodes of care in the user's teams; filter by ``client``, ``status`` or
    ``case_manager``."""

    model = Enrollment
    write_actions = frozenset({"partial_update", "transfer", "close"})
    object_select_related = ("client", "program", "case_manager")
    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilter

    def get_queryset(self) -> QuerySet[Enrollment]:
        return (
            Enrollment.objects.visible_to(self.request.user)
            .select_related("client", "program", "case_manager")
            .order_by("-application_date", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EnrollmentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_open(actor=_actor(request), **serializer.validated_data)
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnrollmentUpdateSerializer, responses=EnrollmentSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        enrollment = self.get_object()
        serializer = EnrollmentUpdateSerializer(enrollment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_update(
            actor=_actor(request), enrollment=enrollment, **serializer.validated_data
        )
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(request=EnrollmentTransferSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        """Assign the enrollment to another case manager (kept in history)."""
        enrollment = self.get_object()
        serializer = EnrollmentTransferSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_transfer(
            actor=_actor(request), enrollment=enrollment, **serializer.validated_data
        )
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(request=EnrollmentCloseSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the enrollment with a date and a reason."""
        enrollment = self.get_object()
        serializer = EnrollmentCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_close(
            actor=_actor(request), enrollment=enrollment, **serializer.validated_data
        )
        return Response(EnrollmentSerializer(enrollment).data)


class ContactViewSet(
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
            Contact.objects.visible_to(self.request.user)
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
        contact = services.contact_record(actor=_actor(request), **serializer.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactCorrectionSerializer, responses=ContactSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self.get_object()
        serializer = ContactCorrectionSerializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_correct(
            actor=_actor(request), contact=contact, **serializer.validated_data
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
            actor=_actor(request), contact=contact, **serializer.validated_data
        )
        return Response(ContactAddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)
