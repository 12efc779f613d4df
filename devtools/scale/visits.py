"""Planned visits: each open enrollment's visits from four weeks back to eight weeks ahead,
about one a fortnight, so a case manager's week (/schedule/) and a team's hold the rows a
real schedule would. A past visit has been dealt with, and stands here as cancelled (recorded
and missed visits name a contact, which this part does not plan), but for one in twenty, left
planned: a visit neither recorded nor marked missed, which My work lists until it is."""

from __future__ import annotations

from devtools.scale.copy import copy_batch
from devtools.scale.loader import Loader, rng_for
from scheduling.models import Place, PlannedVisit

VISIT_COLUMNS = [
    "id",
    "enrollment_id",
    "case_manager_id",
    "scheduled_start",
    "expected_minutes",
    "place",
    "location",
    "contact_type",
    "with_whom",
    "purpose",
    "status",
    "contact_id",
    "created_at",
    "updated_at",
]
PLACES = (Place.HOME, Place.OFFICE, Place.COMMUNITY, Place.TELEHEALTH, Place.PHONE)
TYPES = {
    Place.HOME: "home_visit",
    Place.OFFICE: "face_to_face",
    Place.COMMUNITY: "face_to_face",
    Place.TELEHEALTH: "video",
    Place.PHONE: "phone",
}
DAYS_BACK = 28
DAYS_AHEAD = 56
PAST_DEALT_WITH = 0.95


def load_visits(loader: Loader) -> None:
    rng = rng_for(loader.seed, "visits")
    days, staff = loader.days, loader.staff
    with copy_batch() as batch:
        visits = batch.table(PlannedVisit, VISIT_COLUMNS)
        for e in loader.enrollments:
            if not e.is_open:
                continue
            day = days.today - DAYS_BACK + rng.randint(0, 13)
            while day <= days.today + DAYS_AHEAD:
                weekday = day - max(0, (day - 1) % 7 - 4)  # weekends move back to Friday
                place = rng.choice(PLACES)
                past = weekday < days.today
                status = "cancelled" if past and rng.random() < PAST_DEALT_WITH else "planned"
                minute = rng.randint(16, 32) * 30  # 08:00 to 16:00
                visits.row(
                    loader.take(PlannedVisit),
                    e.id,
                    staff.case_managers[e.cm],
                    days.ts(weekday, minute),
                    rng.choice((30, 45, 60, 90)),
                    place,
                    "",
                    TYPES[place],
                    "Client",
                    "Check in on the plan's goals.",
                    status,
                    None,
                    days.ts(min(weekday, days.today) - 7, 540),
                    days.ts(min(weekday, days.today) - 7, 540),
                )
                day += rng.randint(10, 18)
        loader.report.counts["planned visits"] = visits.rows
