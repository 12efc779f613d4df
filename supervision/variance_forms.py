"""Forms for variances and regional service-delivery plans.

They shape the input only; the rules (who may ask or decide, a new date after today, one
pending request per standard, a reason to deny, goals before submitting, comments to return a
plan) are supervision.services', whose ValidationErrors come back onto the form beside the
field they name (casemgmt.service_forms).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Region
from clients.forms import DATE_INPUT
from supervision.models import Flag, FlagRule
from supervision.services import RegionalGoalInput

# The two submit buttons of a decision: name="approve", value "approve" or "deny".
APPROVE, DENY = "approve", "deny"


def _decision_field(deny_label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=[(APPROVE, "Approve"), (DENY, deny_label)],
        coerce=lambda value: value == APPROVE,
        widget=forms.HiddenInput,  # set by the button pressed
        error_messages={"required": "Approve or deny."},
    )


class FlagChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_rule_display()} (due {obj.due_on:%Y-%m-%d})"


class VarianceRequestForm(forms.Form):
    """A variance asked against one of the enrollment's open flags, or a standard by name."""

    flag = FlagChoiceField(
        label="Open flag",
        queryset=Flag.objects.none(),
        required=False,
        empty_label="— none: a standard not (yet) flagged —",
        help_text="The standard is then the flag's.",
    )
    rule = forms.ChoiceField(
        label="Standard",
        choices=[("", "—"), *FlagRule.choices],
        required=False,
        help_text="Which standard cannot be met on time.",
    )
    reason = forms.CharField(
        label="Why it cannot be met",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    proposed_due_on = forms.DateField(
        label="Proposed new due date", widget=DATE_INPUT, help_text="After today."
    )

    def __init__(self, *args: Any, flags: Iterable[Flag] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        flag_field: forms.ModelChoiceField = self.fields["flag"]  # type: ignore[assignment]
        ids = [flag.pk for flag in flags]
        flag_field.queryset = Flag.objects.filter(pk__in=ids).order_by("due_on", "id")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The standard of a flag is the flag's; the service says so if both disagree.
        flag = cleaned.get("flag")
        if flag is not None and not cleaned.get("rule"):
            cleaned["rule"] = flag.rule
        cleaned["rule"] = cleaned.get("rule") or None
        return cleaned


class VarianceDecideForm(forms.Form):
    """Division administration's decision: approve (with a new due date, the proposed one
    unless changed) or deny (with the reason)."""

    approve = _decision_field("Deny")
    approved_due_on = forms.DateField(
        label="Approved new due date",
        widget=DATE_INPUT,
        required=False,
        help_text="Today or later; the proposed date when left empty.",
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required to deny.",
    )


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
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        region_field: forms.ModelChoiceField = self.fields["region"]  # type: ignore[assignment]
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

    approve = _decision_field("Return with comments")
    comments = forms.CharField(
        label="Comments",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required to return the plan.",
    )
