"""The request type of a view behind the login.

Every page view is behind ``login_required`` (and every API view behind DRF's
``IsAuthenticated``), so its ``request.user`` is always a staff ``User``. Views say so once, in
their signature, instead of narrowing the user in every body (as Healthchecks'
``AuthenticatedHttpRequest``).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from accounts.selectors import WorklistChoice, worklist_choice
from casemgmt.service_forms import int_param


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def worklist_asked(request: AuthenticatedHttpRequest) -> WorklistChoice:
    """Whose work a list page shows, from ``?team=`` and ``?case_manager=`` (see
    accounts.selectors.worklist_choice); a case manager outside the viewer's teams answers 404."""
    try:
        return worklist_choice(
            viewer=request.user,
            team_id=int_param(request, "team"),
            case_manager_id=int_param(request, "case_manager"),
        )
    except LookupError as missing:
        raise Http404(str(missing)) from missing
