"""Forms for regional service-delivery plans: starting one, its summary and goals, and the
decision. They shape the input only; the rules (goals before submitting, comments to return a
plan) are supervision.services'."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from accounts.models import Region
from casemgmt.dates import today
from clients.forms.widgets import DATE_INPUT
from supervision.forms.variances import decision_field
from supervision.services import RegionalGoalInput


class RegionalPlanCreateForm(forms.Form):
    region = forms.ModelChoiceField(label="Region", queryset=Region.objects.none())
    year = forms.IntegerField(label="Year")
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="The region's clinical case management service-delivery goals in brief.",
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", today().year)
        super().__init__(*args, **kwargs)
        # The fields declared above (``self.fields`` holds them as plain Field).
        region_field = cast(forms.ModelChoiceField, self.fields["region"])
        region_field.queryset = regions
        if len(regions) == 1:
            self.initial.setdefault("region", regions[0].pk)


class RegionalPlanForm(forms.Form):
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RegionalGoalForm(forms.Form):
    """One goal row; an empty extra row is left out."""

    goal_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    goal = forms.CharField(label="Goal", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    measure = forms.CharField(label="How progress is measured", max_length=300, required=False)
    target_on = forms.DateField(label="To be achieved by", widget=DATE_INPUT, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        filled = cleaned.get("goal", "").strip() or cleaned.get("target_on")
        if (filled or cleaned.get("goal_id")) and not cleaned.get("target_on"):
            self.add_error("target_on", "Give the date the goal is to be achieved by.")
        return cleaned


RegionalGoalFormSet = forms.formset_factory(RegionalGoalForm, extra=2)


def goal_rows(formset: forms.BaseFormSet) -> list[RegionalGoalInput]:
    """The goals typed into a valid formset, empty new rows left out."""
    rows = []
    for row in formset.cleaned_data:
        if not row or not (row.get("goal_id") or row.get("goal", "").strip()):
            continue
        rows.append(
            RegionalGoalInput(
                goal=row.get("goal", ""),
                measure=row.get("measure", ""),
                target_on=row["target_on"],
                goal_id=row.get("goal_id"),
            )
        )
    return rows


class RegionalPlanDecideForm(forms.Form):
    """Approve a submitted plan, or return it with comments."""

    approve = decision_field("Return with comments")
    comments = forms.CharField(
        label="Comments",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required to return the plan.",
    )
