"""The demo contacts: spaced by program, in office hours, of each type in its proportion,
with notes that name the family; and the few crises after an ordinary contact."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from clients.models import Contact, Enrollment, FamilyMember
from devtools.demo.notes import (
    CASE_CONFERENCE_PARTICIPANTS,
    COLLATERAL_NOTES,
    CRISIS_NOTES,
    MINUTES,
    NOTES,
    TYPE_WEIGHTS,
)
from devtools.demo.plan import ClientPlan, ContactPlan, EnrollmentPlan, PlannerBase
from devtools.demo.words import CONTACT_SPACING

Stage = Enrollment.ContinuumStage
CType = Contact.Type
Rel = FamilyMember.Relationship


# Contacts cover about four months and stop a few days before today.
CONTACT_HISTORY_DAYS = 120
NEWEST_CONTACT_DAYS_AGO = 2


class ContactPlanner(PlannerBase):
    """The contact-planning part of :class:`devtools.demo.planner.AgencyPlanner`."""

    def _contact_time(self, day: dt.date, at: dt.time | None = None) -> dt.datetime:
        """Office hours unless given a time (crises keep theirs)."""
        moment = at or dt.time(self.rng.randint(8, 16), self.rng.choice((0, 15, 30, 45)))
        return timezone.make_aware(dt.datetime.combine(day, moment))

    def _plan_contacts(self, client: ClientPlan, enrollment: EnrollmentPlan) -> None:
        rng = self.rng
        start = max(
            enrollment.application_date + dt.timedelta(days=1),
            self.today - dt.timedelta(days=CONTACT_HISTORY_DAYS),
        )
        if enrollment.closed_on is not None:
            end = enrollment.closed_on - dt.timedelta(days=rng.randint(0, 10))
        else:
            # Days since the last contact: mostly recent, some well past the 30-day standard.
            gap = rng.choices(
                [(NEWEST_CONTACT_DAYS_AGO, 10), (11, 30), (31, 75)], weights=[55, 27, 18]
            )[0]
            end = self.today - dt.timedelta(days=rng.randint(*gap))
        days: list[dt.date] = []
        day = end
        fewest, most = CONTACT_SPACING[enrollment.program]
        while day >= start:
            # Office hours: weekend dates move back to the Friday.
            weekday_day = day - dt.timedelta(days=max(0, day.weekday() - 4))
            if weekday_day >= start:
                days.append(weekday_day)
            day -= dt.timedelta(days=rng.randint(fewest, most))
        days.reverse()
        lost = enrollment.close_reason == Enrollment.CloseReason.LOST_CONTACT
        for index, day in enumerate(days):
            contact_type = self._contact_type(client, enrollment)
            if lost and index >= len(days) - 3:
                contact_type = CType.ATTEMPTED
            enrollment.contacts.append(self._contact(client, enrollment, day, contact_type))

    def _contact_type(self, client: ClientPlan, enrollment: EnrollmentPlan) -> str:
        weights = dict(TYPE_WEIGHTS[client.kind if client.kind == "child" else enrollment.program])
        if enrollment.continuum_stage == Stage.CASE_FINDING:
            weights[CType.ATTEMPTED] *= 3  # outreach: many tries before engagement
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _note_words(self, client: ClientPlan) -> dict[str, str]:
        first = client.fields["preferred_name"] or client.fields["first_name"]
        guardian = client.family[0].called if client.family else "the family"
        partners = [
            m.called for m in client.family if m.fields["relationship"] == Rel.SPOUSE_PARTNER
        ]
        return {
            "first": first,
            "guardian": guardian,
            "Guardian": guardian[0].upper() + guardian[1:],
            "school": client.school or "school",
            "partner": partners[0] if partners else "a family member",
            "days": str(self.rng.randint(2, 5)),
        }

    def _contact(
        self, client: ClientPlan, enrollment: EnrollmentPlan, day: dt.date, contact_type: str
    ) -> ContactPlan:
        rng = self.rng
        kind = client.kind if client.kind == "child" else enrollment.program
        words = self._note_words(client)
        duration_range, travel_range = MINUTES[contact_type]
        travel = rng.randint(*travel_range)
        first, guardian = words["first"], words["guardian"]
        with_family = f"{first}, {guardian}" if kind == "child" else first
        if contact_type == CType.COLLATERAL:
            participants, note = rng.choice(COLLATERAL_NOTES[kind])
            location = "By phone"
        else:
            note = rng.choice(NOTES[kind][contact_type])
            who_and_where: dict[str, tuple[str, str]] = {
                CType.HOME_VISIT: (with_family, "Client's home"),
                CType.FACE_TO_FACE: (with_family, "Agency office"),
                CType.PHONE: (guardian if kind == "child" else first, "By phone"),
                CType.VIDEO: (with_family, "Video call"),
                CType.CASE_CONFERENCE: (CASE_CONFERENCE_PARTICIPANTS[kind], "Agency office"),
                CType.ATTEMPTED: ("", "Client's home" if travel else "By phone"),
            }
            participants, location = who_and_where[contact_type]
        return ContactPlan(
            occurred_at=self._contact_time(day),
            contact_type=contact_type,
            duration_minutes=rng.randint(*duration_range),
            travel_minutes=travel,
            participants=participants.format(**words),
            location=location,
            note=note.format(**words),
        )

    def _plan_crises(self, episodes: list[tuple[ClientPlan, EnrollmentPlan]]) -> None:
        rng = self.rng
        taken: set[int] = set()
        for index, (kind, at, location, template) in enumerate(CRISIS_NOTES):
            candidates = [
                (c, e)
                for c, e in episodes
                if c.kind == kind
                and e.closed_on is None
                and id(e) not in taken
                and len(e.contacts) >= 3
                and e.program == ("cmh-sed" if kind == "child" else kind)
            ]
            client, enrollment = rng.choice(candidates)
            taken.add(id(enrollment))
            # The day after an ordinary contact that is not the last, so a follow-up is in
            # the log after it.
            after = enrollment.contacts[rng.randint(0, len(enrollment.contacts) - 2)]
            day = timezone.localdate(after.occurred_at) + dt.timedelta(days=1)
            words = self._note_words(client)
            duration_range, travel_range = MINUTES[CType.CRISIS_INTERVENTION]
            by_phone = location == "By phone"
            crisis = ContactPlan(
                occurred_at=self._contact_time(day, at),
                contact_type=CType.CRISIS_INTERVENTION,
                duration_minutes=rng.randint(*duration_range),
                travel_minutes=0 if by_phone else rng.randint(*travel_range),
                participants=(
                    f"{words['first']}, {words['guardian']}" if kind == "child" else words["first"]
                ),
                location=location.format(**words),
                note=template.format(**words),
                # The first: the on-call supervisor went out and wrote it up.
                by_supervisor=index == 0,
            )
            enrollment.contacts.append(crisis)
            enrollment.contacts.sort(key=lambda c: c.occurred_at)
