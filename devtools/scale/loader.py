"""What the parts of the load share: the ids they allocate, the staff and enrollments they
plan for each other, dates as ordinals, and the report of what was loaded."""

from __future__ import annotations

import datetime as dt
import random
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.db import connection, models

from accounts.models import Region, Team, User
from clients.models import Client, Contact, Enrollment, FamilyMember, Program
from devtools.scale.copy import CopyBatch, copy_batch
from devtools.scale.size import HISTORY_DAYS, AgencySize
from outcomes.models import MeasureValue, OutcomeMeasurement
from quality.models import CorrectiveAction, RecordReview, ReviewItem, Sample
from referrals.models import Consent, Disclosure, Provider, ProviderService, Referral, ReferralStep
from scheduling.models import PlannedVisit
from serviceplans.models import (
    Assessment,
    Barrier,
    ContactGoal,
    Goal,
    PlanAction,
    PlanReview,
    RiskAlert,
    RiskScreen,
    ServicePlan,
)
from supervision.models import (
    ConferenceParticipant,
    FollowUpTask,
    RegionalPlan,
    RegionalPlanGoal,
    SupervisionNote,
    Variance,
)

LOADED_MODELS: tuple[type[models.Model], ...] = (
    Region,
    Team,
    User,
    Team.supervisors.through,
    Provider,
    ProviderService,
    Client,
    FamilyMember,
    Enrollment,
    Assessment,
    RiskScreen,
    RiskAlert,
    ServicePlan,
    Goal,
    PlanAction,
    Barrier,
    PlanReview,
    Contact,
    ContactGoal,
    Consent,
    Referral,
    ReferralStep,
    Disclosure,
    SupervisionNote,
    FollowUpTask,
    ConferenceParticipant,
    Variance,
    RegionalPlan,
    RegionalPlanGoal,
    PlannedVisit,
    OutcomeMeasurement,
    MeasureValue,
    Sample,
    RecordReview,
    ReviewItem,
    CorrectiveAction,
)


@dataclass
class Staff:
    case_managers: list[int] = field(default_factory=list)  # user ids
    cm_team: list[int] = field(default_factory=list)  # team index of each case manager
    team_ids: list[int] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)
    supervisors: list[int] = field(default_factory=list)  # per team index
    administrators: list[int] = field(default_factory=list)


class EnrollmentPlan:
    """What later parts need to know of one (synthetic) enrollment."""

    __slots__ = (
        "app",
        "client_id",
        "cm",
        "end",
        "first_assessed",
        "id",
        "is_open",
        "plans",
        "program",
        "team",
    )

    def __init__(self) -> None:
        self.id = 0
        self.client_id = 0
        self.cm = 0  # case manager index
        self.team = 0  # team index
        self.program = 0  # program index
        self.is_open = True
        self.app = 0  # application date (ordinal)
        self.end = 0  # closed_on, or today (ordinal)
        self.first_assessed: int | None = None
        # Approved plans in force: (approved ordinal, superseded ordinal or None, goal ids).
        self.plans: list[tuple[int, int | None, list[int]]] = []


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    history: str = ""
    benchmark_client_id: int | None = None


class Days:
    """Dates as ordinals, their ISO strings and their agency-time UTC offsets, cached."""

    def __init__(self, today: dt.date) -> None:
        self.today = today.toordinal()
        self.start = self.today - HISTORY_DAYS
        self._tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self._iso: dict[int, str] = {}
        self._offset: dict[int, str] = {}

    def iso(self, day: int) -> str:
        text = self._iso.get(day)
        if text is None:
            text = self._iso[day] = dt.date.fromordinal(day).isoformat()
        return text

    def offset(self, day: int) -> str:
        # The office hours of a day are on one side of any DST change (changes are at 2 am).
        text = self._offset.get(day)
        if text is None:
            noon = dt.datetime.combine(dt.date.fromordinal(day), dt.time(12), tzinfo=self._tz)
            offset = noon.utcoffset()
            assert offset is not None  # an aware datetime always has one
            minutes = int(offset.total_seconds() // 60)
            sign = "-" if minutes < 0 else "+"
            text = self._offset[day] = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return text

    def ts(self, day: int, minute: int = 600) -> str:
        """A timestamp with time zone: ``minute`` minutes after midnight, agency time."""
        return f"{self.iso(day)} {minute // 60:02d}:{minute % 60:02d}:00{self.offset(day)}"

    def date(self, day: int | None) -> dt.date | None:
        return None if day is None else dt.date.fromordinal(day)


def next_ids(*models_: type[models.Model]) -> dict[type[models.Model], int]:
    """The first free id of each table: the loader allocates its ids past the current maximum
    (a database without clients may still hold staff, programs or providers)."""
    firsts = {}
    with connection.cursor() as cursor:
        for model in models_:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # nosec B608  # table names from the models; values as parameters
            firsts[model] = cursor.fetchone()[0]
    return firsts


def rng_for(seed: int, part: str) -> random.Random:
    """A part's own generator, so that one part's draws do not shift another's."""
    return random.Random(f"{seed}-{part}")


class Loader:
    """The state the parts of the load share, in the order they run: each part reads what
    the earlier ones planned (staff, programs, providers, enrollments, alerts)."""

    def __init__(
        self,
        *,
        size: AgencySize,
        seed: int,
        today: dt.date,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.size = size
        self.seed = seed
        self.days = Days(today)
        self.log = log
        self.report = LoadReport()
        self.staff = Staff()
        self.enrollments: list[EnrollmentPlan] = []
        self.programs: list[Program] = []
        self.providers: list[tuple[int, list[int]]] = []  # (provider id, service ids)
        self.ids: dict[type[models.Model], int] = next_ids(*LOADED_MODELS)
        # Positive risk screens, for the supervision notes that review them:
        # (alert id, enrollment, reviewed day or None, concerns).
        self.alerts: list[tuple[int, EnrollmentPlan, int | None, list[str]]] = []

    def take(self, model: type[models.Model]) -> int:
        """The next id of ``model``'s table."""
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def step(self, name: str, started: float, rows: int | None = None) -> None:
        seconds = time.monotonic() - started
        self.report.seconds[name] = round(seconds, 2)
        self.log(f"  {name}: {rows if rows is not None else ''} ({seconds:.1f} s)")

    def finish(self) -> None:
        """Move every id sequence past the loaded rows and refresh the planner's statistics."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in LOADED_MODELS:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # nosec B608  # table names from the models; values as parameters
                    f"COALESCE((SELECT MAX(id) FROM {quote(table)}), 1), "
                    f"(SELECT MAX(id) FROM {quote(table)}) IS NOT NULL)",
                    [table],
                )
            for model in LOADED_MODELS:
                cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


class EnrollmentWriter(Protocol):
    """Writes the rows of one record kind for each enrollment in turn."""

    def enrollment(self, e: EnrollmentPlan) -> None: ...

    def counts(self) -> dict[str, int]: ...


def load_per_enrollment(
    loader: Loader, writer: Callable[[Loader, CopyBatch], EnrollmentWriter]
) -> None:
    """Run ``writer`` over every enrollment in one batch of tables, and report its counts."""
    with copy_batch() as batch:
        each = writer(loader, batch)
        for e in loader.enrollments:
            each.enrollment(e)
    loader.report.counts.update(each.counts())
