from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import Role, User


class StaffDepartureForm(forms.Form):
    """Who takes over the open caseload of a member of staff who is leaving."""

    successor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Move the open caseload to",
        help_text="An active case manager. Needed when there is an open caseload.",
    )

    def __init__(self, *args: Any, leaving: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["successor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(role=Role.CASE_MANAGER, is_active=True, team__isnull=False)
            .exclude(pk=leaving.pk)
            .order_by("last_name", "first_name")
        )
