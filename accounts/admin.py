"""The Django admin is for configuration (programs, teams, regions, users) and is open to
administrators only; clinical records are never edited here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

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
        ("Casework", {"fields": ("role", "team", "credentials")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Casework", {"fields": ("first_name", "last_name", "role", "team")}),
    )
