"""Flags are not registered here: they are raised and resolved only by the compliance
evaluation (supervision.compliance), and read through the supervisor's screens and the change
history, never edited in the admin.

A program's standards are (the rules read them): the program's admin page, registered in
clients, is taken over here so that a change of standards goes through
supervision.services.program_standards_change, from a day the administrator says, keeping the
standards before it for the dates they were in force."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from accounts.models import User
from casemgmt import dates
from clients.admin import ProgramAdmin
from clients.models import Program
from supervision.models import STANDARD_FIELDS, PastProgramStandards
from supervision.services import program_standards_change, program_standards_errors


class ProgramStandardsForm(forms.ModelForm):
    standards_in_force_from = forms.DateField(
        label="Changed standards are in force from",
        initial=dates.today,
        required=False,
        help_text="Today or an earlier day: dates before it are still judged by the standards "
        "as they were (compliance rates, dry runs).",
    )

    class Meta:
        model = Program
        fields = ["name", "code", "description", "is_active", "is_part2", *STANDARD_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None or not set(STANDARD_FIELDS) & set(self.changed_data):
            return cleaned
        stored = Program.objects.get(pk=self.instance.pk)
        new = {name: cleaned.get(name, getattr(stored, name)) for name in STANDARD_FIELDS}
        for name, message in program_standards_errors(
            stored, new, cleaned.get("standards_in_force_from")
        ).items():
            self.add_error("standards_in_force_from" if name == "in_force_from" else name, message)
        return cleaned


PAST_COLUMNS: tuple[str, ...] = ("in_force_from", "in_force_until", *STANDARD_FIELDS, "changed_by")


class PastStandardsInline(admin.TabularInline):
    model = PastProgramStandards
    fields = readonly_fields = PAST_COLUMNS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(Program)


@admin.register(Program)
class ProgramStandardsAdmin(ProgramAdmin):
    form = ProgramStandardsForm
    inlines = [PastStandardsInline]

    def save_model(self, request: HttpRequest, obj: Program, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        asked = {name: getattr(obj, name) for name in STANDARD_FIELDS}
        stored = Program.objects.get(pk=obj.pk)
        for name in STANDARD_FIELDS:  # the other fields are saved as the admin saves them
            setattr(obj, name, getattr(stored, name))
        super().save_model(request, obj, form, change)
        changed = program_standards_change(
            actor=cast(User, request.user),  # the admin is behind its staff login
            program=obj,
            in_force_from=form.cleaned_data.get("standards_in_force_from") or dates.today(),
            standards=asked,
        )
        for name in STANDARD_FIELDS:
            setattr(obj, name, getattr(changed, name))
