"""The provider directory in the Django admin, for administrators (accounts.models
CONFIGURATION_MODELS). Consents, referrals and disclosures are clinical records and are not
edited here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from referrals.models import InteragencyAgreement, Provider, ProviderService

# Uploads have no public URL (the admin's file widget would link to one): a plain file input.
DOCUMENT_WIDGET: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.FileField: {"widget": forms.FileInput}
}


class ProviderServiceInline(admin.TabularInline):
    model = ProviderService
    extra = 1
    # A provider offers at least one service, each with a type (as provider_save requires).
    min_num = 1
    validate_min = True
    can_delete = False  # past referrals point at services


class InteragencyAgreementInline(admin.TabularInline):
    model = InteragencyAgreement
    extra = 0
    can_delete = False
    fields = ["kind", "starts_on", "ends_on", "note", "document"]
    formfield_overrides = DOCUMENT_WIDGET


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "is_active",
        "accepts_medicaid",
        "waitlist_weeks",
        "waitlist_checked_on",
    ]
    list_filter = ["is_active", "accepts_medicaid", "services__service_type"]
    search_fields = ["name", "services__name"]
    inlines = [ProviderServiceInline, InteragencyAgreementInline]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Referrals and consents point at providers; retire one with "is active" instead.
        return False


@admin.register(InteragencyAgreement)
class InteragencyAgreementAdmin(admin.ModelAdmin):
    list_display = ["provider", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["provider__name", "note"]
    autocomplete_fields = ["provider"]
    date_hierarchy = "starts_on"
    formfield_overrides = DOCUMENT_WIDGET

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
