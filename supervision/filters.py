"""The variance queue's and list's filters (django-filter): status, region, program and
standard."""

from __future__ import annotations

import django_filters

from accounts.models import Region
from clients.models import Program
from supervision.models import FlagRule, Variance


class VarianceFilter(django_filters.FilterSet):
    """Narrow variances by status, the region and program of their enrollment, and the
    standard. ``default_status`` applies when the query string names no status at all (the
    queue opens on what is pending); "any status" is an empty choice."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=Variance.Status.choices, empty_label="Any status"
    )
    region = django_filters.ModelChoiceFilter(
        label="Region",
        field_name="enrollment__team__region",
        queryset=Region.objects.order_by("name"),
        empty_label="Every region",
    )
    program = django_filters.ModelChoiceFilter(
        label="Program",
        field_name="enrollment__program",
        queryset=Program.objects.order_by("name"),
        empty_label="Every program",
    )
    rule = django_filters.ChoiceFilter(
        label="Standard", choices=FlagRule.choices, empty_label="Every standard"
    )

    class Meta:
        model = Variance
        fields: list[str] = []

    def __init__(self, data=None, *args, default_status: str = "", **kwargs):  # type: ignore[no-untyped-def]
        # Always bound, so that a first visit (no query string) is filtered too.
        data = data.copy() if data is not None else {}
        if default_status and "status" not in data:
            data["status"] = default_status
        super().__init__(data, *args, **kwargs)
