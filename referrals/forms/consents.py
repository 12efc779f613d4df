"""Forms for releases of information (consents) and their revocation.

Like the other apps' forms they check the shape of the input only; the rules (who may record
one, one recipient named, the 42 CFR 2.31 elements for substance-use records, expiry after
signature, revocation after signing) are referrals.services.consent_record and
consent_revoke's, whose ValidationErrors come back onto the form beside the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator

from casemgmt.dates import today
from clients.forms.widgets import DATE_INPUT
from referrals.models import Consent, InformationCategory, Provider, ServiceType

SIGNED_COPY_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
SIGNED_COPY_MAX_BYTES = 10 * 1024 * 1024


class ConsentForm(forms.Form):
    """A signed release of information as written on the paper form (IC&RC core function 7;
    42 CFR 2.31 when it covers substance-use treatment records)."""

    discloser = forms.CharField(
        label="Who may disclose",
        max_length=200,
        help_text="The agency or program named on the form.",
    )
    recipient_provider = forms.ModelChoiceField(
        label="Recipient: a provider in the directory",
        queryset=Provider.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    recipient_class = forms.ChoiceField(
        label="or a class of recipient",
        choices=[("", "—"), *ServiceType.choices],
        required=False,
        help_text="Any provider of this service type in the directory.",
    )
    categories = forms.MultipleChoiceField(
        label="Information that may be disclosed",
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Substance-use treatment records need every element of 42 CFR 2.31.",
    )
    purpose = forms.CharField(
        label="Purpose of the disclosure", widget=forms.Textarea(attrs={"rows": 2})
    )
    expires_on = forms.DateField(label="Expires on", widget=DATE_INPUT, required=False)
    expiry_event = forms.CharField(
        label="or expires on this event",
        max_length=200,
        required=False,
        help_text="For example: discharge from the program.",
    )
    signer = forms.ChoiceField(label="Signed by", choices=Consent.Signer.choices)
    signer_name = forms.CharField(label="Name of the signer", max_length=200)
    signed_on = forms.DateField(label="Signed on", widget=DATE_INPUT)
    right_to_revoke_explained = forms.BooleanField(
        label="The client was told of the right to revoke this consent",
        required=False,
    )
    signed_copy = forms.FileField(
        label="Signed copy",
        required=False,
        validators=[FileExtensionValidator(SIGNED_COPY_EXTENSIONS)],
        help_text="A scan of the signed form: PDF, JPEG or PNG, up to 10 MB.",
    )

    def clean_signed_copy(self) -> UploadedFile | None:
        signed_copy: UploadedFile | None = self.cleaned_data.get("signed_copy")
        if signed_copy is not None and (signed_copy.size or 0) > SIGNED_COPY_MAX_BYTES:
            raise ValidationError("The signed copy is larger than 10 MB.")
        return signed_copy


class ConsentRevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label="Revoked on",
        widget=DATE_INPUT,
        help_text="Nothing is disclosed under this consent from this date on.",
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="How the client revoked it (in writing, orally, ...).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"revoked_on": today()})
        super().__init__(*args, **kwargs)
