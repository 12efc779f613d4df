"""The agency's outcome measures and each program's schedule: configuration, which
administrators keep (accounts.models.CONFIGURATION_MODELS). Measurements are clinical records,
read on the client page and never edited here."""

from django.contrib import admin

from outcomes.models import Measure, ProgramOutcomeSchedule


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "direction", "meaningful_change", "is_default", "position"]
    list_editable = ["position"]


@admin.register(ProgramOutcomeSchedule)
class ProgramOutcomeScheduleAdmin(admin.ModelAdmin):
    list_display = ["program", "intake_within_days", "follow_up_interval_days"]
    filter_horizontal = ["measures"]
