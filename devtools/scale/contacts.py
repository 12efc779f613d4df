"""Contacts and the plan goals they relate to."""

from __future__ import annotations

import random

from clients.models import Contact
from devtools.scale.copy import CopyWriter, copy_batch
from devtools.scale.loader import EnrollmentPlan, Loader, rng_for
from devtools.scale.size import BENCHMARK_CONTACTS
from devtools.scale.vocabulary import (
    ATTEMPTED,
    CONTACT_NOTES,
    CONTACT_PARTICIPANTS,
    CONTACT_TYPE_WEIGHTS,
    CONTACT_TYPES,
    GOAL_TYPES,
    LOCATIONS,
)
from serviceplans.models import ContactGoal


def contact_counts(loader: Loader, rng: random.Random) -> list[int]:
    """Per enrollment: about ``contacts_per_client`` on average, in proportion to how long
    the episode lasted, and exactly BENCHMARK_CONTACTS for the benchmark's client."""
    durations = [e.end - e.app + 1 for e in loader.enrollments]
    mean = sum(durations) / len(durations)
    per_day = loader.size.contacts_per_client / mean
    counts = [max(0, round(per_day * d * rng.uniform(0.5, 1.5))) if d else 0 for d in durations]
    chosen = _benchmark_enrollment(loader)
    if chosen is not None:
        counts[chosen] = BENCHMARK_CONTACTS
        loader.report.benchmark_client_id = loader.enrollments[chosen].client_id
    return counts


COLUMNS = [
    "id",
    "enrollment_id",
    "client_id",
    "author_id",
    "occurred_at",
    "contact_type",
    "duration_minutes",
    "travel_minutes",
    "participants",
    "location",
    "note",
    "created_at",
    "updated_at",
]
TYPE_CHOICES = list(range(len(CONTACT_TYPES)))
GOAL_BITS = 40
ENROLLMENT_BITS = 22


def _benchmark_enrollment(loader: Loader) -> int | None:
    """The first case manager's oldest open enrollment of at least a year (or else their
    oldest open one): the client page the benchmark requests."""
    first_open = [n for n, e in enumerate(loader.enrollments) if e.cm == 0 and e.is_open]
    enrollments = loader.enrollments
    a_year = [n for n in first_open if enrollments[n].end - enrollments[n].app >= 365]
    chosen = a_year or first_open
    return chosen[0] if chosen else None


def load_contacts(loader: Loader) -> None:
    """Contacts in the order they happened (so a client's contacts are spread over the
    table as they would be after four years of use, not clustered), each one packed into
    an int (time, enrollment, type, minutes, note, goal) so that two million sort fast."""
    rng = rng_for(loader.seed, "contacts")
    counts = contact_counts(loader, rng)
    packed: list[int] = []
    for index, (e, count) in enumerate(zip(loader.enrollments, counts, strict=True)):
        _pack_enrollment(loader, rng, packed, index=index, e=e, count=count)
    packed.sort()
    with copy_batch() as batch:
        contacts = batch.table(Contact, COLUMNS)
        links = batch.table(ContactGoal, ["id", "contact_id", "goal_id"])
        _write(loader, packed, contacts, links)
    loader.report.counts["contacts"] = len(packed)
    loader.report.counts["contact goal links"] = links.rows


def _pack_enrollment(
    loader: Loader,
    rng: random.Random,
    packed: list[int],
    *,
    index: int,
    e: EnrollmentPlan,
    count: int,
) -> None:
    """The enrollment's ``count`` contacts, packed (see :func:`_write` for the layout)."""
    days = loader.days
    span = e.end - e.app
    recent = e.is_open and rng.random() < 0.85
    types = rng.choices(TYPE_CHOICES, CONTACT_TYPE_WEIGHTS, k=count)
    for n in range(count):
        first_of_recent = recent and n == 0
        if first_of_recent:
            # Most open episodes were reached within the monitoring window.
            day = max(e.app, days.today - rng.randint(0, 25))
        else:
            day = e.app + rng.randint(0, span)
        minute = (day - days.start) * 1440 + 480 + rng.randrange(0, 570)
        kind = 0 if first_of_recent and types[n] == ATTEMPTED else types[n]
        duration = 5 if kind == ATTEMPTED else rng.randrange(10, 95, 5)
        travel = rng.randrange(5, 60, 5) if kind == 1 else 0
        goal = 0
        if kind in GOAL_TYPES and e.plans and rng.random() < 0.4:
            goal = _goal(rng, e, day)
        packed.append(
            (
                ((((minute << ENROLLMENT_BITS | index) << 3 | kind) << 7 | duration) << 6 | travel)
                << 5
                | rng.randrange(len(CONTACT_NOTES))
            )
            << GOAL_BITS
            | goal
        )


def _goal(rng: random.Random, e: EnrollmentPlan, day: int) -> int:
    """A goal of the plan in force on the day, plus one (0 is no goal)."""
    goal = 0
    for approved, superseded, goal_ids in e.plans:
        if approved <= day and (superseded is None or day < superseded):
            goal = goal_ids[rng.randrange(len(goal_ids))] + 1
    return goal


def _write(loader: Loader, packed: list[int], contacts: CopyWriter, links: CopyWriter) -> None:
    """Unpack each contact, from the low bits: goal + 1 (40 bits), note (5), travel
    minutes (6), duration (7), type (3), enrollment index (22), minute since the start of
    the history; and write its line (formatted here: this loop runs millions of times)."""
    days, staff = loader.days, loader.staff
    goal_mask = (1 << GOAL_BITS) - 1
    next_id = loader.ids[Contact]
    line, link = contacts.line, links.line
    participants = CONTACT_PARTICIPANTS
    for value in packed:
        goal = value & goal_mask
        value >>= GOAL_BITS
        note = value & 31
        value >>= 5
        travel = value & 63
        value >>= 6
        duration = value & 127
        value >>= 7
        kind = value & 7
        value >>= 3
        index = value & ((1 << ENROLLMENT_BITS) - 1)
        minute = value >> ENROLLMENT_BITS
        e = loader.enrollments[index]
        day, minute_of_day = divmod(minute, 1440)
        day += days.start
        stamp = (
            f"{days.iso(day)} {minute_of_day // 60:02d}:{minute_of_day % 60:02d}:00"
            f"{days.offset(day)}"
        )
        line(
            f"{next_id}\t{e.id}\t{e.client_id}\t{staff.case_managers[e.cm]}\t{stamp}\t"
            f"{CONTACT_TYPES[kind]}\t{duration}\t{travel}\t"
            f"{participants[note % len(participants)]}\t{LOCATIONS[kind]}\t"
            f"{CONTACT_NOTES[note % len(CONTACT_NOTES)]}\t{stamp}\t{stamp}\n"
        )
        if goal:
            link(f"{loader.take(ContactGoal)}\t{next_id}\t{goal - 1}\n")
        next_id += 1
    loader.ids[Contact] = next_id
