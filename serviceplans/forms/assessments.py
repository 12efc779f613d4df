"""Forms of the comprehensive assessment.

They check the shape of the input only; the rules (who may, which dates, every domain rated)
live in serviceplans.services, whose ValidationErrors are put back on the form beside the
field they name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from casemgmt.dates import today
from casemgmt.service_forms import add_service_errors
from clients.forms.widgets import DATE_INPUT
from serviceplans.models import Assessment, AssessmentFinding, Domain


class AssessmentForm(forms.Form):
    """The author's draft: findings and a need level per domain, and a summary.

    The same form saves the draft and completes it; ``completing`` makes the completion
    date required (the date rules themselves are the service's).
    """

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    completed_on = forms.DateField(
        label="Completion date",
        widget=DATE_INPUT,
        required=False,
        help_text="Needed to complete the assessment; it is then locked.",
    )

    def __init__(
        self, *args: Any, assessment: Assessment, completing: bool = False, **kwargs: Any
    ) -> None:
        findings = {f.domain: f for f in assessment.findings.all()}
        initial: dict[str, Any] = {
            "summary": assessment.summary,
            "completed_on": today(),
        }
        for domain in Domain.values:
            finding = findings.get(domain)
            initial[f"{domain}_findings"] = finding.findings if finding else ""
            initial[f"{domain}_need_level"] = finding.need_level if finding else ""
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.completing = completing
        for domain, label in Domain.choices:
            self.fields[f"{domain}_findings"] = forms.CharField(
                label=f"{label}: findings",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields[f"{domain}_need_level"] = forms.ChoiceField(
                label=f"{label}: need level",
                choices=[("", "Not rated yet"), *AssessmentFinding.NeedLevel.choices],
                required=False,
            )

    def domains(self) -> Iterator[tuple[str, forms.BoundField, forms.BoundField]]:
        """(label, findings field, need-level field) per domain, for the template."""
        for domain, label in Domain.choices:
            yield label, self[f"{domain}_findings"], self[f"{domain}_need_level"]

    def clean_completed_on(self) -> dt.date | None:
        completed_on: dt.date | None = self.cleaned_data.get("completed_on")
        if self.completing and completed_on is None:
            raise ValidationError("Enter the date the assessment was completed.")
        return completed_on

    def findings_data(self) -> dict[str, dict[str, str]]:
        """``findings`` as assessment_save takes it: domain → {"findings", "need_level"}."""
        return {
            domain: {
                "findings": self.cleaned_data[f"{domain}_findings"],
                "need_level": self.cleaned_data[f"{domain}_need_level"],
            }
            for domain in Domain.values
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """The service names unrated domains under ``findings``; point at each of them too."""
        add_service_errors(self, error)
        if hasattr(error, "error_dict") and "findings" in error.error_dict:
            for domain in Domain.values:
                name = f"{domain}_need_level"
                if not self.cleaned_data.get(name):
                    self.add_error(name, "Rate the need in this domain.")


class AssessmentAddendumForm(forms.Form):
    note = forms.CharField(
        label="Addendum",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A dated correction or addition; the completed assessment stays as it was.",
    )
