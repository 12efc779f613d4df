"""The agency's calendar."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in the agency's time zone (``TIME_ZONE``), the day every rule is judged on."""
    return timezone.localdate()


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the agency's time zone (``TIME_ZONE``), as an aware datetime,
    so that a range of days is a range over a timestamp column that its index serves
    (``occurred_at < local_midnight(day + 1)``, not ``occurred_at::date <= day``)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
