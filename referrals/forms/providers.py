"""Forms of the provider directory and interagency agreements, and the directory's search.

The forms shape the input; referrals.services.provider_save and agreement_save decide, and
their ValidationErrors come back onto the form. The search (:class:`ProviderFilter`) is the one
the directory page, the referral form's provider finder and the API's provider list all use.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django_filters.widgets import BooleanWidget

from referrals.models import InteragencyAgreement, Provider, ProviderService, ServiceType
from referrals.services import PROVIDER_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AGREEMENT_DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "odt", "png", "jpg", "jpeg"]
AGREEMENT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


class ProviderForm(forms.ModelForm):
    languages = forms.CharField(
        required=False,
        help_text="Separate languages with commas, for example: English, Spanish.",
    )

    class Meta:
        model = Provider
        fields = list(PROVIDER_FIELDS)
        widgets = {
            "waitlist_checked_on": DATE_INPUT,
            "eligibility_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_languages(self) -> list[str]:
        seen: dict[str, str] = {}
        for language in self.cleaned_data["languages"].split(","):
            language = " ".join(language.split())
            if language and language.casefold() not in seen:
                seen[language.casefold()] = language
        return list(seen.values())

    def _post_clean(self) -> None:
        # The model's checks (the unique name among them) run in the service.
        pass


class ProviderServiceForm(forms.Form):
    """One service row: a name (optional: the type's label is used) and its type."""

    name = forms.CharField(max_length=200, required=False)
    service_type = forms.ChoiceField(
        choices=[("", "---------"), *ServiceType.choices], required=False
    )


ProviderServiceFormSet = forms.formset_factory(ProviderServiceForm, extra=3)


def service_rows(formset: forms.BaseFormSet) -> list[tuple[str, str]]:
    """The (name, service type) pairs typed into a valid formset, blank rows left out; a row
    with a name but no type is kept, for the service to refuse with its message."""
    return [
        (row["name"].strip(), row["service_type"])
        for row in formset.cleaned_data
        if row and (row.get("name", "").strip() or row.get("service_type"))
    ]


class AgreementForm(forms.ModelForm):
    document = forms.FileField(
        required=False,
        validators=[FileExtensionValidator(AGREEMENT_DOCUMENT_EXTENSIONS)],
        help_text="The signed agreement: PDF, Word, OpenDocument or an image, up to 20 MB. "
        "A new upload replaces the current one.",
        # Not ClearableFileInput: its link would be a public media URL; uploads are served
        # only through referrals:agreement_document.
        widget=forms.FileInput,
    )

    class Meta:
        model = InteragencyAgreement
        fields = ["kind", "starts_on", "ends_on", "note", "document"]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        if (
            isinstance(document, UploadedFile)
            and (document.size or 0) > AGREEMENT_DOCUMENT_MAX_BYTES
        ):
            raise forms.ValidationError("The document is larger than 20 MB.")
        return document

    def _post_clean(self) -> None:
        # The dates are checked in the service (an agreement cannot end before it starts).
        pass


# --- The directory's search -------------------------------------------------------------------


class AnyYesNo(BooleanWidget):
    """Any (left out), yes (``true``) or no (``false``): the same answer on the page and in the
    API. A checkbox could not say "no": unticked, it is absent from the query."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", "Any"), ("true", "Yes"), ("false", "No")]


class ProviderFilter(django_filters.FilterSet):
    """Search the directory by the provider's name or one of its services' names; narrow by
    service type, language, Medicaid and waitlist. Inactive providers are left out unless
    asked for (``is_active``): nobody should be referred to them.

    One filter for the directory page, the referral form's finder and the API
    (``/api/v1/providers/``), so the same query string finds the same providers on each."""

    search = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        help_text="A provider's name or a service's, or a part of one.",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Provider or service"}),
    )
    service_type = django_filters.ChoiceFilter(
        label="Service type", choices=ServiceType.choices, method="filter_service_type"
    )
    language = django_filters.CharFilter(
        label="Language",
        method="filter_language",
        help_text="One of the languages spoken, in any case.",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Spanish"}),
    )
    accepts_medicaid = django_filters.BooleanFilter(
        label="Accepts Medicaid", field_name="accepts_medicaid", widget=AnyYesNo
    )
    max_waitlist_weeks = django_filters.NumberFilter(
        label="Waitlist at most (weeks)",
        field_name="waitlist_weeks",
        lookup_expr="lte",
        min_value=0,
    )
    is_active = django_filters.ChoiceFilter(
        label="Providers",
        choices=[("true", "Active"), ("false", "Inactive"), ("all", "All")],
        empty_label=None,
        method="filter_is_active",
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
        # Left out (or not understood), active providers only.
        if not self.form.cleaned_data.get("is_active"):
            queryset = queryset.filter(is_active=True)
        return queryset

    def filter_search(
        self, queryset: QuerySet[Provider], name: str, value: str
    ) -> QuerySet[Provider]:
        value = value.strip()
        if not value:
            return queryset
        service_named = ProviderService.objects.filter(
            provider=OuterRef("pk"), name__icontains=value
        )
        return queryset.filter(Q(name__icontains=value) | Q(Exists(service_named)))

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
        speaks = RawSQL(  # nosec B611  # the model's table name; the value as a parameter
            f'EXISTS (SELECT 1 FROM unnest("{Provider._meta.db_table}"."languages") AS language'  # nosec B608  # the model's table name; the value as a parameter
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
