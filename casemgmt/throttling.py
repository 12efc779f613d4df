"""The API's rate limit (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES). A module of its own: DRF
imports it while it loads its views, so it may not import them."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class StaffRateThrottle(UserRateThrottle):
    """At most ``API_RATE_LIMIT`` requests per user (e.g. "600/minute"), counted in the cache;
    beyond, 429 with Retry-After. Read from the settings at each request, not at import."""

    def get_rate(self) -> str:
        return str(settings.API_RATE_LIMIT)
