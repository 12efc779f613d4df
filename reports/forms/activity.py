"""The staff activity log's question: which range, by week or month, rolled up by whom."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from reports import activity


class ActivityForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(label="Period", choices=list(activity.PERIODS.items()))
    by = forms.ChoiceField(label="Rows per", choices=list(activity.GROUPINGS.items()))

    @classmethod
    def from_query(cls, query: Any, *, today: dt.date) -> ActivityForm:
        """Bound to the query string, the defaults (the last three months, by month, per
        case manager) filling what it leaves out."""
        start, end = activity.default_range(today)
        data = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "period": activity.MONTH,
            "by": activity.BY_CASE_MANAGER,
        }
        data.update({k: query[k] for k in data if query.get(k)})
        return cls(data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The end of the range is before its start.")
            elif end >= activity.add_years(start, activity.MAX_RANGE_YEARS):
                self.add_error(
                    "end",
                    f"The range is longer than {activity.MAX_RANGE_YEARS} years; ask for less.",
                )
        return cleaned
