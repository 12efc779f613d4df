"""Clients, their enrollments and their family members."""

from __future__ import annotations

import random

from django.db import models

from clients.models import Client, Enrollment, FamilyMember
from clients.services import ENROLLMENT_RECORD_FIELDS
from devtools.scale.copy import CopyWriter, copy_batch
from devtools.scale.loader import EnrollmentPlan, Loader, rng_for
from devtools.scale.size import APPLICATION_SKEW, HISTORY_DAYS, OPEN_SHARE, SYNTHETIC_RECORD_PREFIX
from devtools.scale.vocabulary import (
    AFTER_DETOX_SHARE,
    CHILDREN_PROGRAM,
    CITIES,
    FEMALE_NAMES,
    LANGUAGES,
    MALE_NAMES,
    PRESENTING_ISSUES,
    PROGRAM_WEIGHTS,
    PROGRAMS,
    RARE_SURNAME_SHARE,
    STREETS,
    SUBSTANCE_USE_PROGRAM,
    SURNAME_PARTS,
    SURNAME_WEIGHTS,
    SURNAMES,
)


def synthetic_clients() -> models.QuerySet[Client]:
    return Client.objects.filter(record_number__startswith=SYNTHETIC_RECORD_PREFIX)


CLIENT_COLUMNS = [
    "id",
    "record_number",
    "first_name",
    "middle_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "gender_identity",
    "primary_language",
    "interpreter_needed",
    "phone",
    "email",
    "address_line",
    "city",
    "state",
    "postal_code",
    "registered_team_id",
    "created_by_id",
    "created_at",
    "updated_at",
]
ENROLLMENT_COLUMNS = [
    "id",
    "client_id",
    "program_id",
    "case_manager_id",
    "team_id",
    *ENROLLMENT_RECORD_FIELDS,
]
STAGES = [choice for choice, _ in Enrollment.ContinuumStage.choices]
CASE_MANAGEMENT_MODELS = [choice for choice, _ in Enrollment.Model.choices]
CLOSE_REASONS = [choice for choice, _ in Enrollment.CloseReason.choices]
LANGUAGE_NAMES = [language for language, _ in LANGUAGES]
LANGUAGE_WEIGHTS = [weight for _, weight in LANGUAGES]
# Closed with this chance once at least 90 days old: about 80% open overall.
CLOSED_CHANCE = (1 - OPEN_SHARE) / (1 - (90 / HISTORY_DAYS) ** (1 / APPLICATION_SKEW))


def load_clients(loader: Loader) -> None:
    """One client a enrollment, dealt round the case managers in turn."""
    rng = rng_for(loader.seed, "clients")
    # Applications over four years, more of them recent (the agency grew), oldest first
    # so that ids and record numbers follow time.
    applications = sorted(
        loader.days.today - int(HISTORY_DAYS * rng.random() ** APPLICATION_SKEW)
        for _ in range(loader.size.clients)
    )
    # Discharges before an enrollment draw from their own generator: the rest of the agency
    # is the same with or without them.
    discharges = rng_for(loader.seed, "prior-discharges")
    number = synthetic_clients().count()
    with copy_batch() as batch:
        clients = batch.table(Client, CLIENT_COLUMNS)
        enrollments = batch.table(Enrollment, ENROLLMENT_COLUMNS)
        for index, app in enumerate(applications):
            e = _plan_enrollment(loader, rng, index=index, app=app)
            loader.enrollments.append(e)
            number += 1
            created = _write_client(
                loader, rng, clients, e, f"{SYNTHETIC_RECORD_PREFIX}{number:07d}"
            )
            _write_enrollment(loader, rng, enrollments, e, created, _detox_day(discharges, e))
    loader.report.counts["clients"] = len(applications)
    loader.report.counts["enrollments"] = len(loader.enrollments)
    loader.report.counts["open enrollments"] = sum(e.is_open for e in loader.enrollments)


def _plan_enrollment(loader: Loader, rng: random.Random, *, index: int, app: int) -> EnrollmentPlan:
    e = EnrollmentPlan()
    e.id = loader.take(Enrollment)
    e.client_id = loader.take(Client)
    e.cm = index % loader.size.case_managers
    e.team = loader.staff.cm_team[e.cm]
    e.program = rng.choices(range(len(PROGRAMS)), PROGRAM_WEIGHTS)[0]
    e.app = app
    age_days = loader.days.today - app
    e.end = loader.days.today
    if age_days >= 90 and rng.random() < CLOSED_CHANCE:
        e.is_open = False
        e.end = app + rng.randint(60, age_days)
    return e


def _client_name(rng: random.Random) -> tuple[str, str, str]:
    """Sex, first and last name: a third of the surnames from the rare long tail, a few
    hyphenated."""
    sex = rng.choices(("female", "male", "intersex", "unknown"), (48, 48, 1, 3))[0]
    names = FEMALE_NAMES if sex == "female" or rng.random() < 0.5 else MALE_NAMES
    if sex == "male":
        names = MALE_NAMES
    first = rng.choice(names)
    if rng.random() < RARE_SURNAME_SHARE:
        last = rng.choice(SURNAME_PARTS[0]) + rng.choice(SURNAME_PARTS[1])
    else:
        last = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    if rng.random() < 0.05:  # hyphenated
        last = f"{last}-{rng.choice(SURNAMES)}"
    return sex, first, last


def _write_client(
    loader: Loader, rng: random.Random, clients: CopyWriter, e: EnrollmentPlan, record_number: str
) -> str:
    """The client's row; returns when it was registered (the enrollment's created_at)."""
    days = loader.days
    sex, first, last = _client_name(rng)
    child = e.program == CHILDREN_PROGRAM
    years = rng.randint(5, 17) if child else rng.randint(18, 75)
    born = e.app - years * 365 - rng.randint(0, 364)
    language = rng.choices(LANGUAGE_NAMES, LANGUAGE_WEIGHTS)[0]
    city, postal_code = rng.choice(CITIES)
    created = days.ts(e.app, 540 + rng.randint(0, 420))
    clients.row(
        e.client_id,
        record_number,
        first,
        rng.choice(("", "", "", "A.", "J.", "M.")),
        last,
        rng.choice(("", "", "", "", "", "", "", "", "", first[:3])),
        days.date(born),
        sex,
        "",
        language,
        language != "English" and rng.random() < 0.6,
        f"208-555-{rng.randint(0, 9999):04d}",
        "",
        f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
        city,
        "ID",
        postal_code,
        loader.staff.team_ids[e.team],
        loader.staff.case_managers[e.cm],
        created,
        created,
    )
    return created


def _detox_day(rng: random.Random, e: EnrollmentPlan) -> int | None:
    """The day some substance-use clients were discharged from detox: a few days before
    applying (the continuity-of-care report's discharge rows)."""
    if e.program != SUBSTANCE_USE_PROGRAM or rng.random() >= AFTER_DETOX_SHARE:
        return None
    return e.app - rng.randint(1, 6)


def _write_enrollment(
    loader: Loader,
    rng: random.Random,
    enrollments: CopyWriter,
    e: EnrollmentPlan,
    created: str,
    detox_day: int | None,
) -> None:
    days = loader.days
    enrollments.row(
        e.id,
        e.client_id,
        loader.programs[e.program].pk,
        loader.staff.case_managers[e.cm],
        loader.staff.team_ids[e.team],
        "open" if e.is_open else "closed",
        days.date(e.app),
        rng.choice(STAGES),
        rng.choice(CASE_MANAGEMENT_MODELS),
        rng.choice(PRESENTING_ISSUES[e.program]),
        "",
        days.date(detox_day),
        "" if detox_day is None else Enrollment.DischargedFrom.DETOX.value,
        None if e.is_open else days.date(e.end),
        "" if e.is_open else rng.choice(CLOSE_REASONS),
        "",
        created,
        created if e.is_open else days.ts(e.end),
    )


def load_families(loader: Loader) -> None:
    rng = rng_for(loader.seed, "families")
    days = loader.days
    columns = [
        "id",
        "client_id",
        "first_name",
        "last_name",
        "relationship",
        "date_of_birth",
        "is_guardian",
        "lives_in_household",
        "takes_part_in_planning",
        "phone",
        "created_at",
        "updated_at",
    ]
    with copy_batch() as batch:
        rows = batch.table(FamilyMember, columns)
        for e in loader.enrollments:
            created = days.ts(e.app)
            if e.program == CHILDREN_PROGRAM:
                members = [("parent", True)] * rng.choice((1, 1, 2)) + [
                    ("sibling", False)
                ] * rng.choice((0, 0, 1, 2))
            else:
                members = rng.choice(
                    (
                        [],
                        [],
                        [("spouse_partner", False)],
                        [("child", False)],
                        [("spouse_partner", False), ("child", False)],
                    )
                )
            for relationship, guardian in members:
                adult = relationship in ("parent", "spouse_partner")
                born = e.app - (rng.randint(25, 60) if adult else rng.randint(2, 20)) * 365
                rows.row(
                    loader.take(FamilyMember),
                    e.client_id,
                    rng.choice(FEMALE_NAMES + MALE_NAMES),
                    rng.choice(SURNAMES),
                    relationship,
                    days.date(born),
                    guardian,
                    True,
                    guardian,
                    f"208-555-{rng.randint(0, 9999):04d}" if adult else "",
                    created,
                    created,
                )
        loader.report.counts["family members"] = rows.rows
