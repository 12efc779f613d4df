"""Forms of a draft plan's goals and their objectives and interventions. They shape the input;
the rules (a goal's target after the plan's start, who does an action) are
serviceplans.services'."""

from __future__ import annotations

from clients.forms.widgets import DATE_INPUT
from serviceplans.forms.plans import NOTE_INPUT, ShapeOnlyModelForm
from serviceplans.models import Goal, PlanAction
from serviceplans.services import ACTION_FIELDS


class GoalForm(ShapeOnlyModelForm):
    class Meta:
        model = Goal
        fields = ["client_words", "life_domain", "target_date"]
        widgets = {"client_words": NOTE_INPUT, "target_date": DATE_INPUT}
        help_texts = {"client_words": "As the client said it: “I want to …”."}


class GoalEditForm(GoalForm):
    class Meta(GoalForm.Meta):
        fields = [*GoalForm.Meta.fields, "status"]


class PlanActionForm(ShapeOnlyModelForm):
    """An objective or intervention: who does it, what, when or how often, where and why
    (IC&RC criterion 29)."""

    class Meta:
        model = PlanAction
        fields = list(ACTION_FIELDS)
        widgets = {"what": NOTE_INPUT, "why": NOTE_INPUT, "due_date": DATE_INPUT}
        labels = {"what": "What is done", "why": "Why"}
