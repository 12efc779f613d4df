from django.contrib import admin
from django.http import HttpRequest

from clients.models import Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "is_active",
        "initial_assessment_days",
        "reassessment_interval_months",
        "max_days_between_contacts",
        "plan_review_interval_days",
        "referral_follow_up_days",
    ]
    list_filter = ["is_active"]
    prepopulated_fields = {"code": ["name"]}
    search_fields = ["name", "code"]

    def has_delete_permission(self, request: HttpRequest, obj: Program | None = None) -> bool:
        # Enrollments point at programs; retire a program with "is active" instead.
        return False
