"""The agency's calendar."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in the agency's time zone (``TIME_ZONE``), the day every rule is judged on."""
    return timezone.localdate()
