"""Forms in front of outcomes.services: a field per measure of the program (``m_<code>``), the
occasion and the day; the service decides."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from clients.forms.widgets import DATE_INPUT
from outcomes.models import Measure, Occasion, OutcomeMeasurement
from outcomes.services import Value

REPORT_MAX_DAYS = 3 * 366
# A report's period when the query names none: the year up to today.
DEFAULT_PERIOD_DAYS = 365


def _measure_field(measure: Measure) -> forms.Field:
    help_text = measure.question
    if measure.is_categorical:
        return forms.ChoiceField(
            label=measure.name,
            choices=[("", "Not recorded"), *((c, c) for c in measure.categories)],
            required=False,
            help_text=help_text,
        )
    return forms.IntegerField(
        label=measure.name,
        min_value=measure.minimum,
        max_value=measure.maximum,
        required=False,
        help_text=f"{help_text} ({measure.minimum} to {measure.maximum}; blank if not asked)",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class MeasurementForm(forms.Form):
    """Record (or correct) one occasion's measures. ``cleaned_data`` is the service's keyword
    arguments: occasion, measured_on, note and ``values`` by measure code."""

    occasion = forms.ChoiceField(choices=Occasion.choices)
    measured_on = forms.DateField(label="Measured on", widget=DATE_INPUT)

    def __init__(
        self,
        *args: Any,
        measures: tuple[Measure, ...],
        correcting: OutcomeMeasurement | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            self.fields[f"m_{measure.code}"] = _measure_field(measure)
        self.fields["note"] = forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note (optional)"
        )
        if correcting is not None:
            del self.fields["occasion"]
            self.fields["reason"] = forms.CharField(
                max_length=300, label="Why the measures are corrected"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values: dict[str, Value] = {}
        for measure in self.measures:
            value = cleaned.pop(f"m_{measure.code}", None)
            values[measure.code] = None if value in (None, "") else value
        cleaned["values"] = values
        return cleaned


def initial_from(measurement: OutcomeMeasurement) -> dict[str, Any]:
    """A correction's form starts from the measurement it corrects."""
    initial: dict[str, Any] = {"measured_on": measurement.measured_on, "note": measurement.note}
    for value in measurement.values.all():
        code = value.measure.code
        initial[f"m_{code}"] = value.category or value.number
    return initial


class PeriodForm(forms.Form):
    """A report's period (both days included) and program; at most three years."""

    start = forms.DateField(label="From", widget=DATE_INPUT)
    end = forms.DateField(label="To", widget=DATE_INPUT)
    program = forms.TypedChoiceField(label="Program", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, programs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program = cast(forms.TypedChoiceField, self.fields["program"])
        program.choices = [("", "All programs"), *programs]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "program" else "form-control"

    @classmethod
    def from_query(
        cls, query: Any, *, today: dt.date, programs: list[tuple[int, str]]
    ) -> PeriodForm:
        """Bound to the query string (a page's or an export's), by default the year up to
        ``today``."""
        data = query.copy()
        data.setdefault("start", (today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat())
        data.setdefault("end", today.isoformat())
        return cls(data, programs=programs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: dt.date | None = cleaned.get("start")
        end: dt.date | None = cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end comes on or after the start.")
        elif start and end and (end - start).days > REPORT_MAX_DAYS:
            self.add_error("end", "At most three years at a time.")
        return cleaned
