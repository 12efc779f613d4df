"""Forms of the service-plan pages. They check the shape of the input; the rules (a goal's
target after the plan's start, who does an action, what approval needs) live in
serviceplans.services, whose ValidationErrors are put back on the form
(clients.forms.add_service_errors). Each form's ``cleaned_data`` is the keyword arguments of
its service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import Truncator

from clients.forms import DATE_INPUT
from clients.models import FamilyMember
from serviceplans.models import Barrier, Goal, GoalProgress, PlanAction, ServicePlan

NOTE_INPUT = forms.Textarea(attrs={"rows": 3})


class _ShapeOnlyModelForm(forms.ModelForm):
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


class PlanDetailsForm(_ShapeOnlyModelForm):
    """A draft's dates and who took part in planning: the client and members of their family."""

    class Meta:
        model = ServicePlan
        fields = [
            "start_date",
            "client_participated",
            "family_participants",
            "rationale_explained_on",
            "client_signed_on",
        ]
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
        # Only the client's own family can have taken part.
        self.fields["family_participants"].queryset = FamilyMember.objects.filter(  # type: ignore[attr-defined]
            client_id=self.instance.enrollment.client_id
        )


class GoalForm(_ShapeOnlyModelForm):
    class Meta:
        model = Goal
        fields = ["client_words", "life_domain", "target_date"]
        widgets = {"client_words": NOTE_INPUT, "target_date": DATE_INPUT}
        help_texts = {"client_words": "As the client said it: “I want to …”."}


class GoalEditForm(GoalForm):
    class Meta(GoalForm.Meta):
        fields = [*GoalForm.Meta.fields, "status"]


class PlanActionForm(_ShapeOnlyModelForm):
    """An objective or intervention: who does it, what, when or how often, where and why
    (IC&RC criterion 29)."""

    class Meta:
        model = PlanAction
        fields = [
            "kind",
            "responsible",
            "responsible_name",
            "what",
            "when",
            "where",
            "why",
            "due_date",
            "status",
        ]
        widgets = {"what": NOTE_INPUT, "why": NOTE_INPUT, "due_date": DATE_INPUT}
        labels = {"what": "What is done", "why": "Why"}


class BarrierForm(_ShapeOnlyModelForm):
    class Meta:
        model = Barrier
        fields = ["kind", "description", "strategy", "resolved_on"]
        widgets = {"strategy": NOTE_INPUT, "resolved_on": DATE_INPUT}
        labels = {"kind": "Barrier to engagement"}


class PlanApproveForm(forms.Form):
    approved_on = forms.DateField(widget=DATE_INPUT, initial=timezone.localdate)


class PlanReviewForm(forms.Form):
    """A review of the active plan: a progress rating and a note for every goal.

    ``cleaned_data`` carries ``progress`` as serviceplans.services.plan_review_record takes it:
    ``{goal id: {"rating", "note"}}``.
    """

    reviewed_on = forms.DateField(widget=DATE_INPUT, initial=timezone.localdate)
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
