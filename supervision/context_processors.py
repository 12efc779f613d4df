"""What every page's navigation bar needs from supervision: the viewer's count (open flags,
or pending variances for administrators), looked up only when the template shows it."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest
from django.urls import reverse

from supervision.selectors import NavigationCount, navigation_count


class NavigationFlags:
    """Lazy: nothing is asked of the database until a template reads ``show``, ``count``,
    ``label`` or ``url``, and then one query (none for anonymous users or QA reviewers).
    Partials answered to htmx never render the navigation bar, so they never ask."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def _count(self) -> NavigationCount | None:
        return navigation_count(self._request.user)

    @property
    def show(self) -> bool:
        return self._count is not None

    @property
    def count(self) -> int:
        return self._count.count if self._count is not None else 0

    @property
    def label(self) -> str:
        return self._count.label if self._count is not None else ""

    @property
    def url(self) -> str:
        """Where the count leads: the flag list, or the administrator's variance queue."""
        if self._count is not None and self._count.kind == "variances":
            return reverse("supervision:variance_queue")
        return reverse("supervision:flag_list")


def navigation(request: HttpRequest) -> dict[str, NavigationFlags]:
    return {"nav_flags": NavigationFlags(request)}
