"""Serializer fields the referrals API's resources share."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from referrals.models import InformationCategory


class DownloadField(serializers.FileField):
    """An upload on the way in (multipart); on the way out, the web app's download link for
    it, which goes through the same access gate as the record (the stored file is not served
    to anyone who asks)."""

    def __init__(self, *, url_name: str, **kwargs: Any) -> None:
        self.url_name = url_name
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        return reverse(self.url_name, args=[value.instance.pk])


def categories_field(**kwargs: Any) -> serializers.ListField:
    """Information categories (what a consent allows or a referral discloses)."""
    return serializers.ListField(
        child=serializers.ChoiceField(choices=InformationCategory.choices), **kwargs
    )
