"""The request for emergency access (clients.views.emergency): the search that names the
client, the kind of emergency and why."""

from __future__ import annotations

from django import forms

from clients.models import EMERGENCY_REASON_MIN_LENGTH, EmergencyAccess
from clients.selectors import DIRECTORY_SEARCH_MAX_LENGTH


class EmergencyAccessForm(forms.Form):
    q = forms.CharField(
        label="The client",
        max_length=DIRECTORY_SEARCH_MAX_LENGTH,
        help_text="Their first and last name as registered (add the date of birth, "
        "1980-03-07, if several share it), their record number, or their whole Social "
        "Security or Medicaid number.",
    )
    category = forms.ChoiceField(
        label="Kind of emergency",
        choices=[("", "Choose…"), *EmergencyAccess.Category.choices],
    )
    reason = forms.CharField(
        label="Why you need this record now",
        min_length=EMERGENCY_REASON_MIN_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"At least {EMERGENCY_REASON_MIN_LENGTH} characters. The supervisors of "
        "the client's team and the administrators read it.",
    )
