"""Forms in front of scheduling.services: the form shapes the input, the service decides."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from clients.forms.widgets import DATETIME_INPUT
from clients.models import Enrollment
from scheduling.models import PlannedVisit
from scheduling.services import PLANNABLE_TYPES, VISIT_EDITABLE


class EnrollmentChoiceField(forms.ModelChoiceField):
    """An open enrollment the user may write, named by its client and program."""

    def label_from_instance(self, obj: Enrollment) -> str:
        return f"{obj.client.display_name} ({obj.client.record_number}) · {obj.program.name}"


class VisitForm(forms.ModelForm):
    """The planned visit's own fields (edit); the plan form adds the enrollment."""

    expected_minutes = forms.IntegerField(
        label="Expected length (minutes)",
        initial=60,
        widget=forms.NumberInput(attrs={"min": 1, "max": 1440, "inputmode": "numeric"}),
    )
    contact_type = forms.ChoiceField(label="Type of contact", choices=PLANNABLE_TYPES)

    class Meta:
        model = PlannedVisit
        fields = list(VISIT_EDITABLE)
        widgets = {
            "scheduled_start": DATETIME_INPUT,
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "scheduled_start": "Date and time",
            "location": "Place details",
            "with_whom": "With whom",
        }
        help_texts = {
            "with_whom": "Who will take part: the client, a parent, a provider…",
            "location": "Optional, e.g. the clinic's room or the park's name.",
        }

    def _post_clean(self) -> None:
        # The service validates and saves; the form only shapes the input.
        pass


class VisitPlanForm(VisitForm):
    enrollment = EnrollmentChoiceField(
        label="Client", queryset=Enrollment.objects.none(), empty_label=None
    )

    class Meta(VisitForm.Meta):
        fields = ["enrollment", *VISIT_EDITABLE]

    def __init__(self, *args: Any, enrollments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(EnrollmentChoiceField, self.fields["enrollment"]).queryset = enrollments


class MarkMissedForm(forms.Form):
    note = forms.CharField(
        label="What happened (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Recorded with the attempted contact, e.g. "No answer at the door".',
    )
