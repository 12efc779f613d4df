"""``/health/``: the load balancer's check. It answers over plain HTTP (exempt from the HTTPS
redirect, ``SECURE_REDIRECT_EXEMPT``), reads no session and no client data, and sets no
cookie: 200 when this process answers and its database does (one ``SELECT 1``), 503 when the
database does not, so that the balancer takes the instance out. The body names only which.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
