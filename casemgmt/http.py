"""The request type of a view behind the login.

Every page view is behind ``login_required`` (and every API view behind DRF's
``IsAuthenticated``), so its ``request.user`` is always a staff ``User``. Views say so once, in
their signature, instead of narrowing the user in every body (as Healthchecks'
``AuthenticatedHttpRequest``).
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
