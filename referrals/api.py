"""The JSON API for the provider directory, interagency agreements, releases of information
(consents), referrals and the accounting of disclosures (``/api/v1/``).

Built like clients.api and serviceplans.api: each viewset goes gate → serializer → service →
response and holds no rules of its own. The directory is agency-wide: everyone logged in reads
it and administrators maintain it (``referrals.services.provider_save`` / ``agreement_save``).
Consents, referrals and disclosures are client records: lists come from the models'
``visible_to(user)`` querysets and a single one is reached through
:func:`clients.access.object_for_request` (404 and a DENIED row in the access log outside the
user's scope, 403 where the user may read but not change it). Ids in a request body are looked
up in the user's scope, so another team's record is "not found" there too.

Disclosure is gated in one place: sending a referral that shares information and producing a
referral packet both go through the services, which need a consent that covers the provider
and the categories on that day (``consent_find_covering``); without one the answer is a 400 on
``consent`` naming what is missing, and nothing changes. Nothing here is deleted (no DELETE:
405); a consent is revoked, never erased.

Serializers that show a status, a service type or information categories are used for reading
and writing alike, and the shared choice sets are named in ``ENUM_NAME_OVERRIDES``, so the
OpenAPI schema has one enum per choice set.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import django_filters
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from casemgmt.api import ScopedObjectMixin, ScopedPrimaryKeyRelatedField
from clients.models import Client, Enrollment
from referrals import selectors, services, transitions
from referrals.models import (
    Consent,
    Disclosure,
    InformationCategory,
    InteragencyAgreement,
    Provider,
    ProviderService,
    Referral,
    ReferralStatus,
    ReferralStep,
    ServiceType,
)
from serviceplans.models import Goal


def _actor(request: Request) -> User:
    # Every viewset requires an authenticated user (REST_FRAMEWORK permission classes).
    return cast(User, request.user)


def _today() -> dt.date:
    return timezone.localdate()


class AdministratorsWrite(permissions.BasePermission):
    """The directory: everyone logged in reads it, administrators maintain it (DESIGN.md,
    "Who uses it"). The services check the same again."""

    message = "Administrators maintain the provider directory."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.is_active and request.user.is_administrator)  # type: ignore[union-attr]


# --- Foreign keys in request bodies, looked up in the user's scope ----------------------------


def _clients_in_scope(user: User) -> QuerySet[Client]:
    return Client.objects.visible_to(user)


def _enrollments_in_scope(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user)


def _goals_in_scope(user: User) -> QuerySet[Goal]:
    return Goal.objects.visible_to(user)


class DownloadField(serializers.FileField):
    """An upload on the way in (multipart); on the way out, the web app's download link for
    it, which goes through the same access gate as the record (the stored file is not served
    to anyone who asks)."""

    def __init__(self, *, url_name: str, **kwargs: Any) -> None:
        self.url_name = url_name
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        return reverse(self.url_name, args=[value.instance.pk])


def _categories_field(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=InformationCategory.choices), **kwargs
    )


# --- Provider directory -----------------------------------------------------------------------


class ProviderServiceSerializer(serializers.ModelSerializer[ProviderService]):
    name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Left blank, the service type's name.",
    )
    service_type = serializers.ChoiceField(
        choices=ServiceType.choices,
        error_messages={"required": "Choose a service type for each service."},
    )

    class Meta:
        model = ProviderService
        fields = ["id", "name", "service_type"]
        read_only_fields = ["id"]


class AgreementSerializer(serializers.ModelSerializer[InteragencyAgreement]):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    document = DownloadField(
        url_name="referrals:agreement_document",
        required=False,
        allow_null=True,
        help_text="The signed agreement: uploaded as multipart, read as its download link; "
        "null removes it.",
    )
    expired = serializers.SerializerMethodField(
        help_text="The agreement ended before today (it runs through its end date)."
    )

    class Meta:
        model = InteragencyAgreement
        fields = [
            "id",
            "provider",
            "provider_name",
            "kind",
            "starts_on",
            "ends_on",
            "note",
            "document",
            "expired",
        ]

    def get_expired(self, agreement: InteragencyAgreement) -> bool:
        return selectors.agreement_is_expired(ends_on=agreement.ends_on, today=_today())

    def validate_provider(self, provider: Provider) -> Provider:
        current = getattr(self.instance, "provider_id", None)
        if current is not None and provider.pk != current:
            raise serializers.ValidationError("An agreement stays with its provider.")
        return provider


class ProviderSerializer(serializers.ModelSerializer[Provider]):
    languages = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, allow_empty=True
    )
    services = ProviderServiceSerializer(
        many=True,
        required=False,
        help_text="At least one, each with a service type. Services are added, never removed "
        "(past referrals point at them); a change need not repeat them.",
    )

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "address",
            "phone",
            "languages",
            "accepts_medicaid",
            "waitlist_weeks",
            "waitlist_checked_on",
            "eligibility_notes",
            "is_active",
            "services",
        ]


class ProviderDetailSerializer(ProviderSerializer):
    agreements = AgreementSerializer(many=True, read_only=True)

    class Meta(ProviderSerializer.Meta):
        fields = [*ProviderSerializer.Meta.fields, "agreements"]


# --- Consents ---------------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    client = ScopedPrimaryKeyRelatedField(
        queryset=Client.objects.none(),
        scope=_clients_in_scope,
        error_messages={"does_not_exist": "No client {pk_value} among your teams' clients."},
    )
    recipient_provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), required=False, allow_null=True
    )
    recipient_provider_name = serializers.CharField(
        source="recipient_provider.name", read_only=True, default=None
    )
    categories = _categories_field(
        allow_empty=True,
        help_text="What may be disclosed; substance_use (42 CFR Part 2 records) needs every "
        "element of 42 CFR 2.31: purpose, recipient, expiry date or event, signature, date "
        "signed and that the right to revoke was explained.",
    )
    signed_copy = DownloadField(
        url_name="referrals:consent_signed_copy",
        required=False,
        allow_null=True,
        help_text="The signed form: uploaded as multipart, read as its download link.",
    )
    status = serializers.SerializerMethodField(
        help_text="Today: active, expiring_soon, expired or revoked."
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "client",
            "discloser",
            "recipient_provider",
            "recipient_provider_name",
            "recipient_class",
            "categories",
            "purpose",
            "expires_on",
            "expiry_event",
            "signer",
            "signer_name",
            "signed_on",
            "right_to_revoke_explained",
            "signed_copy",
            "status",
            "revoked_on",
            "revocation_note",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["revoked_on", "revocation_note", "created_by", "created_at"]

    def get_status(self, consent: Consent) -> str:
        return selectors.consent_status(
            expires_on=consent.expires_on, revoked_on=consent.revoked_on, today=_today()
        ).code


class ConsentRevokeSerializer(serializers.Serializer[Any]):
    revoked_on = serializers.DateField(help_text="Effective from this date on.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Referrals and disclosures ----------------------------------------------------------------


class ReferralStepSerializer(serializers.ModelSerializer[ReferralStep]):
    by_name = serializers.StringRelatedField(source="by", read_only=True)

    class Meta:
        model = ReferralStep
        fields = ["id", "from_status", "to_status", "occurred_on", "by", "by_name", "note"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    enrollment = ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        scope=_enrollments_in_scope,
        error_messages={"does_not_exist": "No enrollment {pk_value} among your teams' clients."},
    )
    client = serializers.IntegerField(source="enrollment.client_id", read_only=True)
    goal = ScopedPrimaryKeyRelatedField(
        queryset=Goal.objects.none(),
        scope=_goals_in_scope,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No goal {pk_value} among your teams' plans."},
        help_text="The goal of the active plan the referral serves.",
    )
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all())
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    service = serializers.PrimaryKeyRelatedField(
        queryset=ProviderService.objects.all(), required=False, allow_null=True
    )
    categories = _categories_field(
        required=False,
        allow_empty=True,
        help_text="What the referral discloses to the provider (left empty when it shares "
        "nothing).",
    )
    steps = ReferralStepSerializer(many=True, read_only=True)
    allowed_next = serializers.SerializerMethodField(
        help_text="The steps that may follow the current status."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "enrollment",
            "client",
            "goal",
            "provider",
            "provider_name",
            "service",
            "reason",
            "urgency",
            "client_readiness",
            "barriers",
            "shares_information",
            "categories",
            "consent",
            "status",
            "follow_up_due_on",
            "allowed_next",
            "outcome",
            "steps",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "consent",
            "status",
            "follow_up_due_on",
            "outcome",
            "created_by",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=ReferralStatus.choices))
    )
    def get_allowed_next(self, referral: Referral) -> list[str]:
        allowed = transitions.allowed_next(referral.status)
        return [value for value in ReferralStatus.values if value in allowed]


class ReferralTransitionSerializer(serializers.Serializer[Any]):
    to_status = serializers.ChoiceField(
        choices=ReferralStatus.choices, help_text="One of the referral's allowed_next."
    )
    occurred_on = serializers.DateField(required=False, help_text="Today when left out.")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The outcome, when closing."
    )


class ReferralFollowUpSerializer(serializers.Serializer[Any]):
    follow_up_due_on = serializers.DateField(help_text="Today or later.")


class DisclosureSerializer(serializers.ModelSerializer[Disclosure]):
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    categories = _categories_field(read_only=True)
    by_name = serializers.StringRelatedField(source="by", read_only=True)

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "client",
            "referral",
            "recipient",
            "recipient_name",
            "categories",
            "consent",
            "disclosed_at",
            "by",
            "by_name",
        ]
        read_only_fields = fields


# --- Filters ----------------------------------------------------------------------------------
# Ids are filtered as plain numbers: the lists are already scoped, and checking that the id
# exists would tell an outsider which records other teams hold.


class ProviderFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the provider's name."
    )
    service_type = django_filters.ChoiceFilter(
        choices=ServiceType.choices, method="filter_service_type"
    )
    language = django_filters.CharFilter(
        method="filter_language", help_text="One of the languages spoken, in any case."
    )
    accepts_medicaid = django_filters.BooleanFilter(field_name="accepts_medicaid")
    max_waitlist_weeks = django_filters.NumberFilter(
        field_name="waitlist_weeks", lookup_expr="lte", min_value=0
    )
    is_active = django_filters.ChoiceFilter(
        choices=[("true", "Active"), ("false", "Inactive"), ("all", "All")],
        method="filter_is_active",
        help_text="Active providers only when left out; ``all`` for every provider.",
    )

    class Meta:
        model = Provider
        fields = [
            "search",
            "service_type",
            "language",
            "accepts_medicaid",
            "max_waitlist_weeks",
            "is_active",
        ]

    def filter_queryset(self, queryset: QuerySet[Provider]) -> QuerySet[Provider]:
        queryset = super().filter_queryset(queryset)
        # Nobody should be referred to an inactive provider: they are left out unless asked.
        if not self.form.cleaned_data.get("is_active"):
            queryset = queryset.filter(is_active=True)
        return queryset

    def filter_service_type(
        self, queryset: QuerySet[Provider], name: str, value: str
    ) -> QuerySet[Provider]:
        offers = ProviderService.objects.filter(provider=OuterRef("pk"), service_type=value)
        return queryset.filter(Exists(offers))

    def filter_language(
        self, queryset: QuerySet[Provider], name: str, value: str
    ) -> QuerySet[Provider]:
        value = value.strip()
        if not value:
            return queryset
        # One of the languages whatever its case ("spanish" finds "Spanish"), not a part of
        # one: no ArrayField lookup compares elements case-insensitively.
        speaks = RawSQL(
            f'EXISTS (SELECT 1 FROM unnest("{Provider._meta.db_table}"."languages") AS language'
            " WHERE lower(language) = lower(%s))",
            (value,),
            output_field=BooleanField(),
        )
        return queryset.filter(speaks)

    def filter_is_active(
        self, queryset: QuerySet[Provider], name: str, value: str
    ) -> QuerySet[Provider]:
        if value == "all":
            return queryset
        return queryset.filter(is_active=value == "true")


class AgreementFilter(django_filters.FilterSet):
    provider = django_filters.NumberFilter(field_name="provider")

    class Meta:
        model = InteragencyAgreement
        fields = ["provider"]


class ConsentFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client")
    active = django_filters.BooleanFilter(
        method="filter_active",
        help_text="In force today (signed, not expired, not revoked), or not.",
    )

    class Meta:
        model = Consent
        fields = ["client", "active"]

    def filter_active(
        self, queryset: QuerySet[Consent], name: str, value: bool | None
    ) -> QuerySet[Consent]:
        if value is None:
            return queryset
        today = _today()
        # As consent_rules.consent_coverage: valid on its expiry date, revoked from its
        # revocation date on.
        in_force = (
            Q(signed_on__lte=today)
            & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))
        )
        return queryset.filter(in_force) if value else queryset.exclude(in_force)


class ReferralFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="enrollment__client")
    enrollment = django_filters.NumberFilter(field_name="enrollment")
    provider = django_filters.NumberFilter(field_name="provider")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    case_manager = django_filters.NumberFilter(field_name="enrollment__case_manager")
    team = django_filters.NumberFilter(field_name="enrollment__team")
    due_before = django_filters.DateFilter(
        field_name="follow_up_due_on",
        lookup_expr="lte",
        help_text="Follow-up due on or before this date (today: what is due now).",
    )

    class Meta:
        model = Referral
        fields = [
            "client",
            "enrollment",
            "provider",
            "status",
            "case_manager",
            "team",
            "due_before",
        ]


class DisclosureFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client")

    class Meta:
        model = Disclosure
        fields = ["client"]


# --- Viewsets ---------------------------------------------------------------------------------


class ProviderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Provider],
):
    """The provider directory, by name: everyone logged in reads it, administrators add and
    change providers. Only active providers are listed unless ``is_active`` says otherwise;
    search by ``search`` (name) and filter by ``service_type``, ``language`` (any case),
    ``accepts_medicaid`` and ``max_waitlist_weeks``."""

    permission_classes = [permissions.IsAuthenticated, AdministratorsWrite]
    serializer_class = ProviderSerializer
    filterset_class = ProviderFilter

    def get_queryset(self) -> QuerySet[Provider]:
        return selectors.provider_directory()

    def get_object(self) -> Provider:
        # Not through the list's filters: an inactive provider is still found by its id.
        provider = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, provider)
        return provider

    def _answer(self, provider: Provider, *, code: int = status.HTTP_200_OK) -> Response:
        provider = selectors.provider_get(pk=provider.pk)
        return Response(
            ProviderDetailSerializer(provider, context=self.get_serializer_context()).data,
            status=code,
        )

    @extend_schema(responses=ProviderDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A provider with its services and interagency agreements (``expired`` when ended)."""
        return self._answer(self.get_object())

    @extend_schema(responses={201: ProviderDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a provider with at least one service, each with a service type."""
        serializer = ProviderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        offered = fields.pop("services", [])
        provider = services.provider_save(
            actor=_actor(request),
            services=[(row.get("name", ""), row["service_type"]) for row in offered],
            **fields,
        )
        return self._answer(provider, code=status.HTTP_201_CREATED)

    @extend_schema(responses=ProviderDetailSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a provider; services given are added to those it has."""
        provider = self.get_object()
        serializer = ProviderSerializer(provider, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        offered = fields.pop("services", None)
        pairs = (
            [(row.get("name", ""), row["service_type"]) for row in offered]
            if offered is not None
            else [(s.name, s.service_type) for s in provider.services.all()]
        )
        provider = services.provider_save(
            actor=_actor(request), provider=provider, services=pairs, **fields
        )
        return self._answer(provider)


class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[InteragencyAgreement],
):
    """Interagency agreements with the directory's providers, newest first (``expired`` when
    ended); filter by ``provider``. Administrators record and change them."""

    permission_classes = [permissions.IsAuthenticated, AdministratorsWrite]
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter

    def get_queryset(self) -> QuerySet[InteragencyAgreement]:
        return InteragencyAgreement.objects.select_related("provider").order_by("-starts_on", "-id")

    def _answer(
        self, agreement: InteragencyAgreement, *, code: int = status.HTTP_200_OK
    ) -> Response:
        return Response(
            AgreementSerializer(agreement, context=self.get_serializer_context()).data,
            status=code,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AgreementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = services.agreement_save(actor=_actor(request), **serializer.validated_data)
        return self._answer(agreement, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        agreement = self.get_object()
        serializer = AgreementSerializer(agreement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "provider"}
        if "document" in fields and fields["document"] is None:
            fields["document"] = False  # null removes the stored document
        agreement = services.agreement_save(
            actor=_actor(request), provider=agreement.provider, agreement=agreement, **fields
        )
        return self._answer(agreement)


class ConsentViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Consent],
):
    """Releases of information of the user's teams' clients, newest first; filter by
    ``client`` or ``active``. Recorded once signed and never edited or deleted: a consent is
    revoked from a date on, and what was disclosed before stays in the accounting."""

    model = Consent
    write_actions = frozenset({"revoke"})
    object_select_related = ("recipient_provider",)
    serializer_class = ConsentSerializer
    filterset_class = ConsentFilter

    def get_queryset(self) -> QuerySet[Consent]:
        return (
            Consent.objects.visible_to(self.request.user)
            .select_related("recipient_provider")
            .order_by("-signed_on", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a signed release: to a provider or a class of recipient, what information,
        why, until when, signed by whom and when. One that covers substance-use records is
        refused until every 42 CFR 2.31 element is present."""
        serializer = ConsentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if v is not None}
        consent = services.consent_record(actor=_actor(request), **fields)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsentRevokeSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        """Revoke the consent from ``revoked_on`` on (not before it was signed, not in the
        future); disclosures made before stay in the accounting."""
        consent = self.get_object()
        serializer = ConsentRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_revoke(
            actor=_actor(request), consent=consent, **serializer.validated_data
        )
        return Response(ConsentSerializer(consent).data)


class ReferralViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Referral],
):
    """Referrals of the user's teams, soonest follow-up first; filter by ``client``,
    ``enrollment``, ``provider``, ``status``, ``case_manager``, ``team`` or ``due_before``
    (what is due). A referral moves one allowed step at a time (``allowed_next``), each dated
    and kept; the follow-up date moves with it."""

    model = Referral
    write_actions = frozenset({"transition", "follow_up", "packet"})
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def get_queryset(self) -> QuerySet[Referral]:
        return (
            Referral.objects.visible_to(self.request.user)
            .select_related("enrollment", "provider")
            .prefetch_related(
                Prefetch("steps", queryset=ReferralStep.objects.select_related("by")),
            )
            .order_by("follow_up_due_on", "-created_at", "-id")
        )

    def _answer(self, referral: Referral, *, code: int = status.HTTP_200_OK) -> Response:
        referral = self.get_queryset().get(pk=referral.pk)
        return Response(ReferralSerializer(referral).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(responses={201: ReferralSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A draft referral from the client's enrollment, or from a goal of its active plan,
        to an active provider. Sending it is a transition."""
        serializer = ReferralSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        referral = services.referral_create(actor=_actor(request), **serializer.validated_data)
        return self._answer(referral, code=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralTransitionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        """Move the referral one allowed step, dated, with a note (the outcome when closing).
        Sending one that shares information needs a signed, unexpired, unrevoked consent
        covering this provider and these categories on that day: without one the answer is a
        400 on ``consent`` saying what is missing, and nothing is sent."""
        referral = self.get_object()
        serializer = ReferralTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = services.referral_transition(
            actor=_actor(request),
            referral=referral,
            to_status=data["to_status"],
            occurred_on=data.get("occurred_on") or _today(),
            note=data["note"],
        )
        return self._answer(referral)

    @extend_schema(request=ReferralFollowUpSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str) -> Response:
        """Set when the referral is next followed up (today or later)."""
        referral = self.get_object()
        serializer = ReferralFollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = services.referral_set_follow_up(
            actor=_actor(request), referral=referral, **serializer.validated_data
        )
        return self._answer(referral)

    @extend_schema(request=None, responses={201: DisclosureSerializer})
    @action(detail=True, methods=["post"])
    def packet(self, request: Request, pk: str) -> Response:
        """Record the disclosure of a referral packet in the client's accounting of
        disclosures: it needs a consent covering the provider and the referral's categories
        today (otherwise 400 on ``consent``, and nothing is recorded). The JSON API records
        the disclosure; the PDF packet itself is produced by the web view."""
        referral = self.get_object()
        disclosure = services.referral_packet_disclose(actor=_actor(request), referral=referral)
        disclosure = Disclosure.objects.select_related("recipient", "by").get(pk=disclosure.pk)
        return Response(DisclosureSerializer(disclosure).data, status=status.HTTP_201_CREATED)


class DisclosureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Disclosure]):
    """The accounting of disclosures of the user's teams' clients, newest first: to whom,
    what, when and under which consent; filter by ``client``. Read-only: entries are made by
    producing a referral packet and are never changed."""

    serializer_class = DisclosureSerializer
    filterset_class = DisclosureFilter

    def get_queryset(self) -> QuerySet[Disclosure]:
        return (
            Disclosure.objects.visible_to(self.request.user)
            .select_related("recipient", "by")
            .order_by("-disclosed_at", "-id")
        )
