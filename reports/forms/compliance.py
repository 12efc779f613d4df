"""The compliance-rate report's questions: as of which date, rows per what; and, for a
drill-down, which standard, which outcome and which group."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from reports import compliance_rates as rates


class ComplianceRatesForm(forms.Form):
    as_of = forms.DateField(label="As of", widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label="Rows per", choices=list(rates.GROUPINGS.items()))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    @classmethod
    def from_query(cls, query: Any, *, today: dt.date) -> ComplianceRatesForm:
        """Bound to the query string, today and per team filling what it leaves out."""
        data = {"as_of": today.isoformat(), "by": rates.BY_TEAM}
        data.update({k: query[k] for k in cls.base_fields if query.get(k)})
        return cls(data, today=today)

    def clean_as_of(self) -> dt.date:
        as_of: dt.date = self.cleaned_data["as_of"]
        if as_of > self.today:
            raise forms.ValidationError(
                "The date is after today: a standard is judged on a day that has passed."
            )
        return as_of


class ComplianceDrillDownForm(ComplianceRatesForm):
    standard = forms.ChoiceField(choices=list(rates.STANDARD_LABELS.items()))
    status = forms.ChoiceField(choices=list(rates.STATUSES.items()))
    group = forms.IntegerField(required=False, min_value=1)

    @classmethod
    def from_query(cls, query: Any, *, today: dt.date) -> ComplianceDrillDownForm:
        """Left out: today, per team, the first standard's enrollments not meeting it."""
        data = {
            "as_of": today.isoformat(),
            "by": rates.BY_TEAM,
            "standard": rates.STANDARDS[0],
            "status": rates.UNMET,
        }
        data.update({k: query[k] for k in cls.base_fields if query.get(k)})
        return cls(data, today=today)
