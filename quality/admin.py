"""The record-review checklist in the Django admin, for administrators (accounts.models
CONFIGURATION_MODELS). Samples, reviews and findings are written by QA reviewers in the app,
never here; a benchmark is retired (``is_active``), never deleted."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from quality.benchmarks import RULE_CHOICES
from quality.models import Benchmark


class BenchmarkForm(forms.ModelForm):
    data_rule = forms.ChoiceField(
        choices=[("", "None: the reviewer judges it"), *RULE_CHOICES],
        required=False,
        help_text="The rule that pre-fills the item from the record (quality/benchmarks.py).",
    )

    class Meta:
        model = Benchmark
        fields = ["code", "label", "description", "source", "data_rule", "position", "is_active"]


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    form = BenchmarkForm
    list_display = ["label", "data_rule", "position", "is_active"]
    list_filter = ["is_active"]
    ordering = ["position", "id"]

    def has_delete_permission(self, request: HttpRequest, obj: Benchmark | None = None) -> bool:
        return False
