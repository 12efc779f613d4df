"""The demo agency as planned, before anything is written: clients, families, enrollments
and contacts; and what every part of the planner shares."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from devtools.demo.words import SURNAMES

# --- The plan -----------------------------------------------------------------------------------


# The planner's generator: the same agency every time.
SEED = 2026


@dataclass
class ContactPlan:
    occurred_at: dt.datetime
    contact_type: str
    duration_minutes: int
    travel_minutes: int
    participants: str
    location: str
    note: str
    by_supervisor: bool = False


@dataclass
class EnrollmentPlan:
    program: str
    case_manager: str
    application_date: dt.date
    continuum_stage: str
    case_management_model: str
    presenting_issue: str
    eligibility_note: str
    # Came to the program from detox or inpatient treatment (continuity of care).
    prior_discharge_on: dt.date | None = None
    prior_discharge_from: str = ""
    closed_on: dt.date | None = None
    close_reason: str = ""
    close_note: str = ""
    transfer_to: str | None = None
    contacts: list[ContactPlan] = field(default_factory=list)


@dataclass
class FamilyPlan:
    fields: dict[str, Any]
    # How notes refer to them: "mother Ana", "grandfather Luis".
    called: str


@dataclass
class ClientPlan:
    record_number: str
    team: str
    fields: dict[str, Any]
    kind: str  # "child", "hiv-cfp" or "sud-op": which notes fit
    family: list[FamilyPlan] = field(default_factory=list)
    enrollments: list[EnrollmentPlan] = field(default_factory=list)
    school: str = ""
    # Who registered a client never enrolled; otherwise the case manager of the latest episode.
    registered_by: str = ""


class PlannerBase:
    """What every part of the planner shares: the one seeded generator (every draw in a
    fixed order, so the agency is the same every time), today, and the names taken."""

    rng: random.Random
    today: dt.date
    used_names: set[tuple[str, str]]

    def _unique_name(self, firsts: tuple[str, ...], surname: str | None = None) -> tuple[str, str]:
        while True:
            first = self.rng.choice(firsts)
            last = surname or self.rng.choice(SURNAMES)
            if (first, last) not in self.used_names:
                self.used_names.add((first, last))
                return first, last
            surname = None  # a sibling's name clash: take another family name

    def _phone(self) -> str:
        return f"(208) 555-01{self.rng.randint(0, 99):02d}"
