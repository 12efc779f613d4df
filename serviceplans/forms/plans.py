"""Forms of the service-plan pages: start, details, approval, review. They check the shape of
the input; the rules (what approval needs, a review rating every goal) live in
serviceplans.services, whose ValidationErrors are put back on the form
(casemgmt.service_forms). Each form's ``cleaned_data`` is the keyword arguments of its
service. ``ShapeOnlyModelForm`` and ``NOTE_INPUT`` are shared with the goal and barrier forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.text import Truncator

from casemgmt.dates import today
from clients.forms.widgets import DATE_INPUT
from clients.models import FamilyMember
from serviceplans.models import Goal, GoalProgress, ServicePlan
from serviceplans.services import PLAN_DETAIL_FIELDS

NOTE_INPUT = forms.Textarea(attrs={"rows": 3})


class ShapeOnlyModelForm(forms.ModelForm):
    def _post_clean(self) -> None:
        # The model's checks run in the service, on the locked row; the form only shapes
        # the input and never changes the instance it was given.
        pass


class PlanStartForm(forms.Form):
    start_date = forms.DateField(
        widget=DATE_INPUT,
        required=False,
        help_text="Leave blank to start today.",
    )


class PlanDetailsForm(ShapeOnlyModelForm):
    """A draft's dates and who took part in planning: the client and members of their family."""

    class Meta:
        model = ServicePlan
        fields = list(PLAN_DETAIL_FIELDS)
        widgets = {
            "start_date": DATE_INPUT,
            "rationale_explained_on": DATE_INPUT,
            "client_signed_on": DATE_INPUT,
            "family_participants": forms.CheckboxSelectMultiple,
        }
        labels = {
            "client_participated": "The client took part in planning",
            "family_participants": "Family members who took part",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the client's own family can have taken part. A many-to-many field's form field
        # is a ModelMultipleChoiceField.
        participants = cast(forms.ModelMultipleChoiceField, self.fields["family_participants"])
        participants.queryset = FamilyMember.objects.filter(
            client_id=self.instance.enrollment.client_id
        )


class PlanApproveForm(forms.Form):
    approved_on = forms.DateField(widget=DATE_INPUT, initial=today)


class PlanReviewForm(forms.Form):
    """A review of the active plan: a progress rating and a note for every goal.

    ``cleaned_data`` carries ``progress`` as serviceplans.services.plan_review_record takes it:
    ``{goal id: {"rating", "note"}}``.
    """

    reviewed_on = forms.DateField(widget=DATE_INPUT, initial=today)
    summary = forms.CharField(widget=NOTE_INPUT, required=False)

    def __init__(self, *args: Any, goals: Sequence[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for number, goal in enumerate(self.goals, start=1):
            words = Truncator(goal.client_words).chars(90)
            self.fields[f"rating_{goal.pk}"] = forms.ChoiceField(
                label=f"Goal {number}: “{words}”",
                choices=[("", "—"), *GoalProgress.Rating.choices],
                error_messages={"required": "Rate the progress on this goal."},
            )
            self.fields[f"note_{goal.pk}"] = forms.CharField(
                label=f"Goal {number}: note",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["progress"] = {
            goal.pk: {
                "rating": data.pop(f"rating_{goal.pk}", ""),
                "note": data.pop(f"note_{goal.pk}", ""),
            }
            for goal in self.goals
        }
        return data
