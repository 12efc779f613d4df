"""Registering a client (after a search for possible duplicates) and editing the record.

Forms check the shape of the input; the rules live in clients.services, whose
ValidationErrors are put back on the form beside the field they name."""

from __future__ import annotations

from django import forms

from clients.forms.widgets import DATE_INPUT
from clients.models import Client
from clients.services import CLIENT_EDITABLE


class DuplicateSearchForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(required=False, widget=DATE_INPUT)


class ClientForm(forms.ModelForm):
    record_number = forms.CharField(
        max_length=20,
        required=False,
        help_text="Leave blank to generate one; enter an existing number only for a record "
        "brought over from another system.",
    )

    class Meta:
        model = Client
        fields = list(CLIENT_EDITABLE)
        widgets = {"date_of_birth": DATE_INPUT}

    def _post_clean(self) -> None:
        # The model's own checks (uniqueness among them) run in the service, which knows
        # whether the record number is generated; the forms here only shape the input.
        pass


class ClientEditForm(ClientForm):
    # Fixed once registered: Django's documented way to remove an inherited field.
    record_number = None  # type: ignore[assignment]  # a form field removed by setting it to None

    class Meta(ClientForm.Meta):
        fields = [f for f in ClientForm.Meta.fields if f != "record_number"]
