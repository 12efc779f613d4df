"""A fixed-window rate limit counted in the cache (settings.CACHES): for the client searches,
which the API's throttle (casemgmt.throttling.StaffRateThrottle) does not see."""

from __future__ import annotations

import time

from django.core.cache import cache


def within_rate(key: str, *, limit: int, per_seconds: int = 60) -> bool:
    """Count one more event for ``key`` in the current window of ``per_seconds``; False once
    the window holds more than ``limit``."""
    window = int(time.time() // per_seconds)
    counter = f"rate:{key}:{window}"
    if cache.add(counter, 1, timeout=per_seconds):
        return True
    try:
        return cache.incr(counter) <= limit
    except ValueError:  # expired between add and incr: a new window
        cache.set(counter, 1, timeout=per_seconds)
        return True
