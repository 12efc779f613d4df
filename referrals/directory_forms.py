"""Forms of the provider directory and interagency agreements. They shape the input;
referrals.services.provider_save and agreement_save decide, and their ValidationErrors come
back onto the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator

from referrals.models import InteragencyAgreement, Provider, ServiceType

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
        fields = [
            "name",
            "address",
            "phone",
            "languages",
            "accepts_medicaid",
            "waitlist_weeks",
            "waitlist_checked_on",
            "eligibility_notes",
            "is_active",
        ]
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
