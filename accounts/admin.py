"""The Django admin is for configuration (programs, teams, regions, users) and is open to
administrators only; clinical records are never edited here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Region, Team, User
from casemgmt.roles import is_active_administrator


def _administrators_only(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and user.is_staff and is_active_administrator(user)


# The default site is built by django.contrib.admin; replacing it with an AdminSite subclass
# would take an AdminConfig of our own for one method.
admin.site.has_permission = _administrators_only  # type: ignore[method-assign]  # see above
# Access follows roles and teams, not Django groups.
admin.site.unregister(Group)
# Second-factor devices are never edited here: django-otp's pages would show the secret keys.
# An administrator resets a lost one from the user's page (accounts.second_factor).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
admin.site.site_header = "Casework configuration"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    filter_horizontal = ["supervisors"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]  # django-stubs types the base as Optional
        ("Casework", {"fields": ("role", "team", "credentials", "second_factor", "departure")}),
    )
    readonly_fields = ["second_factor", "departure"]
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Casework", {"fields": ("first_name", "last_name", "role", "team")}),
    )

    @admin.display(description="Leaving the agency")
    def departure(self, user: User) -> str:
        """Deactivating through this page (clients.departures), not the Active box, also ends
        the sessions and moves the open caseload to a successor."""
        if user.pk is None or not user.is_active:
            return "—"
        url = reverse("clients:staff_departure", args=[user.pk])
        return format_html('<a href="{}">Deactivate and move the open caseload…</a>', url)

    @admin.display(description="Second factor")
    def second_factor(self, user: User) -> str:
        """A lost phone is reset here (accounts.second_factor.second_factor_reset, recorded)."""
        if user.pk is None:
            return "—"
        url = reverse("accounts:second_factor_reset", args=[user.pk])
        return format_html('<a href="{}">Reset a lost authenticator…</a>', url)
