"""A client's family and household members."""

from __future__ import annotations

from django import forms

from clients.forms.widgets import DATE_INPUT
from clients.models import FamilyMember
from clients.services import FAMILY_MEMBER_EDITABLE


class FamilyMemberForm(forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = list(FAMILY_MEMBER_EDITABLE)
        widgets = {"date_of_birth": DATE_INPUT}
