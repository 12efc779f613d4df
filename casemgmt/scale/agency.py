"""A synthetic agency proportional to a number of clients, bulk-loaded with COPY.

For 100,000 clients: 10 regions, 170 teams of 10 case managers (1,700) each with a
supervisor, about 80% of the enrollments open, about 2,000,000 contacts over four years,
about 150,000 comprehensive assessments, risk screens (some positive, a few not yet reviewed),
service plans with goals, interventions, barriers and reviews, about 200,000 referrals with
their steps, consents and disclosures, family members, supervision notes with follow-up
tasks, variances (some pending for the administrators' queue) and regional plans. Flags are
raised at the end by the compliance engine itself (supervision.compliance.compliance_evaluate),
as the first nightly run would.

**Synthetic only.** Every synthetic client has a legacy record number starting ``SYN-`` and
every synthetic login a username starting ``syn-``. The loader refuses a database that holds
any other client (the demo agency's included): it is for an empty database made to be
measured, never for one with real records.

**Deterministic.** Everything is drawn from ``random.Random`` seeded with the seed and the
name of the part (``f"{seed}-contacts"``), relative to today's date, so a seed gives the same
agency (see :func:`agency_fingerprint`) and one part's draws do not shift another's.

**History and protection triggers are bypassed, on purpose.** The load runs in one
transaction with ``SET LOCAL session_replication_role = replica`` (when the database user is
a superuser, as on the development and CI servers): django-pghistory's insert triggers would
write a second copy of every row (doubling the work) and the synthetic rows have no history
to keep; the pgtrigger protections only refuse UPDATE and DELETE, which the loader never
does; and foreign-key checks (also triggers) are skipped because the loader makes every key
itself, from ids it allocates past each table's current maximum. The setting is reset as
soon as the rows are written (SET LOCAL would end with the transaction anyway), so everything
written afterwards (the flags of the compliance run, every request of the benchmark) has its
history and checks as usual. Without superuser rights the triggers fire and
the history is written: slower, not different. The id sequences are moved past the loaded
rows (``setval``) before the transaction commits, so the app's own inserts go on from there;
the ``CW-`` record-number sequence is untouched (synthetic numbers are legacy ``SYN-`` ones).
Nothing else needs a trigger's effect: ``Client.search_name`` is a generated column that
PostgreSQL computes during COPY.

Each part plans its rows in Python first and then copies them table by table, parents before
children (casemgmt.scale.copy): 100,000 clients and 2,000,000 contacts load in about 100 s on
the two cores here, the compliance run that raises the flags taking 10 s more.

Left out, as no page measured shows them: assessment findings, goal progress ratings and the
history (event) tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import time
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Region, Role, Team, User
from casemgmt.scale.copy import copy_batch
from clients.models import Client, Contact, Enrollment, FamilyMember, Program
from referrals.models import (
    Consent,
    Disclosure,
    Provider,
    ProviderService,
    Referral,
    ReferralStatus,
    ReferralStep,
    ServiceType,
)
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
    FlagRule,
    FollowUpTask,
    RegionalPlan,
    RegionalPlanGoal,
    SupervisionNote,
    Variance,
)

SYNTHETIC_RECORD_PREFIX = "SYN-"
SYNTHETIC_USERNAME_PREFIX = "syn-"
# Every synthetic login shares this password (hashed once: Argon2 is slow on purpose).
SCALE_PASSWORD = "casework-scale-2026"

# Proportions, per 100,000 clients (issue 6).
CLIENTS_PER_CASE_MANAGER = 100_000 / 1_700
TEAM_SIZE = 10
TEAMS_PER_REGION = 17
DEFAULT_CONTACTS_PER_CLIENT = 20
HISTORY_DAYS = 4 * 365 + 1
OPEN_SHARE = 0.80
# Application dates lean recent: a day ``HISTORY_DAYS * u ** APPLICATION_SKEW`` ago.
APPLICATION_SKEW = 1.5
# The benchmark's client page: a client of the first case manager with exactly this many.
BENCHMARK_CONTACTS = 200


class SeedRefused(Exception):
    """The database is not one seed_scale may write to."""


# --- Vocabulary -------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


FEMALE_NAMES = _words(
    """
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty
Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie
Rebecca Sharon Laura Cynthia Dorothy Amy Kathleen Angela Shirley Emma Brenda Pamela Nicole
Anna Samantha Katherine Christine Debra Rachel Carolyn Janet Maria Olivia Heather Helen
Catherine Diane Julie Victoria Joyce Lauren Kelly Christina Ruth Joan Virginia Judith Evelyn
Hannah Andrea Megan Cheryl Jacqueline Madison Teresa Abigail Sophia Martha Sara Gloria
Janice Kathryn Ann Isabella Judy Charlotte Julia Grace Amber Alice Jean Denise Frances
Danielle Marilyn Natalie Beverly Diana Brittany Theresa Kayla Alexis Doris Lori Tiffany
Guadalupe Rosa Lucia Camila Valeria Ximena Aaliyah Leah
    """
)
MALE_NAMES = _words(
    """
James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel
Matthew Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian Timothy Ronald
George Jason Edward Jeffrey Ryan Jacob Nicholas Gary Eric Jonathan Stephen Larry Justin
Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry
Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Christian
Walter Keith Austin Roger Terry Sean Gerald Carl Dylan Harold Jordan Jesse Bryan Lawrence
Arthur Gabriel Bruce Logan Billy Joe Alan Juan Elijah Willie Albert Wayne Randy Mason
Vincent Liam Roy Bobby Caleb Bradley Russell Lucas Luis Carlos Miguel Diego Mateo Ali Omar
    """
)
SURNAMES = _words(
    """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips
Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook
Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan
Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera
Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison
Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker
Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason
Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox
Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan
Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos
Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews
Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis
Carpenter Lawrence Sandoval Guerrero George Chapman Rios Estrada Ortega Watkins Greene Nunez
Wheeler Valdez Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson Austin
Dominguez Carr Lawson Jacobs Obrien Lynch Singh Vega Bishop Montgomery Oliver Jensen Harvey
Williamson Gilbert Dean Sims Espinoza Howell Li Wong Reid Hanson Le McCoy Garrett Burton
Fuller Wang Weber Welch Rojas Lucas Marquez Fields Park Yang Little Banks Padilla Day Walsh
Bowman Schultz Luna Fowler Mejia Davidson Acosta Brewer May Holland Juarez Newman Pearson
Curtis Cortez Douglas Schneider Joseph Barrett Navarro Figueroa Keller Avila Wade Molina
Stanley Hopkins Campos Barnett Bates Chambers Caldwell Beck Lambert Miranda Byrd Craig Ayala
Lowe Frazier Powers Neal Leonard Gregory Carrillo Sutton Fleming Rhodes Shelton Schwartz
Norris Jennings Watts Duran Walters Cohen McDaniel Moran Parks Steele Vaughn Becker Holt
Deleon Barker Terry Hale Leon Hail Benson Haynes Horton Miles Lyons Pham Sorensen
Christensen Larsen Petersen Madsen Jorgensen Nielsen Hatch Okafor Natarajan
    """
)
# A realistic head: the commonest surname is about 1% of clients, as Smith is in the US (a
# steeper head would make the duplicate search's common-name case unrealistically slow).
SURNAME_WEIGHTS = [1 / (rank + 20) ** 0.75 for rank in range(len(SURNAMES))]
# The long tail: a third of the clients have one of 800 rarer names made of two parts.
SURNAME_PARTS = (
    _words(
        """
        Ander Bald Black Brad Brook Car Cole Dal Ed Fair Gar Hal Hart Kirk Lang Lind Mar Mid Nor
        Ow Pen Ral Ros Stan Thorn Wal Wes Whit Win Ash Bel Cran Dun Fen Gil Hol Mor Pres Rad Sel
        """
    ),
    _words(
        """
        by croft dale field ford gate ham ley low mont more ridge ton ville well wood worth
        stead brook burn
        """
    ),
)
RARE_SURNAME_SHARE = 0.33
CITIES = (
    ("Boise", "83702"),
    ("Meridian", "83642"),
    ("Nampa", "83651"),
    ("Caldwell", "83605"),
    ("Idaho Falls", "83401"),
    ("Pocatello", "83201"),
    ("Coeur d'Alene", "83814"),
    ("Twin Falls", "83301"),
    ("Post Falls", "83854"),
    ("Lewiston", "83501"),
    ("Rexburg", "83440"),
    ("Eagle", "83616"),
    ("Kuna", "83634"),
    ("Moscow", "83843"),
    ("Mountain Home", "83647"),
    ("Blackfoot", "83221"),
    ("Burley", "83318"),
    ("Jerome", "83338"),
    ("Hayden", "83835"),
    ("Sandpoint", "83864"),
)
STREETS = (
    "Main St",
    "Oak Ave",
    "State St",
    "Maple Dr",
    "River Rd",
    "Park Blvd",
    "Elm St",
    "Cedar Ln",
    "Fairview Ave",
    "Franklin Rd",
    "Overland Rd",
    "Chinden Blvd",
)
LANGUAGES = (("English", 85), ("Spanish", 12), ("Vietnamese", 1), ("Arabic", 1), ("Bosnian", 1))

PROGRAMS: tuple[dict[str, Any], ...] = (
    {
        "code": "syn-cmh",
        "name": "Children's Mental Health (synthetic)",
        "description": "Synthetic program for the scale benchmark.",
        "initial_assessment_days": 30,
        "reassessment_interval_days": 365,
        "max_days_between_contacts": 30,
        "plan_review_interval_days": 90,
        "referral_follow_up_days": 14,
    },
    {
        "code": "syn-sud",
        "name": "Substance Use Outpatient (synthetic)",
        "description": "Synthetic program for the scale benchmark.",
        "initial_assessment_days": 30,
        "reassessment_interval_days": 365,
        "max_days_between_contacts": 30,
        "plan_review_interval_days": 90,
        "referral_follow_up_days": 14,
    },
    {
        "code": "syn-hiv",
        "name": "HIV Community Follow-up (synthetic)",
        "description": "Synthetic program for the scale benchmark.",
        "initial_assessment_days": 30,
        "reassessment_interval_days": 365,
        "max_days_between_contacts": 45,
        "plan_review_interval_days": 180,
        "referral_follow_up_days": 21,
    },
)
PROGRAM_WEIGHTS = (40, 35, 25)
CHILDREN_PROGRAM = 0
PRESENTING_ISSUES = (
    (
        "Serious emotional disturbance; school refusal and conflict at home.",
        "Anxiety and withdrawal after a family loss.",
        "Aggressive outbursts at school; family asks for support.",
    ),
    (
        "Alcohol use disorder; referred by the court.",
        "Opioid use disorder in early recovery.",
        "Methamphetamine use; unstable housing.",
    ),
    (
        "Newly diagnosed; needs linkage to HIV medical care.",
        "Out of care for a year; re-engagement.",
        "Housing and benefits after a hospital stay.",
    ),
)
CONTACT_TYPES = (
    Contact.Type.FACE_TO_FACE,
    Contact.Type.HOME_VISIT,
    Contact.Type.PHONE,
    Contact.Type.VIDEO,
    Contact.Type.COLLATERAL,
    Contact.Type.CASE_CONFERENCE,
    Contact.Type.CRISIS_INTERVENTION,
    Contact.Type.ATTEMPTED,
)
CONTACT_TYPE_WEIGHTS = (28, 14, 30, 8, 8, 3, 2, 7)
ATTEMPTED = CONTACT_TYPES.index(Contact.Type.ATTEMPTED)
# Types that relate to a service-plan goal (clinical case management).
GOAL_TYPES = frozenset({0, 1, 3, 5})
LOCATIONS = ("Office", "Client's home", "Office", "Video call", "Phone", "Office", "Community", "")
CONTACT_NOTES = (
    "Reviewed progress on the plan goals; client reports a better week.",
    "Discussed medication adherence and the next prescriber appointment.",
    "Helped complete the housing application; follow up on documents.",
    "Client missed school twice; agreed on a plan with the parent.",
    "Checked in after the crisis last week; safety plan reviewed and in place.",
    "Transport arranged for the clinic appointment on Thursday.",
    "Client attended the group and found it helpful.",
    "Talked through stressors at work; practised coping skills.",
    "Parent reports fewer outbursts at home since the new routine.",
    "Benefits renewal submitted; waiting for the decision letter.",
    "Coordinated with the provider about the waitlist and intake date.",
    "Client is engaged and motivated; next steps agreed.",
    "Reviewed the budget and upcoming bills together.",
    "Left a voicemail and sent a text; will try again tomorrow.",
    "Collateral call with the school counsellor about attendance.",
    "Case conference with the family and the therapist; roles agreed.",
)
CONTACT_PARTICIPANTS = ("Client", "Client and parent", "Client", "Client and partner", "")
ASSESSMENT_SUMMARIES = (
    "Needs identified in housing and mental health; strengths in family support.",
    "Moderate substance-use needs; motivated for outpatient treatment.",
    "Stable housing; needs linkage to medical care and benefits.",
    "School and family functioning are the priority domains.",
)
GOAL_WORDS = (
    ("I want to feel calmer at school.", "mental_health"),
    ("I want to stay sober and keep my job.", "substance_use"),
    ("I want a safe place of my own to live.", "housing"),
    ("I want to see my doctor regularly and take my medicine.", "physical_health"),
    ("I want us to argue less at home.", "family"),
    ("I want to finish my GED.", "education_employment"),
    ("I want to manage my money and pay my bills on time.", "daily_living"),
    ("I want to make friends and do things I enjoy.", "social"),
)
ACTIONS = (
    ("Meet weekly to practise coping skills.", "Weekly", "Office", "To reduce anxiety."),
    ("Attend the outpatient group.", "Twice a week", "Clinic", "To support recovery."),
    (
        "Complete the housing application.",
        "By the end of the month",
        "Housing office",
        "To secure stable housing.",
    ),
    ("Keep the monthly medical appointment.", "Monthly", "Clinic", "To stay in care."),
    ("Family session with the therapist.", "Every other week", "Home", "To improve communication."),
)
BARRIERS = (
    (Barrier.Kind.TRANSPORT, "No car; bus route is long.", "Bus passes and ride scheduling."),
    (Barrier.Kind.WAITLIST, "Provider waitlist of six weeks.", "Interim weekly check-ins."),
    (Barrier.Kind.RELUCTANCE, "Unsure about treatment.", "Motivational interviewing."),
    (Barrier.Kind.CHILDCARE, "No childcare during appointments.", "Arrange childcare."),
)
PROVIDER_WORDS = (
    "Valley",
    "Summit",
    "River",
    "Cedar",
    "Pioneer",
    "Canyon",
    "Sawtooth",
    "Snake River",
    "Gem State",
    "Treasure Valley",
    "Portneuf",
    "Panhandle",
)
PROVIDER_KINDS = (
    (ServiceType.MENTAL_HEALTH, "Counseling Center", "Outpatient therapy"),
    (ServiceType.SUBSTANCE_USE, "Recovery Services", "Intensive outpatient"),
    (ServiceType.CO_OCCURRING, "Integrated Care", "Co-occurring treatment"),
    (ServiceType.HOUSING, "Housing Authority", "Rapid rehousing"),
    (ServiceType.MEDICAL_HIV, "Health Clinic", "HIV primary care"),
    (ServiceType.SOCIAL_SERVICES, "Family Services", "Benefits assistance"),
    (ServiceType.EDUCATION_EMPLOYMENT, "Workforce Center", "Job readiness"),
)
REFERRAL_CATEGORIES = ["identifying", "assessment"]
# Where a referral ends up (its full path), for referrals old enough to have got there.
REFERRAL_PATHS: tuple[tuple[tuple[str, ...], int], ...] = (
    ((ReferralStatus.SENT,), 8),
    ((ReferralStatus.SENT, ReferralStatus.WAITLISTED), 5),
    ((ReferralStatus.SENT, ReferralStatus.ACCEPTED), 6),
    ((ReferralStatus.SENT, ReferralStatus.DECLINED_BY_PROVIDER, ReferralStatus.CLOSED), 5),
    ((ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.APPOINTMENT_SCHEDULED), 6),
    (
        (
            ReferralStatus.SENT,
            ReferralStatus.ACCEPTED,
            ReferralStatus.APPOINTMENT_SCHEDULED,
            ReferralStatus.ATTENDED,
        ),
        5,
    ),
    (
        (
            ReferralStatus.SENT,
            ReferralStatus.ACCEPTED,
            ReferralStatus.APPOINTMENT_SCHEDULED,
            ReferralStatus.ATTENDED,
            ReferralStatus.ENGAGED,
        ),
        40,
    ),
    (
        (
            ReferralStatus.SENT,
            ReferralStatus.ACCEPTED,
            ReferralStatus.APPOINTMENT_SCHEDULED,
            ReferralStatus.CLOSED,
        ),
        25,
    ),
)
FINISHED_REFERRAL = frozenset({ReferralStatus.ENGAGED, ReferralStatus.CLOSED})
VARIANCE_RULES = (
    FlagRule.INITIAL_ASSESSMENT_OVERDUE,
    FlagRule.ASSESSMENT_UPDATE_OVERDUE,
    FlagRule.NO_SERVICE_PLAN,
    FlagRule.PLAN_REVIEW_OVERDUE,
    FlagRule.MONITORING_GAP,
)
RISK_ITEM_NAMES = (
    "suicidal_ideation",
    "domestic_violence",
    "child_abuse_neglect",
    "aggressive_behaviour",
    "risk_behaviours",
    "crisis",
)


# --- Sizes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySize:
    clients: int
    contacts_per_client: int
    case_managers: int
    teams: int
    regions: int
    administrators: int
    qa_reviewers: int
    providers: int

    @classmethod
    def for_clients(cls, clients: int, contacts_per_client: int) -> AgencySize:
        """Teams of ten case managers, about 59 clients each, 17 teams to a region."""
        teams = max(1, round(clients / CLIENTS_PER_CASE_MANAGER / TEAM_SIZE))
        return cls(
            clients=clients,
            contacts_per_client=contacts_per_client,
            case_managers=teams * TEAM_SIZE,
            teams=teams,
            regions=max(1, math.ceil(teams / TEAMS_PER_REGION)),
            administrators=1 + clients // 50_000,
            qa_reviewers=1 + clients // 100_000,
            providers=max(20, clients // 500),
        )


# --- What is planned and loaded ---------------------------------------------------------------


@dataclass
class Staff:
    case_managers: list[int] = field(default_factory=list)  # user ids
    cm_team: list[int] = field(default_factory=list)  # team index of each case manager
    team_ids: list[int] = field(default_factory=list)
    team_region: list[int] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)
    supervisors: list[int] = field(default_factory=list)  # per team index
    administrators: list[int] = field(default_factory=list)


class EnrollmentPlan:
    """What later parts need to know of one (synthetic) enrollment."""

    __slots__ = (
        "active_plan",
        "app",
        "client_id",
        "cm",
        "contacts",
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
        self.active_plan: int | None = None
        self.contacts = 0


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    history: str = ""
    benchmark_client_id: int | None = None


def synthetic_clients() -> models.QuerySet[Client]:
    return Client.objects.filter(record_number__startswith=SYNTHETIC_RECORD_PREFIX)


def refuse_unless_empty_of_real_clients() -> None:
    """seed_scale writes only to a database without real clients: any client whose record
    number does not start with ``SYN-`` (the demo agency's ``D-`` clients included) is
    real to it. A database already seeded is refused too (drop and migrate it again)."""
    real = Client.objects.exclude(record_number__startswith=SYNTHETIC_RECORD_PREFIX).count()
    if real:
        raise SeedRefused(
            f"The database holds {real} client(s) that are not synthetic; seed_scale only "
            "loads into a database without real clients. Use a database of its own, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_db."
        )
    if synthetic_clients().exists():
        raise SeedRefused(
            "The database already holds a synthetic agency; drop and migrate it to seed again."
        )


# --- Helpers ----------------------------------------------------------------------------------


class _Days:
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
            minutes = int(noon.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
            sign = "-" if minutes < 0 else "+"
            text = self._offset[day] = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return text

    def ts(self, day: int, minute: int = 600) -> str:
        """A timestamp with time zone: ``minute`` minutes after midnight, agency time."""
        return f"{self.iso(day)} {minute // 60:02d}:{minute % 60:02d}:00{self.offset(day)}"

    def date(self, day: int | None) -> dt.date | None:
        return None if day is None else dt.date.fromordinal(day)


def _next_ids(*models_: type[models.Model]) -> dict[type[models.Model], int]:
    """The first free id of each table: the loader allocates its ids past the current maximum
    (a database without clients may still hold staff, programs or providers)."""
    firsts = {}
    with connection.cursor() as cursor:
        for model in models_:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            firsts[model] = cursor.fetchone()[0]
    return firsts


def _rng(seed: int, part: str) -> random.Random:
    return random.Random(f"{seed}-{part}")


# --- The loader -------------------------------------------------------------------------------

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
)


class AgencyLoader:
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
        self.days = _Days(today)
        self.log = log
        self.report = LoadReport()
        self.staff = Staff()
        self.enrollments: list[EnrollmentPlan] = []
        self.programs: list[Program] = []
        self.providers: list[tuple[int, list[int]]] = []  # (provider id, service ids)
        self.ids: dict[type[models.Model], int] = {}
        # Positive risk screens, for the supervision notes that review them:
        # (alert id, enrollment, reviewed day or None, concerns).
        self.alerts: list[tuple[int, EnrollmentPlan, int | None, list[str]]] = []

    def _take(self, model: type[models.Model]) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def _step(self, name: str, started: float, rows: int | None = None) -> None:
        seconds = time.monotonic() - started
        self.report.seconds[name] = round(seconds, 2)
        self.log(f"  {name}: {rows if rows is not None else ''} ({seconds:.1f} s)")

    def load(self) -> LoadReport:
        """Plan and COPY the whole agency in the current transaction."""
        self.ids = _next_ids(*[m for m in LOADED_MODELS if m is not Team.supervisors.through])
        self.ids[Team.supervisors.through] = _next_ids(Team.supervisors.through)[
            Team.supervisors.through
        ]
        parts: tuple[tuple[str, Callable[[], None]], ...] = (
            ("staff", self._load_staff),
            ("programs and providers", self._load_programs_and_providers),
            ("clients and enrollments", self._load_clients),
            ("family members", self._load_families),
            ("assessments and risk screens", self._load_assessments),
            ("service plans", self._load_plans),
            ("contacts", self._load_contacts),
            ("consents and referrals", self._load_referrals),
            ("supervision notes", self._load_supervision),
            ("variances and regional plans", self._load_variances_and_regional_plans),
        )
        for name, part in parts:
            started = time.monotonic()
            part()
            self._step(name, started)
        return self.report

    # --- Staff ----------------------------------------------------------------------------

    def _load_staff(self) -> None:
        size, staff, days = self.size, self.staff, self.days
        rng = _rng(self.seed, "staff")
        password = make_password(SCALE_PASSWORD)
        joined = days.ts(days.start - 30)
        with copy_batch() as batch:
            regions = batch.table(Region, ["id", "name"])
            for r in range(size.regions):
                staff.region_ids.append(self._take(Region))
                regions.row(staff.region_ids[-1], f"Synthetic Region {r + 1:02d}")
        with copy_batch() as batch:
            teams = batch.table(Team, ["id", "name", "region_id"])
            for t in range(size.teams):
                staff.team_ids.append(self._take(Team))
                staff.team_region.append(t // TEAMS_PER_REGION)
                teams.row(
                    staff.team_ids[-1],
                    f"Synthetic Team {t + 1:03d}",
                    staff.region_ids[t // TEAMS_PER_REGION],
                )
        columns = [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "role",
            "team_id",
            "credentials",
        ]
        with copy_batch() as batch:
            users = batch.table(User, columns)

            def user(username: str, role: str, team: int | None, credentials: str = "") -> int:
                pk = self._take(User)
                first = rng.choice(FEMALE_NAMES if rng.random() < 0.7 else MALE_NAMES)
                last = rng.choice(SURNAMES)
                users.row(
                    pk,
                    password,
                    None,
                    False,
                    username,
                    first,
                    last,
                    f"{username}@example.org",
                    role == Role.ADMINISTRATOR,
                    True,
                    joined,
                    role,
                    team,
                    credentials,
                )
                return pk

            for t in range(size.teams):
                staff.supervisors.append(
                    user(f"syn-sup-{t + 1:03d}", Role.SUPERVISOR, staff.team_ids[t], "LCSW")
                )
            for c in range(size.case_managers):
                team = c // TEAM_SIZE
                staff.case_managers.append(
                    user(
                        f"syn-cm-{c + 1:04d}",
                        Role.CASE_MANAGER,
                        staff.team_ids[team],
                        rng.choice(("LSW", "LMSW", "BSW", "CADC")),
                    )
                )
                staff.cm_team.append(team)
            for a in range(size.administrators):
                staff.administrators.append(user(f"syn-admin-{a + 1}", Role.ADMINISTRATOR, None))
            for q in range(size.qa_reviewers):
                user(f"syn-qa-{q + 1}", Role.QA_REVIEWER, None)
            self.report.counts["users"] = users.rows
        through = Team.supervisors.through
        with copy_batch() as batch:
            rows = batch.table(through, ["id", "team_id", "user_id"])
            for t in range(size.teams):
                rows.row(self._take(through), staff.team_ids[t], staff.supervisors[t])

    # --- Programs and providers -------------------------------------------------------------

    def _load_programs_and_providers(self) -> None:
        for spec in PROGRAMS:
            program, _ = Program.objects.get_or_create(code=spec["code"], defaults=spec)
            self.programs.append(program)
        rng = _rng(self.seed, "providers")
        days = self.days
        columns = [
            "id",
            "name",
            "address",
            "phone",
            "languages",
            "accepts_medicaid",
            "waitlist_weeks",
            "waitlist_checked_on",
            "eligibility_notes",
            "is_active",
        ]
        services: list[tuple[int, int, str, str]] = []
        with copy_batch() as batch:
            providers = batch.table(Provider, columns)
            for p in range(self.size.providers):
                pk = self._take(Provider)
                kinds = rng.sample(PROVIDER_KINDS, rng.choice((1, 1, 2, 3)))
                name = f"{rng.choice(PROVIDER_WORDS)} {kinds[0][1]} {p + 1:04d} (synthetic)"
                city, _ = rng.choice(CITIES)
                providers.row(
                    pk,
                    name,
                    f"{rng.randint(100, 9999)} {rng.choice(STREETS)}, {city}, ID",
                    f"208-555-{rng.randint(0, 9999):04d}",
                    ["English", "Spanish"] if rng.random() < 0.4 else ["English"],
                    rng.random() < 0.7,
                    rng.choice((None, 0, 1, 2, 4, 6)),
                    days.date(days.today - rng.randint(0, 60)),
                    "",
                    rng.random() < 0.97,
                )
                service_ids = []
                for kind, _, service_name in kinds:
                    service_id = self._take(ProviderService)
                    service_ids.append(service_id)
                    services.append((service_id, pk, service_name, kind))
                self.providers.append((pk, service_ids))
        with copy_batch() as batch:
            rows = batch.table(ProviderService, ["id", "provider_id", "name", "service_type"])
            for service in services:
                rows.row(*service)
        self.report.counts["providers"] = len(self.providers)

    # --- Clients and enrollments ------------------------------------------------------------

    def _load_clients(self) -> None:
        size, staff, days = self.size, self.staff, self.days
        rng = _rng(self.seed, "clients")
        # Applications over four years, more of them recent (the agency grew), oldest first
        # so that ids and record numbers follow time.
        applications = sorted(
            days.today - int(HISTORY_DAYS * rng.random() ** APPLICATION_SKEW)
            for _ in range(size.clients)
        )
        # Closed with this chance once at least 90 days old: about 80% open overall.
        closed_chance = (1 - OPEN_SHARE) / (1 - (90 / HISTORY_DAYS) ** (1 / APPLICATION_SKEW))
        client_columns = [
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
        enrollment_columns = [
            "id",
            "client_id",
            "program_id",
            "case_manager_id",
            "team_id",
            "status",
            "application_date",
            "continuum_stage",
            "case_management_model",
            "presenting_issue",
            "eligibility_note",
            "closed_on",
            "close_reason",
            "close_note",
            "created_at",
            "updated_at",
        ]
        stages = [choice for choice, _ in Enrollment.ContinuumStage.choices]
        cm_models = [choice for choice, _ in Enrollment.Model.choices]
        close_reasons = [choice for choice, _ in Enrollment.CloseReason.choices]
        languages = [language for language, _ in LANGUAGES]
        language_weights = [weight for _, weight in LANGUAGES]
        number = synthetic_clients().count()
        with copy_batch() as batch:
            clients = batch.table(Client, client_columns)
            enrollments = batch.table(Enrollment, enrollment_columns)
            for index, app in enumerate(applications):
                e = EnrollmentPlan()
                e.id = self._take(Enrollment)
                e.client_id = self._take(Client)
                e.cm = index % size.case_managers
                e.team = staff.cm_team[e.cm]
                e.program = rng.choices(range(len(PROGRAMS)), PROGRAM_WEIGHTS)[0]
                e.app = app
                age_days = days.today - app
                e.end = days.today
                if age_days >= 90 and rng.random() < closed_chance:
                    e.is_open = False
                    e.end = app + rng.randint(60, age_days)
                self.enrollments.append(e)

                number += 1
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
                child = e.program == CHILDREN_PROGRAM
                years = rng.randint(5, 17) if child else rng.randint(18, 75)
                born = app - years * 365 - rng.randint(0, 364)
                language = rng.choices(languages, language_weights)[0]
                city, postal_code = rng.choice(CITIES)
                created = days.ts(app, 540 + rng.randint(0, 420))
                team_id = staff.team_ids[e.team]
                cm_id = staff.case_managers[e.cm]
                clients.row(
                    e.client_id,
                    f"{SYNTHETIC_RECORD_PREFIX}{number:07d}",
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
                    team_id,
                    cm_id,
                    created,
                    created,
                )
                enrollments.row(
                    e.id,
                    e.client_id,
                    self.programs[e.program].pk,
                    cm_id,
                    team_id,
                    "open" if e.is_open else "closed",
                    days.date(app),
                    rng.choice(stages),
                    rng.choice(cm_models),
                    rng.choice(PRESENTING_ISSUES[e.program]),
                    "",
                    None if e.is_open else days.date(e.end),
                    "" if e.is_open else rng.choice(close_reasons),
                    "",
                    created,
                    created if e.is_open else days.ts(e.end),
                )
        self.report.counts["clients"] = len(applications)
        self.report.counts["enrollments"] = len(self.enrollments)
        self.report.counts["open enrollments"] = sum(e.is_open for e in self.enrollments)

    def _load_families(self) -> None:
        rng = _rng(self.seed, "families")
        days = self.days
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
            for e in self.enrollments:
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
                        self._take(FamilyMember),
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
            self.report.counts["family members"] = rows.rows

    # --- Assessments, risk screens and alerts ----------------------------------------------

    def _load_assessments(self) -> None:
        rng = _rng(self.seed, "assessments")
        days, staff = self.days, self.staff
        assessment_columns = [
            "id",
            "enrollment_id",
            "kind",
            "status",
            "author_id",
            "summary",
            "completed_on",
            "created_at",
            "updated_at",
        ]
        screen_columns = [
            "id",
            "enrollment_id",
            "author_id",
            "screened_on",
            "mental_health_stage",
            "substance_use_stage",
            *RISK_ITEM_NAMES,
            "positive",
            "medication_adherence",
            "appointment_adherence",
            "notes",
            "created_at",
        ]
        alert_columns = [
            "id",
            "risk_screen_id",
            "team_id",
            "raised_at",
            "reviewed_at",
            "reviewed_by_id",
        ]
        stages = ["", "precontemplation", "contemplation", "preparation", "action", "maintenance"]
        adherence = ["good", "good", "partial", "poor", "not_applicable"]
        with copy_batch() as batch:
            assessments = batch.table(Assessment, assessment_columns)
            screens = batch.table(RiskScreen, screen_columns)
            alerts = batch.table(RiskAlert, alert_columns)
            for e in self.enrollments:
                author = staff.case_managers[e.cm]
                completed: list[int] = []
                # The initial assessment: most on time (within 30 days), some late, a few
                # still missing (the compliance engine flags those).
                if e.end - e.app >= 5 and rng.random() < 0.93:
                    day = e.app + int(rng.triangular(3, 45, 18))
                    if day <= e.end:
                        completed.append(day)
                # Updates about a year apart while the episode lasts, a few missed.
                while completed:
                    day = completed[-1] + rng.randint(300, 372)
                    if day > e.end or rng.random() < 0.2:
                        break
                    completed.append(day)
                for n, day in enumerate(completed):
                    assessments.row(
                        self._take(Assessment),
                        e.id,
                        "update" if n else "initial",
                        "completed",
                        author,
                        rng.choice(ASSESSMENT_SUMMARIES),
                        days.date(day),
                        days.ts(day, 560),
                        days.ts(day, 600),
                    )
                    if rng.random() < 0.75:
                        self._screen(screens, alerts, rng, e, author, day, stages, adherence)
                if completed:
                    e.first_assessed = completed[0]
                # A draft in progress: the initial one of a recent episode, or an update.
                if e.is_open and (
                    (not completed and rng.random() < 0.5) or (completed and rng.random() < 0.03)
                ):
                    day = days.today - rng.randint(0, 20)
                    assessments.row(
                        self._take(Assessment),
                        e.id,
                        "update" if completed else "initial",
                        "draft",
                        author,
                        "",
                        None,
                        days.ts(max(day, e.app)),
                        days.ts(max(day, e.app)),
                    )
            self.report.counts["assessments"] = assessments.rows
            self.report.counts["risk screens"] = screens.rows
            self.report.counts["risk alerts"] = alerts.rows

    def _screen(
        self,
        screens: Any,
        alerts: Any,
        rng: random.Random,
        e: EnrollmentPlan,
        author: int,
        day: int,
        stages: list[str],
        adherence: list[str],
    ) -> None:
        days = self.days
        items = [False] * len(RISK_ITEM_NAMES)
        if rng.random() < 0.07:
            for index in rng.sample(range(len(items)), rng.choice((1, 1, 2))):
                items[index] = True
        positive = any(items)
        screen_id = self._take(RiskScreen)
        screens.row(
            screen_id,
            e.id,
            author,
            days.date(day),
            rng.choice(stages),
            rng.choice(stages),
            *items,
            positive,
            rng.choice(adherence),
            rng.choice(adherence),
            "",
            days.ts(day, 610),
        )
        if not positive:
            return
        alert_id = self._take(RiskAlert)
        reviewed: int | None = None
        if day < days.today - 3 and rng.random() < 0.92:
            reviewed = min(day + rng.randint(0, 3), days.today)
        alerts.row(
            alert_id,
            screen_id,
            self.staff.team_ids[e.team],
            days.ts(day, 615),
            None if reviewed is None else days.ts(reviewed, 700),
            None if reviewed is None else self.staff.supervisors[e.team],
        )
        concerns = [name for name, on in zip(RISK_ITEM_NAMES, items, strict=True) if on]
        self.alerts.append((alert_id, e, reviewed, concerns))

    # --- Service plans ----------------------------------------------------------------------

    def _load_plans(self) -> None:
        rng = _rng(self.seed, "plans")
        days, staff = self.days, self.staff
        plan_columns = [
            "id",
            "enrollment_id",
            "version",
            "status",
            "previous_id",
            "author_id",
            "start_date",
            "client_participated",
            "rationale_explained_on",
            "client_signed_on",
            "approved_by_id",
            "approved_on",
            "created_at",
            "updated_at",
        ]
        goal_columns = [
            "id",
            "plan_id",
            "client_words",
            "life_domain",
            "target_date",
            "status",
            "carried_from_id",
        ]
        action_columns = [
            "id",
            "goal_id",
            "kind",
            "responsible",
            "responsible_name",
            "what",
            "when",
            "where",
            "why",
            "due_date",
            "status",
        ]
        with copy_batch() as batch:
            plans = batch.table(ServicePlan, plan_columns)
            goals = batch.table(Goal, goal_columns)
            actions = batch.table(PlanAction, action_columns)
            barriers = batch.table(
                Barrier, ["id", "plan_id", "kind", "description", "strategy", "resolved_on"]
            )
            reviews = batch.table(
                PlanReview, ["id", "plan_id", "reviewer_id", "reviewed_on", "summary", "created_at"]
            )

            def write_plan(
                e: EnrollmentPlan,
                version: int,
                status: str,
                previous: int | None,
                approved: int | None,
                carried: list[int],
            ) -> tuple[int, list[int]]:
                plan_id = self._take(ServicePlan)
                author = staff.case_managers[e.cm]
                start = approved if approved is not None else min(days.today, e.end)
                plans.row(
                    plan_id,
                    e.id,
                    version,
                    status,
                    previous,
                    author,
                    days.date(start),
                    True,
                    days.date(start - rng.randint(0, 7)),
                    None if approved is None else days.date(approved),
                    None if approved is None else staff.supervisors[e.team],
                    None if approved is None else days.date(approved),
                    days.ts(start - 3),
                    days.ts(start),
                )
                goal_ids = []
                count = len(carried) or rng.choice((2, 2, 3))
                for n in range(count):
                    goal_id = self._take(Goal)
                    goal_ids.append(goal_id)
                    words, domain = GOAL_WORDS[rng.randrange(len(GOAL_WORDS))]
                    goals.row(
                        goal_id,
                        plan_id,
                        words,
                        domain,
                        days.date(start + rng.randint(90, 365)),
                        "active",
                        carried[n] if carried else None,
                    )
                    for _ in range(rng.choice((1, 1, 2))):
                        what, when, where, why = rng.choice(ACTIONS)
                        actions.row(
                            self._take(PlanAction),
                            goal_id,
                            rng.choice(("objective", "intervention")),
                            rng.choice(("case_manager", "client", "provider")),
                            "",
                            what,
                            when,
                            where,
                            why,
                            days.date(start + rng.randint(14, 120)),
                            rng.choice(("not_started", "in_progress", "in_progress", "done")),
                        )
                if rng.random() < 0.5:
                    kind, description, strategy = rng.choice(BARRIERS)
                    barriers.row(self._take(Barrier), plan_id, kind, description, strategy, None)
                return plan_id, goal_ids

            def write_reviews(plan_id: int, e: EnrollmentPlan, approved: int, until: int) -> None:
                interval = self.programs[e.program].plan_review_interval_days
                day = approved
                while True:
                    day += interval + rng.randint(-10, 12)
                    if day > until:
                        break
                    if rng.random() < 0.85:
                        reviews.row(
                            self._take(PlanReview),
                            plan_id,
                            staff.case_managers[e.cm],
                            days.date(day),
                            "Progress reviewed with the client.",
                            days.ts(day),
                        )

            for e in self.enrollments:
                if e.first_assessed is None:
                    continue
                approved = e.first_assessed + rng.randint(3, 40)
                if approved > e.end or rng.random() >= 0.9:
                    # No plan yet (flagged once overdue); half have a draft in progress.
                    if e.is_open and rng.random() < 0.5:
                        write_plan(e, 1, "draft", None, None, [])
                    continue
                renewed = approved + rng.randint(330, 400)
                if renewed <= e.end and rng.random() < 0.5:
                    first_id, first_goals = write_plan(e, 1, "superseded", None, approved, [])
                    write_reviews(first_id, e, approved, renewed)
                    second_id, second_goals = write_plan(
                        e, 2, "active", first_id, renewed, first_goals
                    )
                    write_reviews(second_id, e, renewed, e.end)
                    e.plans = [(approved, renewed, first_goals), (renewed, None, second_goals)]
                    e.active_plan, latest, version = second_id, second_id, 2
                else:
                    plan_id, goal_ids = write_plan(e, 1, "active", None, approved, [])
                    write_reviews(plan_id, e, approved, e.end)
                    e.plans = [(approved, None, goal_ids)]
                    e.active_plan, latest, version = plan_id, plan_id, 1
                if e.is_open and rng.random() < 0.03:
                    write_plan(e, version + 1, "draft", latest, None, e.plans[-1][2])
            self.report.counts["service plans"] = plans.rows
            self.report.counts["goals"] = goals.rows
            self.report.counts["plan reviews"] = reviews.rows

    # --- Contacts ---------------------------------------------------------------------------

    def _contact_counts(self, rng: random.Random) -> list[int]:
        """Per enrollment: about ``contacts_per_client`` on average, in proportion to how long
        the episode lasted, and exactly BENCHMARK_CONTACTS for the benchmark's client."""
        durations = [e.end - e.app + 1 for e in self.enrollments]
        mean = sum(durations) / len(durations)
        per_day = self.size.contacts_per_client / mean
        counts = [max(0, round(per_day * d * rng.uniform(0.5, 1.5))) if d else 0 for d in durations]
        # The first case manager's oldest open enrollment of at least a year.
        chosen = next(
            (
                n
                for n, e in enumerate(self.enrollments)
                if e.cm == 0 and e.is_open and e.end - e.app >= 365
            ),
            next((n for n, e in enumerate(self.enrollments) if e.cm == 0 and e.is_open), None),
        )
        if chosen is not None:
            counts[chosen] = BENCHMARK_CONTACTS
            self.report.benchmark_client_id = self.enrollments[chosen].client_id
        return counts

    def _load_contacts(self) -> None:
        """Contacts in the order they happened (so a client's contacts are spread over the
        table as they would be after four years of use, not clustered), each one packed into
        an int (time, enrollment, type, minutes, note, goal) so that two million sort fast."""
        rng = _rng(self.seed, "contacts")
        days, staff = self.days, self.staff
        counts = self._contact_counts(rng)
        type_choices = list(range(len(CONTACT_TYPES)))
        packed: list[int] = []
        for index, (e, count) in enumerate(zip(self.enrollments, counts, strict=True)):
            span = e.end - e.app
            recent = e.is_open and rng.random() < 0.85
            types = rng.choices(type_choices, CONTACT_TYPE_WEIGHTS, k=count)
            for n in range(count):
                if recent and n == 0:
                    # Most open episodes were reached within the monitoring window.
                    day = max(e.app, days.today - rng.randint(0, 25))
                else:
                    day = e.app + rng.randint(0, span)
                minute = (day - days.start) * 1440 + 480 + rng.randrange(0, 570)
                kind = types[n]
                if recent and n == 0 and kind == ATTEMPTED:
                    kind = 0
                duration = 5 if kind == ATTEMPTED else rng.randrange(10, 95, 5)
                travel = rng.randrange(5, 60, 5) if kind == 1 else 0
                goal = 0
                if kind in GOAL_TYPES and e.plans and rng.random() < 0.4:
                    for approved, superseded, goal_ids in e.plans:
                        if approved <= day and (superseded is None or day < superseded):
                            goal = goal_ids[rng.randrange(len(goal_ids))] + 1
                packed.append(
                    (
                        ((((minute << 22 | index) << 3 | kind) << 7 | duration) << 6 | travel) << 5
                        | rng.randrange(len(CONTACT_NOTES))
                    )
                    << 40
                    | goal
                )
        packed.sort()
        columns = [
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
        goal_mask = (1 << 40) - 1
        next_id = self.ids[Contact]
        with copy_batch() as batch:
            contacts = batch.table(Contact, columns)
            links = batch.table(ContactGoal, ["id", "contact_id", "goal_id"])
            line, link = contacts.line, links.line
            participants = CONTACT_PARTICIPANTS
            for value in packed:
                goal = value & goal_mask
                value >>= 40
                note = value & 31
                value >>= 5
                travel = value & 63
                value >>= 6
                duration = value & 127
                value >>= 7
                kind = value & 7
                value >>= 3
                index = value & ((1 << 22) - 1)
                minute = value >> 22
                e = self.enrollments[index]
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
                    link(f"{self._take(ContactGoal)}\t{next_id}\t{goal - 1}\n")
                next_id += 1
        self.ids[Contact] = next_id
        for e, count in zip(self.enrollments, counts, strict=True):
            e.contacts = count
        self.report.counts["contacts"] = len(packed)
        self.report.counts["contact goal links"] = links.rows

    # --- Consents, referrals, steps and disclosures ----------------------------------------

    def _load_referrals(self) -> None:
        rng = _rng(self.seed, "referrals")
        days, staff = self.days, self.staff
        paths = [path for path, _ in REFERRAL_PATHS]
        path_weights = [weight for _, weight in REFERRAL_PATHS]
        finished_paths = [path for path in paths if path[-1] in FINISHED_REFERRAL]
        finished_weights = [w for path, w in REFERRAL_PATHS if path[-1] in FINISHED_REFERRAL]
        consent_columns = [
            "id",
            "client_id",
            "discloser",
            "recipient_provider_id",
            "recipient_class",
            "categories",
            "purpose",
            "expires_on",
            "expiry_event",
            "signer",
            "signer_name",
            "signed_on",
            "right_to_revoke_explained",
            "signed_copy",
            "revoked_on",
            "revocation_note",
            "created_by_id",
            "created_at",
        ]
        referral_columns = [
            "id",
            "enrollment_id",
            "goal_id",
            "provider_id",
            "service_id",
            "reason",
            "urgency",
            "client_readiness",
            "barriers",
            "shares_information",
            "categories",
            "consent_id",
            "status",
            "follow_up_due_on",
            "outcome",
            "created_by_id",
            "created_at",
            "updated_at",
        ]
        step_columns = [
            "id",
            "referral_id",
            "from_status",
            "to_status",
            "occurred_on",
            "by_id",
            "note",
            "created_at",
        ]
        disclosure_columns = [
            "id",
            "client_id",
            "referral_id",
            "consent_id",
            "recipient_id",
            "categories",
            "disclosed_at",
            "by_id",
        ]
        counts_choice = (0, 1, 1, 2, 2, 2, 3, 3, 4, 2)
        with copy_batch() as batch:
            consents = batch.table(Consent, consent_columns)
            referrals = batch.table(Referral, referral_columns)
            steps = batch.table(ReferralStep, step_columns)
            disclosures = batch.table(Disclosure, disclosure_columns)
            for e in self.enrollments:
                author = staff.case_managers[e.cm]
                follow_up_days = self.programs[e.program].referral_follow_up_days
                client_consents: dict[int, tuple[int, int]] = {}  # provider → (id, expires)
                for _ in range(counts_choice[rng.randrange(len(counts_choice))]):
                    referral_id = self._take(Referral)
                    provider_id, service_ids = self.providers[rng.randrange(len(self.providers))]
                    created = e.app + rng.randint(0, e.end - e.app)
                    shares = rng.random() < 0.88
                    # How far it got: old ones mostly finished, recent ones on their way.
                    old = created < e.end - 60
                    if not e.is_open or (old and rng.random() < 0.92):
                        path = rng.choices(finished_paths, finished_weights)[0]
                    else:
                        path = rng.choices(paths, path_weights)[0]
                    if rng.random() < 0.05 and e.is_open:
                        path = ()  # still a draft
                    status: str = ReferralStatus.DRAFT
                    day = created
                    step_rows: list[tuple[str, str, int]] = []
                    for to_status in path:
                        next_day = day + (
                            0 if status == ReferralStatus.DRAFT else rng.randint(2, 30)
                        )
                        if next_day > e.end:
                            break
                        step_rows.append((status, to_status, next_day))
                        status, day = to_status, next_day
                    consent_id = None
                    if shares and step_rows:
                        sent_on = step_rows[0][2]
                        existing = client_consents.get(provider_id)
                        if existing is None or existing[1] < sent_on:
                            consent_id = self._take(Consent)
                            signed = max(e.app, sent_on - rng.randint(0, 3))
                            expires = signed + rng.choice((180, 365, 365, 365))
                            consents.row(
                                consent_id,
                                e.client_id,
                                "Synthetic agency",
                                provider_id,
                                "",
                                REFERRAL_CATEGORIES,
                                "Referral and coordination of care.",
                                days.date(expires),
                                "",
                                "client",
                                "Client (synthetic)",
                                days.date(signed),
                                True,
                                "",
                                None,
                                "",
                                author,
                                days.ts(signed),
                            )
                            client_consents[provider_id] = (consent_id, expires)
                        else:
                            consent_id = existing[0]
                    goal_id = None
                    for approved, superseded, goal_ids in e.plans:
                        in_force = approved <= created and superseded is None
                        if in_force and rng.random() < 0.4:
                            goal_id = goal_ids[rng.randrange(len(goal_ids))]
                    follow_up = (
                        None
                        if status in FINISHED_REFERRAL or status == ReferralStatus.DRAFT
                        else days.date(day + follow_up_days)
                    )
                    referrals.row(
                        referral_id,
                        e.id,
                        goal_id,
                        provider_id,
                        service_ids[rng.randrange(len(service_ids))],
                        "Linkage to services named in the plan.",
                        rng.choices(("routine", "urgent", "emergency"), (80, 17, 3))[0],
                        "",
                        "",
                        shares,
                        REFERRAL_CATEGORIES if shares else [],
                        consent_id,
                        status,
                        follow_up,
                        "Engaged in services." if status == ReferralStatus.ENGAGED else "",
                        author,
                        days.ts(created, 630),
                        days.ts(day, 640),
                    )
                    for from_status, to_status, on in step_rows:
                        steps.row(
                            self._take(ReferralStep),
                            referral_id,
                            from_status,
                            to_status,
                            days.date(on),
                            author,
                            "",
                            days.ts(on, 650),
                        )
                    if consent_id is not None and rng.random() < 0.5:
                        disclosures.row(
                            self._take(Disclosure),
                            e.client_id,
                            referral_id,
                            consent_id,
                            provider_id,
                            REFERRAL_CATEGORIES,
                            days.ts(step_rows[0][2], 660),
                            author,
                        )
            for name, writer in (
                ("consents", consents),
                ("referrals", referrals),
                ("referral steps", steps),
                ("disclosures", disclosures),
            ):
                self.report.counts[name] = writer.rows

    # --- Supervision ------------------------------------------------------------------------

    def _load_supervision(self) -> None:
        """Notes reviewing every reviewed positive risk screen, and about one case-specific or
        clinical note per 25 clients over the last two years, most acknowledged."""
        rng = _rng(self.seed, "supervision")
        days, staff = self.days, self.staff
        note_columns = [
            "id",
            "kind",
            "team_id",
            "enrollment_id",
            "staff_supervised_id",
            "author_id",
            "held_on",
            "concerns",
            "discussion",
            "recommendations",
            "agreed_goals",
            "risk_alert_id",
            "acknowledged_on",
            "acknowledged_at",
            "created_at",
        ]
        task_columns = [
            "id",
            "note_id",
            "description",
            "due_on",
            "responsible",
            "responsible_name",
            "done_on",
            "plan_action_id",
        ]
        participant_columns = [
            "id",
            "note_id",
            "kind",
            "staff_id",
            "family_member_id",
            "provider_id",
            "name",
            "role",
        ]
        kinds = (
            "case_specific",
            "clinical_session",
            "case_conference",
            "crisis_consultation",
            "record_review",
        )
        kind_weights = (45, 20, 10, 5, 20)
        with copy_batch() as batch:
            notes = batch.table(SupervisionNote, note_columns)
            tasks = batch.table(FollowUpTask, task_columns)
            participants = batch.table(ConferenceParticipant, participant_columns)

            def note(
                kind: str, e: EnrollmentPlan, held: int, concerns: list[str], alert: int | None
            ) -> None:
                note_id = self._take(SupervisionNote)
                acknowledged = held + rng.randint(0, 5)
                if acknowledged > days.today or rng.random() < 0.07:
                    acknowledged_on = None
                else:
                    acknowledged_on = acknowledged
                notes.row(
                    note_id,
                    kind,
                    staff.team_ids[e.team],
                    None if kind == "clinical_session" else e.id,
                    staff.case_managers[e.cm],
                    staff.supervisors[e.team],
                    days.date(held),
                    concerns,
                    "Reviewed the case with the case manager.",
                    "Continue the plan; see the follow-up tasks." if rng.random() < 0.6 else "",
                    "Family to attend the next review." if kind == "case_conference" else "",
                    alert,
                    days.date(acknowledged_on),
                    None if acknowledged_on is None else days.ts(acknowledged_on, 800),
                    days.ts(held, 720),
                )
                if rng.random() < 0.35:
                    for _ in range(rng.choice((1, 1, 2))):
                        due = held + rng.randint(7, 30)
                        done = (
                            due - rng.randint(0, 6)
                            if due < days.today and rng.random() < 0.8
                            else None
                        )
                        tasks.row(
                            self._take(FollowUpTask),
                            note_id,
                            "Follow up with the client and document it.",
                            days.date(due),
                            "case_manager",
                            "",
                            days.date(done),
                            None,
                        )
                if kind == "case_conference":
                    participants.row(
                        self._take(ConferenceParticipant),
                        note_id,
                        "staff",
                        staff.case_managers[e.cm],
                        None,
                        None,
                        "",
                        "Case manager",
                    )
                    participants.row(
                        self._take(ConferenceParticipant),
                        note_id,
                        "client",
                        None,
                        None,
                        None,
                        "",
                        "Client",
                    )

            for alert_id, e, reviewed, concerns in self.alerts:
                if reviewed is not None:
                    note("case_specific", e, reviewed, concerns, alert_id)
            two_years = days.today - 730
            for _ in range(self.size.clients // 25):
                e = self.enrollments[rng.randrange(len(self.enrollments))]
                first = max(e.app, two_years)
                if first > e.end:
                    continue
                kind = rng.choices(kinds, kind_weights)[0]
                note(kind, e, rng.randint(first, e.end), [], None)
            self.report.counts["supervision notes"] = notes.rows
            self.report.counts["follow-up tasks"] = tasks.rows

    def _load_variances_and_regional_plans(self) -> None:
        """About one variance per 100 clients: a third pending (the administrators' queue),
        the rest decided."""
        rng = _rng(self.seed, "variances")
        days, staff = self.days, self.staff
        open_enrollments = [e for e in self.enrollments if e.is_open]
        count = min(len(open_enrollments), max(3, self.size.clients // 100))
        columns = [
            "id",
            "enrollment_id",
            "rule",
            "flag_id",
            "reason",
            "proposed_due_on",
            "requested_by_id",
            "requested_at",
            "status",
            "decided_by_id",
            "decided_at",
            "approved_due_on",
            "decision_note",
        ]
        with copy_batch() as batch:
            variances = batch.table(Variance, columns)
            for n, e in enumerate(rng.sample(open_enrollments, count)):
                status = ("pending", "approved", "approved", "denied")[n % 4]
                if status == "pending":
                    requested = days.today - rng.randint(0, 30)
                else:
                    requested = max(e.app, days.today - rng.randint(30, 400))
                proposed = requested + rng.randint(30, 90)
                decided = (
                    None if status == "pending" else min(requested + rng.randint(1, 10), days.today)
                )
                variances.row(
                    self._take(Variance),
                    e.id,
                    rng.choice(VARIANCE_RULES),
                    None,
                    "Client hospitalised; the assessment cannot be completed on time.",
                    days.date(proposed),
                    staff.case_managers[e.cm],
                    days.ts(requested, 700),
                    status,
                    None
                    if decided is None
                    else staff.administrators[n % len(staff.administrators)],
                    None if decided is None else days.ts(decided, 900),
                    days.date(proposed) if status == "approved" else None,
                    "" if status == "pending" else "Decided by division administration.",
                )
            self.report.counts["variances"] = variances.rows
        year = dt.date.fromordinal(days.today).year
        with copy_batch() as batch:
            plans = batch.table(
                RegionalPlan,
                [
                    "id",
                    "region_id",
                    "year",
                    "summary",
                    "status",
                    "prepared_by_id",
                    "submitted_at",
                    "decided_by_id",
                    "decided_at",
                    "comments",
                ],
            )
            goals = batch.table(RegionalPlanGoal, ["id", "plan_id", "goal", "measure", "target_on"])
            for r, region_id in enumerate(staff.region_ids):
                plan_id = self._take(RegionalPlan)
                supervisor = staff.supervisors[r * TEAMS_PER_REGION]
                status = ("submitted", "approved", "draft")[r % 3]
                plans.row(
                    plan_id,
                    region_id,
                    year,
                    "Service delivery plan (synthetic).",
                    status,
                    supervisor,
                    None if status == "draft" else days.ts(days.today - 40),
                    staff.administrators[0] if status == "approved" else None,
                    days.ts(days.today - 20) if status == "approved" else None,
                    "",
                )
                for g in range(3):
                    goals.row(
                        self._take(RegionalPlanGoal),
                        plan_id,
                        f"Regional goal {g + 1}: timely assessments.",
                        "Share on time",
                        dt.date(year, 3 * (g + 1) + 3, 1),
                    )

    # --- After the load ---------------------------------------------------------------------

    def finish(self) -> None:
        """Move every id sequence past the loaded rows and refresh the planner's statistics."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in LOADED_MODELS:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {quote(table)}), 1), "
                    f"(SELECT MAX(id) FROM {quote(table)}) IS NOT NULL)",
                    [table],
                )
            for model in LOADED_MODELS:
                cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cursor.fetchone()[0])


def seed_scale(
    *,
    clients: int,
    contacts_per_client: int = DEFAULT_CONTACTS_PER_CLIENT,
    seed: int = 1,
    today: dt.date | None = None,
    evaluate: bool = True,
    log: Callable[[str], None] = lambda message: None,
) -> LoadReport:
    """Load a synthetic agency of ``clients`` clients (see the module docstring): one
    transaction, triggers bypassed when allowed, sequences moved on, statistics refreshed;
    then (``evaluate``) the compliance engine raises the flags, with their history."""
    if clients < 1:
        raise SeedRefused("--clients must be at least 1.")
    if contacts_per_client < 0:
        raise SeedRefused("--contacts-per-client cannot be negative.")
    today = today or timezone.localdate()
    size = AgencySize.for_clients(clients, contacts_per_client)
    loader = AgencyLoader(size=size, seed=seed, today=today, log=log)
    started = time.monotonic()
    with transaction.atomic():
        refuse_unless_empty_of_real_clients()
        if _is_superuser():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            loader.report.history = (
                "bypassed: session_replication_role = replica during the load (no history "
                "rows, no trigger or foreign-key checks for the loaded rows)"
            )
        else:
            loader.report.history = "written: not a superuser, so the triggers fired"
        loader.load()
        step = time.monotonic()
        loader.finish()
        loader._step("sequences and statistics", step)
        with connection.cursor() as cursor:
            # Back to normal before anything else is written in this transaction (the
            # caller's, in tests): triggers, history and foreign-key checks fire again.
            cursor.execute("SET LOCAL session_replication_role TO DEFAULT")
    loader.report.seconds["load"] = round(time.monotonic() - started, 2)
    if not connection.in_atomic_block:
        # Outside a transaction (not in tests): the visibility map, for index-only scans.
        step = time.monotonic()
        with connection.cursor() as cursor:
            for model in (Contact, Enrollment, Client, Referral, Assessment, RiskScreen):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        loader._step("vacuum", step)
    if evaluate:
        from supervision.compliance import compliance_evaluate

        step = time.monotonic()
        evaluation = compliance_evaluate(as_of=today)
        with connection.cursor() as cursor:
            # Tens of thousands of flags where the statistics saw none: without this the
            # navigation bar's count of a user's open flags reads every open flag.
            cursor.execute("ANALYZE supervision_flag")
        loader.report.counts["flags raised"] = evaluation.raised
        loader._step("compliance evaluation (flags)", step, evaluation.raised)
    return loader.report


# --- Fingerprint ------------------------------------------------------------------------------

# Content, not ids (ids depend on what the database held before): enough columns of each
# table to tell two agencies apart.
_FINGERPRINT_SQL: tuple[tuple[str, str], ...] = (
    (
        "clients",
        "SELECT c.record_number || c.first_name || c.last_name || c.date_of_birth"
        " FROM clients_client c WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
    (
        "enrollments",
        "SELECT c.record_number || p.code || u.username || e.status || e.application_date"
        " || COALESCE(e.closed_on::text, '') FROM clients_enrollment e"
        " JOIN clients_client c ON c.id = e.client_id JOIN clients_program p ON p.id ="
        " e.program_id JOIN accounts_user u ON u.id = e.case_manager_id"
        " WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
    (
        "contacts",
        "SELECT c.record_number || k.occurred_at || k.contact_type || k.duration_minutes"
        " FROM clients_contact k JOIN clients_client c ON c.id = k.client_id"
        " WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
    (
        "assessments",
        "SELECT c.record_number || a.kind || a.status || COALESCE(a.completed_on::text, '')"
        " FROM serviceplans_assessment a JOIN clients_enrollment e ON e.id = a.enrollment_id"
        " JOIN clients_client c ON c.id = e.client_id"
        " WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
    (
        "referrals",
        "SELECT c.record_number || pr.name || r.status || COALESCE(r.follow_up_due_on::text, '')"
        " FROM referrals_referral r JOIN clients_enrollment e ON e.id = r.enrollment_id"
        " JOIN clients_client c ON c.id = e.client_id JOIN referrals_provider pr"
        " ON pr.id = r.provider_id WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
)


def agency_fingerprint() -> dict[str, str]:
    """Per table, the number of synthetic rows and an MD5 of their content: the same seed
    (on the same day) gives the same fingerprint."""
    result: dict[str, str] = {}
    with connection.cursor() as cursor:
        for name, sql in _FINGERPRINT_SQL:
            cursor.execute(f"SELECT count(*), md5(string_agg(x, ',')) FROM ({sql}) AS t(x)")
            count, digest = cursor.fetchone()
            result[name] = f"{count}:{digest}"
    result["all"] = hashlib.md5(repr(sorted(result.items())).encode()).hexdigest()
    return result


def counts_by_table(models_: Iterable[type[models.Model]] = LOADED_MODELS) -> dict[str, int]:
    return {m._meta.db_table: m._default_manager.count() for m in models_}


__all__: Sequence[str] = (
    "SCALE_PASSWORD",
    "AgencySize",
    "LoadReport",
    "SeedRefused",
    "agency_fingerprint",
    "seed_scale",
)
