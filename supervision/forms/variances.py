"""Forms for variances, and the variance queue's and list's filters.

They shape the input only; the rules (who may ask or decide, a new date after today, one
pending request per standard, a reason to deny) are supervision.services', whose
ValidationErrors come back onto the form beside the field they name (casemgmt.service_forms).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import django_filters
from django import forms
from django.http import QueryDict

from accounts.models import Region
from clients.forms.widgets import DATE_INPUT
from clients.models import Program
from supervision.models import Flag, Variance
from supervision.rules import rule_choices

# The two submit buttons of a decision: name="approve", value "approve" or "deny".
APPROVE, DENY = "approve", "deny"


def decision_field(deny_label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=[(APPROVE, "Approve"), (DENY, deny_label)],
        coerce=lambda value: value == APPROVE,
        widget=forms.HiddenInput,  # set by the button pressed
        error_messages={"required": "Approve or deny."},
    )


def _rule_choices_or_none() -> list[tuple[str, str]]:
    return [("", "—"), *rule_choices()]


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
        choices=_rule_choices_or_none,
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
        # The fields declared above (``self.fields`` holds them as plain Field).
        flag_field = cast(forms.ModelChoiceField, self.fields["flag"])
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

    approve = decision_field("Deny")
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


class VarianceFilter(django_filters.FilterSet):
    """Narrow variances by status, the region and program of their enrollment, and the
    standard. ``default_status`` applies when the query string names no status at all (the
    queue opens on what is pending); "any status" is an empty choice."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=Variance.Status.choices, empty_label="Any status"
    )
    region = django_filters.ModelChoiceFilter(
        label="Region",
        field_name="enrollment__team__region",
        queryset=Region.objects.order_by("name"),
        empty_label="Every region",
    )
    program = django_filters.ModelChoiceFilter(
        label="Program",
        field_name="enrollment__program",
        queryset=Program.objects.order_by("name"),
        empty_label="Every program",
    )
    rule = django_filters.ChoiceFilter(
        label="Standard", choices=rule_choices, empty_label="Every standard"
    )

    class Meta:
        model = Variance
        fields: list[str] = []

    def __init__(
        self, data: QueryDict | None = None, *args: Any, default_status: str = "", **kwargs: Any
    ) -> None:
        # Always bound, so that a first visit (no query string) is filtered too.
        bound = data.copy() if data is not None else QueryDict(mutable=True)
        if default_status and "status" not in bound:
            bound["status"] = default_status
        super().__init__(bound, *args, **kwargs)
