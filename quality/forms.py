"""Forms of record reviews: they shape the input; quality.services decides."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import Role, User
from clients.models import Program
from quality import selectors
from quality.models import Answer, Benchmark
from quality.services import MAX_PER_PROGRAM

DATE = forms.DateInput(attrs={"type": "date"})


class CaseManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f" ({obj.team.name})" if obj.team_id else ""
        return f"{obj.get_full_name() or obj.username}{team}"


class SampleDrawForm(forms.Form):
    """Whose records, which period, how many per program (the strata), and an optional seed
    (to replay a draw); sizes left at the default use it."""

    case_manager = CaseManagerChoiceField(
        queryset=User.objects.filter(role=Role.CASE_MANAGER, is_active=True)
        .select_related("team")
        .order_by("last_name", "first_name", "id"),
    )
    period_start = forms.DateField(widget=DATE)
    period_end = forms.DateField(widget=DATE)
    size = forms.IntegerField(
        label="Records per program",
        min_value=0,
        max_value=MAX_PER_PROGRAM,
        initial=2,
        help_text="Used for each program below left blank.",
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="Leave blank for a new random draw; give a stored seed to replay one.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programs = list(Program.objects.filter(is_active=True).order_by("name"))
        for program in self.programs:
            self.fields[f"size_{program.pk}"] = forms.IntegerField(
                label=f"Records from {program.name}",
                required=False,
                min_value=0,
                max_value=MAX_PER_PROGRAM,
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        sizes = {
            str(program.pk): data[f"size_{program.pk}"]
            if data.get(f"size_{program.pk}") is not None
            else data["size"]
            for program in self.programs
        }
        return {
            "case_manager": data["case_manager"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "sizes": sizes,
            "seed": data.get("seed"),
            "note": data.get("note", ""),
        }


class ReviewForm(forms.Form):
    """One answer and comment per active benchmark, pre-filled with the data's answer."""

    summary = forms.CharField(
        label="Summary of the review", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, rows: list[selectors.ChecklistRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.benchmark.pk
            self.fields[f"answer_{pk}"] = forms.ChoiceField(
                label=row.benchmark.label,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                initial=row.data.answer if row.data else None,
                required=False,
            )
            self.fields[f"comment_{pk}"] = forms.CharField(
                label=f"Comment on “{row.benchmark.label}”",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            row.benchmark.pk: (
                data.get(f"answer_{row.benchmark.pk}") or "",
                data.get(f"comment_{row.benchmark.pk}") or "",
            )
            for row in self.rows
        }

    def item_fields(self) -> list[tuple[selectors.ChecklistRow, Any, Any]]:
        return [
            (row, self[f"answer_{row.benchmark.pk}"], self[f"comment_{row.benchmark.pk}"])
            for row in self.rows
        ]


class CorrectiveActionForm(forms.Form):
    benchmark = forms.ModelChoiceField(
        queryset=Benchmark.objects.filter(is_active=True),
        required=False,
        label="About the benchmark (optional)",
    )
    description = forms.CharField(label="What to correct", widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label="Due by", widget=DATE)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Your response (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionDoneForm(forms.Form):
    note = forms.CharField(
        label="What was done (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrendForm(forms.Form):
    """The trend's grouping: per case manager (the default) or per team."""

    BY = {"case_manager": "Case manager", "team": "Team"}

    by = forms.ChoiceField(choices=list(BY.items()), required=False)

    def clean_by(self) -> str:
        return self.cleaned_data["by"] or "case_manager"
