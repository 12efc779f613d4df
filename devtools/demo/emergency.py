"""The demo's emergency access ("break the glass", clients.emergency): one case manager of the
Pocatello team opened a client of the Boise team one night three days before the seeding, and
the grant has expired since. The grants pages (the supervisor's review, the access log page)
have a row to show, and the crawl stays the same whenever it runs: no grant is in force, so
no page a role reaches depends on the hour.

Written directly, not through the service: the service grants from now and emails the
supervisor, and a demo grant is in the past. Written only when its holder has none, so a
second run changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from clients.models import EMERGENCY_ACCESS_DURATION, EmergencyAccess, Enrollment
from devtools.demo.staff import BOISE

HOLDER = "ben"
DAYS_AGO = 3


def write_emergency_access(*, users: dict[str, User]) -> None:
    holder = users[HOLDER]
    if EmergencyAccess.objects.filter(user=holder).exists():
        return
    enrollment = (
        Enrollment.objects.open()
        .filter(team__name=BOISE)
        .select_related("client")
        .order_by("client__record_number")
        .first()
    )
    if enrollment is None:
        return
    night = timezone.localtime() - dt.timedelta(days=DAYS_AGO)
    granted_at = night.replace(hour=2, minute=10, second=0, microsecond=0)
    EmergencyAccess.objects.create(
        user=holder,
        client=enrollment.client,
        category=EmergencyAccess.Category.CLIENT_SAFETY,
        reason="Police asked for a welfare check at 2 a.m.; the client's case manager was "
        "off duty and the on-call line had no safety plan.",
        granted_at=granted_at,
        expires_at=granted_at + EMERGENCY_ACCESS_DURATION,
        client_team_ids=[enrollment.team_id],
    )
