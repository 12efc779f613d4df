"""Correcting a contact and adding an addendum. The form that records a new contact, with
the service-plan goals it served, is workspace.forms.contacts.ContactForm (built on
ContactCorrectForm)."""

from __future__ import annotations

from django import forms

from clients.forms.widgets import DATETIME_INPUT
from clients.models import Contact
from clients.services import CONTACT_EDITABLE

MINUTES_INPUT = forms.NumberInput(attrs={"min": 0, "max": 1440})


class ContactCorrectForm(forms.ModelForm):
    """The fields of a contact that its author may correct within the 24-hour window."""

    # Plain integers: the service gives the message for negative or over-24-hour minutes.
    duration_minutes = forms.IntegerField(label="Duration (minutes)", widget=MINUTES_INPUT)
    travel_minutes = forms.IntegerField(label="Travel (minutes)", initial=0, widget=MINUTES_INPUT)

    class Meta:
        model = Contact
        fields = list(CONTACT_EDITABLE)
        widgets = {"occurred_at": DATETIME_INPUT, "note": forms.Textarea(attrs={"rows": 5})}
        labels = {"occurred_at": "Date and time"}

    def _post_clean(self) -> None:
        pass


class AddendumForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
