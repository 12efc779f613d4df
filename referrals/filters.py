"""The provider directory's search and filters (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from referrals.models import Provider, ProviderService, ServiceType


class ProviderFilter(django_filters.FilterSet):
    """Search by name; narrow by service type, language, Medicaid and waitlist. Inactive
    providers are left out unless asked for: nobody should be referred to them."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_name",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Provider or service"}),
    )
    service_type = django_filters.ChoiceFilter(
        label="Service type", choices=ServiceType.choices, method="filter_service_type"
    )
    language = django_filters.CharFilter(
        label="Language",
        method="filter_language",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Spanish"}),
    )
    accepts_medicaid = django_filters.BooleanFilter(
        label="Accepts Medicaid", method="filter_accepts_medicaid", widget=forms.CheckboxInput
    )
    max_waitlist_weeks = django_filters.NumberFilter(
        label="Waitlist at most (weeks)",
        field_name="waitlist_weeks",
        lookup_expr="lte",
        min_value=0,
    )
    include_inactive = django_filters.BooleanFilter(
        label="Show inactive providers too",
        method="filter_include_inactive",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Provider
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Always bound, so that a first visit (no query string) is filtered too: active only.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet[Provider]) -> QuerySet[Provider]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_inactive"):
            queryset = queryset.filter(is_active=True)
        return queryset

    def filter_name(self, queryset: QuerySet[Provider], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        service_named = ProviderService.objects.filter(
            provider=OuterRef("pk"), name__icontains=value
        )
        return queryset.filter(Q(name__icontains=value) | Q(Exists(service_named)))

    def filter_service_type(self, queryset: QuerySet[Provider], name: str, value: str) -> QuerySet:
        offers = ProviderService.objects.filter(provider=OuterRef("pk"), service_type=value)
        return queryset.filter(Exists(offers))

    def filter_language(self, queryset: QuerySet[Provider], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        # One of the languages, whatever its case ("spanish" finds "Spanish"), not a part of
        # one (no ArrayField lookup compares elements case-insensitively).
        speaks = RawSQL(
            'EXISTS (SELECT 1 FROM unnest("referrals_provider"."languages") AS language'
            " WHERE lower(language) = lower(%s))",
            (value,),
            output_field=BooleanField(),
        )
        return queryset.filter(speaks)

    def filter_accepts_medicaid(
        self, queryset: QuerySet[Provider], name: str, value: bool | None
    ) -> QuerySet:
        # An unticked box means "any", not "providers that do not accept Medicaid".
        return queryset.filter(accepts_medicaid=True) if value else queryset

    def filter_include_inactive(
        self, queryset: QuerySet[Provider], name: str, value: bool | None
    ) -> QuerySet:
        return queryset  # applied in ``filter_queryset``: an unticked box is absent from the data
