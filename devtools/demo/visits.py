"""The demo schedules: each case manager's planned visits around today, so the week view, My
work, the calendar feed and "Record contact" from a visit have something to show.

For each demo case manager, on the first clients of their open caseload (by record number):
a home visit tomorrow, an office visit in three days, a telehealth visit next week that was
cancelled, and three from the last few days: one still planned (neither recorded nor marked
missed, so it stays on My work), one marked missed (with its attempted contact) and one
recorded (with its contact). Every optional field is filled. Written only when no visit
exists, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from clients.models import Contact, Enrollment
from scheduling import services
from scheduling.models import Place, PlannedVisit
from serviceplans.models import Goal, ServicePlan

CASE_MANAGERS = ("alex", "priya", "jordan", "maria", "tom", "grace", "ben", "leah")
CType = Contact.Type


@dataclass(frozen=True)
class VisitPlan:
    days_from_today: int
    at: dt.time
    minutes: int
    place: str
    location: str
    contact_type: str
    with_whom: str
    purpose: str
    outcome: str = "planned"  # planned, cancelled, missed or recorded


VISITS = (
    VisitPlan(1, dt.time(10, 0), 60, Place.HOME, "Side door; call from the car",
              CType.HOME_VISIT, "Client and parent", "Review the safety plan at home."),
    VisitPlan(3, dt.time(14, 30), 45, Place.OFFICE, "Room 2, ground floor",
              CType.FACE_TO_FACE, "Client", "Go through the service plan's next steps."),
    VisitPlan(8, dt.time(9, 15), 30, Place.TELEHEALTH, "Video link sent by text",
              CType.VIDEO, "Client and grandmother", "Check in after the school meeting.",
              "cancelled"),
    VisitPlan(-1, dt.time(11, 0), 60, Place.COMMUNITY, "Library on Main Street",
              CType.FACE_TO_FACE, "Client", "Help with the housing application."),
    VisitPlan(-2, dt.time(15, 0), 60, Place.HOME, "Apartment 4B",
              CType.HOME_VISIT, "Client and partner", "Medication routine at home.", "missed"),
    VisitPlan(-3, dt.time(13, 0), 20, Place.PHONE, "Client's mobile",
              CType.PHONE, "Client", "Confirm the clinic appointment.", "recorded"),
)  # fmt: skip


def _start(today: dt.date, visit: VisitPlan) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=visit.days_from_today), visit.at)
    )


def _fields(today: dt.date, visit: VisitPlan) -> dict[str, object]:
    return {
        "scheduled_start": _start(today, visit),
        "expected_minutes": visit.minutes,
        "place": visit.place,
        "location": visit.location,
        "contact_type": visit.contact_type,
        "with_whom": visit.with_whom,
        "purpose": visit.purpose,
    }


def _write_visit(
    case_manager: User, enrollment: Enrollment, plan: VisitPlan, today: dt.date
) -> None:
    if plan.days_from_today >= 0:
        visit = services.visit_plan(
            actor=case_manager, enrollment=enrollment, **_fields(today, plan)
        )
    else:
        # Planned back then: the service plans only from today on, so the past is written
        # as it stood (a visit is planned on the day or before it).
        visit = PlannedVisit(
            enrollment=enrollment, case_manager=case_manager, **_fields(today, plan)
        )
        visit.full_clean()
        visit.save()
    if plan.outcome == "cancelled":
        services.visit_cancel(actor=case_manager, visit=visit)
    elif plan.outcome == "missed":
        services.visit_mark_missed(
            actor=case_manager, visit=visit, note="No answer at the door; left a card."
        )
    elif plan.outcome == "recorded":
        goals = Goal.objects.filter(
            plan__enrollment=enrollment, plan__status=ServicePlan.Status.ACTIVE
        )[:1]
        services.visit_record_contact(
            actor=case_manager,
            visit=visit,
            enrollment=enrollment,
            occurred_at=visit.scheduled_start,
            contact_type=plan.contact_type,
            duration_minutes=plan.minutes,
            participants=plan.with_whom,
            location=visit.contact_location,
            goals=list(goals),
            note="Confirmed Thursday's clinic appointment; transport arranged.",
        )


def write_visits(*, users: dict[str, User], today: dt.date) -> None:
    if PlannedVisit.objects.exists():
        return
    for username in CASE_MANAGERS:
        case_manager = users[username]
        enrollments = list(
            Enrollment.objects.filter(case_manager=case_manager, status=Enrollment.Status.OPEN)
            .select_related("client")
            .order_by("client__record_number", "id")[: len(VISITS)]
        )
        for enrollment, plan in zip(enrollments, VISITS, strict=False):
            _write_visit(case_manager, enrollment, plan, today)
