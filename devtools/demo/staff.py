"""The demo agency's regions, teams, staff and programs, and the table of demo logins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import OutputWrapper
from django.core.management.color import Style

from accounts.models import Region, Role, Team, User
from clients.models import Program

# One password for every demo login, a passphrase the validators accept: 12 characters or
# more, and no demo user's name nor "Casework" in it (tests/devtools/test_seed_demo.py).
DEMO_PASSWORD = "snake-river-lantern"

# --- The agency -------------------------------------------------------------------------------

SOUTHWEST = "Southwest Idaho"
EASTERN = "Eastern Idaho"
BOISE = "Boise Children's Team"
CANYON = "Canyon County Adult Team"
POCATELLO = "Pocatello Team"

TEAMS: dict[str, str] = {BOISE: SOUTHWEST, CANYON: SOUTHWEST, POCATELLO: EASTERN}


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str | None = None
    supervises: tuple[str, ...] = ()
    credentials: str = ""


STAFF: tuple[StaffSpec, ...] = (
    # The Southwest regional supervisor covers both Southwest teams.
    StaffSpec("sofia", "Sofia", "Reyes", Role.SUPERVISOR, BOISE, (BOISE, CANYON), "LCSW"),
    StaffSpec("hannah", "Hannah", "Whitfield", Role.SUPERVISOR, POCATELLO, (POCATELLO,), "LCSW"),
    StaffSpec("alex", "Alex", "Moreno", Role.CASE_MANAGER, BOISE, credentials="LMSW"),
    StaffSpec("priya", "Priya", "Natarajan", Role.CASE_MANAGER, BOISE, credentials="LSW"),
    StaffSpec("jordan", "Jordan", "Ellis", Role.CASE_MANAGER, BOISE, credentials="BSW"),
    StaffSpec("maria", "Maria", "Lopez", Role.CASE_MANAGER, CANYON, credentials="LSW"),
    StaffSpec("tom", "Tom", "Becker", Role.CASE_MANAGER, CANYON, credentials="CADC"),
    StaffSpec("grace", "Grace", "Kim", Role.CASE_MANAGER, CANYON, credentials="LSW"),
    StaffSpec("ben", "Ben", "Hatch", Role.CASE_MANAGER, POCATELLO, credentials="LSW"),
    StaffSpec("leah", "Leah", "Sorensen", Role.CASE_MANAGER, POCATELLO, credentials="CADC"),
    StaffSpec("diana", "Diana", "Park", Role.ADMINISTRATOR),
    StaffSpec("ruth", "Ruth", "Okafor", Role.QA_REVIEWER),
)

# What each role is shown, for the table of demo logins.
ROLE_SEES = {
    Role.CASE_MANAGER: "own team's clients; writes to own caseload",
    Role.SUPERVISOR: "reads and writes the supervised teams",
    Role.ADMINISTRATOR: "whole agency (read); configuration in /admin/",
    Role.QA_REVIEWER: "whole agency (read only)",
}


PROGRAMS: tuple[dict[str, Any], ...] = (
    {
        "code": "cmh-sed",
        "name": "Children's Mental Health (SED)",
        "description": "Clinical case management for children and youth with a serious "
        "emotional disturbance, and their families.",
        "initial_assessment_days": 30,
        "reassessment_interval_months": 12,
        "max_days_between_contacts": 30,
        "plan_review_interval_days": 90,
        "referral_follow_up_days": 14,
    },
    {
        "code": "hiv-cfp",
        "name": "HIV Community Follow-up",
        "description": "Linkage and retention in HIV medical care, benefits and housing.",
        "initial_assessment_days": 30,
        "reassessment_interval_months": 12,
        "max_days_between_contacts": 30,
        "plan_review_interval_days": 180,
        "referral_follow_up_days": 10,
    },
    {
        "code": "sud-op",
        "name": "Substance Use Outpatient",
        "is_part2": True,
        "description": "Case management alongside outpatient and intensive outpatient "
        "substance use treatment.",
        "initial_assessment_days": 30,
        "reassessment_interval_months": 12,
        "max_days_between_contacts": 14,
        "plan_review_interval_days": 90,
        "referral_follow_up_days": 7,
    },
)


@dataclass
class Created:
    staff: int = 0
    programs: int = 0
    clients: int = 0
    family_members: int = 0
    enrollments: int = 0
    contacts: int = 0


def ensure_agency() -> tuple[dict[str, User], Created]:
    """Regions, teams, staff and programs, created where missing, left alone where present."""
    created = Created()
    teams = _ensure_teams()
    users = _ensure_staff(teams, created)
    for program in PROGRAMS:
        _, made = Program.objects.get_or_create(
            code=program["code"], defaults={k: v for k, v in program.items() if k != "code"}
        )
        created.programs += made
    return users, created


def _ensure_teams() -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for team_name, region_name in TEAMS.items():
        region, _ = Region.objects.get_or_create(name=region_name)
        teams[team_name], _ = Team.objects.get_or_create(
            name=team_name, defaults={"region": region}
        )
    return teams


def _ensure_staff(teams: dict[str, Team], created: Created) -> dict[str, User]:
    """Every demo login by username, each supervisor with the teams they supervise."""
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s in STAFF])
    }
    # Hashed once: Argon2 is slow on purpose, and every demo login shares the password.
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for spec in STAFF:
        user = existing.get(spec.username)
        if user is None:
            user = _create_user(spec, teams, password_hash)
            created.staff += 1
        if spec.supervises:
            user.supervised_teams.add(*(teams[name] for name in spec.supervises))
        users[spec.username] = user
    return users


def _create_user(spec: StaffSpec, teams: dict[str, Team], password_hash: str) -> User:
    user = User(
        username=spec.username,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=f"{spec.username}@casework.example",
        role=spec.role,
        team=teams[spec.team] if spec.team else None,
        credentials=spec.credentials,
        is_staff=spec.role == Role.ADMINISTRATOR,
        password=password_hash,
    )
    user.full_clean()
    user.save()
    return user


def _teams_seen(user: User) -> str:
    """The login table's "team" column: what the user's scope covers."""
    if user.sees_whole_agency:
        return "whole agency"
    if user.is_supervisor:
        return ", ".join(t.name for t in user.supervised_teams.all())
    return str(user.team or "")


def write_demo_logins(stdout: OutputWrapper, style: Style) -> None:
    """The table of demo logins and their shared password."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[s.username for s in STAFF]).prefetch_related(
            "supervised_teams"
        )
    }
    rows = [("username", "role", "team", "sees")]
    for spec in STAFF:
        user = users.get(spec.username)
        if user is not None:
            role = Role(user.role)
            rows.append(
                (user.username, user.get_role_display(), _teams_seen(user), ROLE_SEES[role])
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    stdout.write(style.MIGRATE_HEADING("Demo logins"))
    for number, row in enumerate(rows):
        line = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        stdout.write(style.MIGRATE_LABEL(line) if number == 0 else line)
    stdout.write(f"Password for every demo login: {style.SUCCESS(DEMO_PASSWORD)}")
