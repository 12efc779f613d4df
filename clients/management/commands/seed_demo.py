"""``manage.py seed_demo``: a demo agency to click through, the same every time.

Two regions, three teams, their supervisors, eight case managers, an administrator and a QA
reviewer; three programs with their standards; 80 clients with families, enrollments at every
continuum stage and in every case management model (some closed, two transferred), about
four months of contacts ending a few days before today, and the clinical record: completed
initial assessments (a few still due or overdue), readiness and risk screens (positive ones
after a crisis) and approved service plans with goals, interventions and barriers.

Idempotent: staff are keyed on usernames, programs on codes, clients on fixed legacy record
numbers (``D-0001`` ...; ``CW-`` numbers are reserved for generated ones). The whole agency
is planned first from ``random.Random(2026)``, whatever the database holds, and only what is
missing is created, so a second run changes nothing. Clinical records go through
``clients.services`` like any other writer's, inside one transaction and a pghistory context
``source="seed_demo"``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from dataclasses import dataclass, field
from typing import Any

import pghistory
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, OutputWrapper
from django.core.management.color import Style
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Region, Role, Team, User
from clients import services
from clients.models import Client, Contact, Enrollment, FamilyMember, Program
from referrals import services as referrals
from referrals.models import Provider, Referral, ReferralStatus
from serviceplans import services as plans
from serviceplans.models import Domain, ServicePlan
from supervision import services as supervision
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule, RegionalPlan, SupervisionNote, Variance

# One password for every demo login: long enough for the validators (12 characters).
DEMO_PASSWORD = "casework-demo-2026"
SEED = 2026
CLIENT_COUNT = 80
RECORD_PREFIX = "D-"
# Contacts cover about four months and stop a few days before today.
CONTACT_HISTORY_DAYS = 120
NEWEST_CONTACT_DAYS_AGO = 2

Stage = Enrollment.ContinuumStage
CMModel = Enrollment.Model
CType = Contact.Type
Rel = FamilyMember.Relationship


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
        "reassessment_interval_days": 365,
        "max_days_between_contacts": 30,
        "plan_review_interval_days": 90,
        "referral_follow_up_days": 14,
    },
    {
        "code": "hiv-cfp",
        "name": "HIV Community Follow-up",
        "description": "Linkage and retention in HIV medical care, benefits and housing.",
        "initial_assessment_days": 30,
        "reassessment_interval_days": 365,
        "max_days_between_contacts": 30,
        "plan_review_interval_days": 180,
        "referral_follow_up_days": 10,
    },
    {
        "code": "sud-op",
        "name": "Substance Use Outpatient",
        "description": "Case management alongside outpatient and intensive outpatient "
        "substance use treatment.",
        "initial_assessment_days": 30,
        "reassessment_interval_days": 365,
        "max_days_between_contacts": 14,
        "plan_review_interval_days": 90,
        "referral_follow_up_days": 7,
    },
)

CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    BOISE: (
        ("Boise", "83702"),
        ("Boise", "83705"),
        ("Boise", "83706"),
        ("Meridian", "83642"),
        ("Garden City", "83714"),
        ("Kuna", "83634"),
    ),
    CANYON: (("Nampa", "83651"), ("Nampa", "83686"), ("Caldwell", "83605"), ("Middleton", "83644")),
    POCATELLO: (
        ("Pocatello", "83201"),
        ("Chubbuck", "83202"),
        ("Blackfoot", "83221"),
        ("Idaho Falls", "83401"),
    ),
}
STREETS = (
    "W State St",
    "N 5th St",
    "E Fairview Ave",
    "S Orchard St",
    "12th Ave S",
    "E Center St",
    "N Yellowstone Hwy",
    "Cleveland Blvd",
    "Garrity Blvd",
    "W Cherry Ln",
    "N Arthur Ave",
    "S Kimball Ave",
)
SCHOOLS = (
    "Riverside Elementary",
    "Foothills Middle School",
    "Valley View High School",
    "Eastside Elementary",
    "Lincoln Middle School",
    "Centennial High School",
)


# --- Names --------------------------------------------------------------------------------------

GIRLS = (
    "Emma", "Sofia", "Isabella", "Ava", "Mia", "Harper", "Camila", "Aaliyah", "Zoe", "Lily",
    "Ximena", "Nevaeh", "Riley", "Brooklyn", "Hana", "Amara", "Chloe", "Abigail", "Layla",
)  # fmt: skip
BOYS = (
    "Liam", "Noah", "Mateo", "Elijah", "Lucas", "Mason", "Jayden", "Ethan", "Diego", "Caleb",
    "Wyatt", "Owen", "Isaiah", "Kai", "Jaxon", "Gabriel", "Tyler", "Hunter", "Anthony",
)  # fmt: skip
WOMEN = (
    "Maria", "Jennifer", "Lisa", "Angela", "Tanya", "Rosa", "Michelle", "Kimberly", "Denise",
    "Crystal", "Amanda", "Yolanda", "Heather", "Fatima", "Linh", "Brenda", "Tiffany",
    "Guadalupe", "Shannon", "Patricia", "Ana", "Karen", "Stephanie", "Jessica",
)  # fmt: skip
MEN = (
    "Michael", "David", "Robert", "Jose", "Christopher", "Daniel", "Anthony", "Marcus", "Kevin",
    "Brian", "Luis", "Terrence", "Dustin", "Curtis", "Ahmed", "Trung", "Raymond", "Travis",
    "Jamal", "Cody", "Carlos", "Steven", "Jason", "Eric",
)  # fmt: skip
HISPANIC = (
    "Garcia", "Martinez", "Hernandez", "Lopez", "Torres", "Flores", "Rivera", "Morales",
    "Ramirez", "Sanchez", "Romero", "Chavez", "Gutierrez", "Ortiz", "Mendoza", "Vargas",
)  # fmt: skip
VIETNAMESE = ("Nguyen", "Tran", "Pham")
ARABIC = ("Ali", "Hassan")
# No Smith or Smyth here: "John Smith" is the one duplicate-search demo.
OTHER_SURNAMES = (
    "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
    "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
    "Adams", "Nelson", "Baker", "Hall", "Campbell", "Mitchell", "Carter", "Roberts", "Jensen",
    "Christensen", "Larsen", "Peterson", "Olsen", "Hansen", "Tso", "Yazzie", "Begay",
)  # fmt: skip
SURNAMES = HISPANIC + VIETNAMESE + ARABIC + OTHER_SURNAMES
NICKNAMES = {
    "Christopher": "Chris",
    "Michael": "Mike",
    "Guadalupe": "Lupe",
    "Jennifer": "Jen",
    "Anthony": "Tony",
    "Patricia": "Trish",
    "Isabella": "Bella",
    "Gabriel": "Gabe",
    "Robert": "Rob",
    "Kimberly": "Kim",
    "Abigail": "Abby",
    "Steven": "Steve",
}
MIDDLE_NAMES = ("Marie", "Lynn", "James", "Ann", "Lee", "Rose", "Alan", "Jean", "Ray", "Grace")


# --- Presenting issues --------------------------------------------------------------------------

PRESENTING_ISSUES: dict[str, tuple[str, ...]] = {
    "cmh-sed": (
        "Escalating aggression at home and school; suspended twice this term. "
        "Diagnosed ADHD and oppositional defiant disorder.",
        "School refusal and panic attacks since spring; missed 22 school days.",
        "Depressed mood, withdrawal and self-harm (cutting) disclosed to the school counselor.",
        "Trauma symptoms after removal from home: nightmares and aggressive outbursts.",
        "Severe mood swings and sleep disturbance after a six-day psychiatric hospitalisation.",
        "Repeated running away and conflict with parents; substance experimentation.",
        "Autism spectrum disorder with co-occurring anxiety; meltdowns put siblings at risk.",
    ),
    "hiv-cfp": (
        "Newly diagnosed with HIV; not yet linked to medical care.",
        "Out of HIV care for 14 months; detectable viral load; unstable housing.",
        "Inconsistent antiretroviral adherence related to depression and night shifts.",
        "Released from county jail last month; needs reconnection to HIV care and benefits.",
        "HIV with co-occurring alcohol use; missed the last two clinic appointments.",
    ),
    "sud-op": (
        "Methamphetamine use disorder; referred by probation after a positive screen.",
        "Alcohol use disorder; DUI charge pending; court requires outpatient treatment.",
        "Opioid use disorder on buprenorphine; prescriber and counseling need coordinating.",
        "Discharged from detox last week; needs linkage to outpatient treatment and housing.",
        "Cannabis and alcohol use; the child welfare case plan requires treatment.",
        "Polysubstance use; recently lost housing and staying with a friend.",
    ),
}
ELIGIBILITY: dict[str, tuple[str, ...]] = {
    "cmh-sed": (
        "Meets SED criteria: DSM-5 diagnosis with substantial functional impairment "
        "(CAFAS {n}). Medicaid active.",
        "Meets SED criteria (CAFAS {n}); family income below 200% FPL, sliding fee.",
    ),
    "hiv-cfp": (
        "HIV positive (documented {year}); income below 300% FPL; Ryan White eligible.",
        "HIV positive (documented {year}); Medicaid active.",
    ),
    "sud-op": (
        "ASAM level 1 recommended at assessment; Medicaid active.",
        "ASAM level 2.1 (intensive outpatient) recommended; state-funded treatment voucher.",
    ),
}
MODEL_WEIGHTS: dict[str, dict[str, int]] = {
    "cmh-sed": {
        CMModel.CLINICAL_REHABILITATION: 40,
        CMModel.STRENGTHS_BASED: 40,
        CMModel.BROKER_GENERALIST: 10,
        CMModel.ASSERTIVE_COMMUNITY_TREATMENT: 10,
    },
    "hiv-cfp": {
        CMModel.BROKER_GENERALIST: 45,
        CMModel.STRENGTHS_BASED: 35,
        CMModel.CLINICAL_REHABILITATION: 10,
        CMModel.ASSERTIVE_COMMUNITY_TREATMENT: 10,
    },
    "sud-op": {
        CMModel.STRENGTHS_BASED: 35,
        CMModel.CLINICAL_REHABILITATION: 30,
        CMModel.ASSERTIVE_COMMUNITY_TREATMENT: 20,
        CMModel.BROKER_GENERALIST: 15,
    },
}
# How long ago an episode at each stage applied: (fewest, most) days.
STAGE_AGES: dict[str, tuple[int, int]] = {
    Stage.CASE_FINDING: (5, 40),
    Stage.PRETREATMENT: (20, 90),
    Stage.PRIMARY_TREATMENT: (60, 540),
    Stage.AFTERCARE: (180, 900),
}
STAGE_WEIGHTS = {
    Stage.CASE_FINDING: 15,
    Stage.PRETREATMENT: 20,
    Stage.PRIMARY_TREATMENT: 45,
    Stage.AFTERCARE: 20,
}
# Days between contacts, by program: (fewest, most).
CONTACT_SPACING = {"cmh-sed": (5, 14), "hiv-cfp": (7, 20), "sud-op": (4, 11)}


# --- Contacts -----------------------------------------------------------------------------------

TYPE_WEIGHTS: dict[str, dict[str, int]] = {
    "child": {
        CType.HOME_VISIT: 30,
        CType.PHONE: 20,
        CType.COLLATERAL: 18,
        CType.FACE_TO_FACE: 12,
        CType.ATTEMPTED: 8,
        CType.VIDEO: 6,
        CType.CASE_CONFERENCE: 6,
    },
    "hiv-cfp": {
        CType.PHONE: 30,
        CType.FACE_TO_FACE: 20,
        CType.HOME_VISIT: 15,
        CType.COLLATERAL: 15,
        CType.ATTEMPTED: 10,
        CType.VIDEO: 8,
        CType.CASE_CONFERENCE: 2,
    },
    "sud-op": {
        CType.FACE_TO_FACE: 25,
        CType.PHONE: 25,
        CType.COLLATERAL: 20,
        CType.HOME_VISIT: 10,
        CType.ATTEMPTED: 10,
        CType.VIDEO: 8,
        CType.CASE_CONFERENCE: 2,
    },
}
# Minutes spent, by type: ((fewest, most) duration, (fewest, most) travel).
MINUTES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    CType.HOME_VISIT: ((45, 90), (10, 40)),
    CType.FACE_TO_FACE: ((30, 60), (0, 0)),
    CType.PHONE: ((5, 30), (0, 0)),
    CType.VIDEO: ((20, 45), (0, 0)),
    CType.COLLATERAL: ((10, 30), (0, 0)),
    CType.CASE_CONFERENCE: ((45, 75), (0, 20)),
    CType.ATTEMPTED: ((5, 10), (0, 30)),
    CType.CRISIS_INTERVENTION: ((60, 150), (15, 35)),
}

CHILD_NOTES: dict[str, tuple[str, ...]] = {
    CType.HOME_VISIT: (
        "Home visit with {first} and {guardian}. {first} attended school {days} of 5 days this "
        "week. Practised the calm-down plan from the service plan; {guardian} reports fewer "
        "evening outbursts. Next visit scheduled.",
        "Home visit. {Guardian} and {first} completed the family routine chart together. "
        "Discussed bedtime and screen-time limits; {first} agreed to try the new routine for "
        "two weeks. No safety concerns observed.",
        "Visited the family at home. {first} showed the coping cards made in therapy. "
        "{Guardian} asked about respite care; gave information on the respite program and "
        "will follow up.",
        "Home visit on goal 2 (school attendance). Walked through the morning routine with "
        "{guardian}; the bus schedule is a barrier. Will ask the school about transport.",
    ),
    CType.PHONE: (
        "Called {guardian} to check in. Medication refill picked up; {first} is sleeping "
        "better. No new concerns.",
        "Phone call with {guardian} to confirm Thursday's psychiatry appointment and arrange "
        "transport.",
        "{Guardian} called: {first} had a hard day at school after a conflict with a "
        "classmate. Reviewed the de-escalation steps used at home; will follow up at the next "
        "visit.",
    ),
    CType.FACE_TO_FACE: (
        "Met {first} and {guardian} at the agency office. Reviewed progress on the service "
        "plan goals and updated the strengths list.",
        "Met {first} at {school} at lunch with the counselor present. {first} says things are "
        "better with friends. Reviewed the check-in/check-out card.",
    ),
    CType.VIDEO: (
        "Video call with {guardian} and {first}: reviewed the week's goals; {first} rated mood "
        "6 out of 10.",
    ),
    CType.CASE_CONFERENCE: (
        "Case conference with {guardian}, the school counselor and the therapist. Agreed on "
        "consistent consequences at home and school; the counselor will send a daily "
        "behaviour report and CM will follow up on the IEP meeting date.",
    ),
    CType.ATTEMPTED: (
        "Scheduled home visit; no one home. Left a note and a voicemail for {guardian}.",
        "Called {guardian}; no answer and the voicemail box is full.",
        "",
    ),
}
HIV_NOTES: dict[str, tuple[str, ...]] = {
    CType.PHONE: (
        "Check-in call. {first} reports taking medication daily; the next viral load lab is "
        "on the 15th. Confirmed the bus pass is active.",
        "Called {first} to remind them of tomorrow's clinic appointment; attendance confirmed.",
    ),
    CType.FACE_TO_FACE: (
        "Met {first} at the clinic after the provider visit. Viral load undetectable. "
        "Discussed the housing application.",
        "Office visit: completed the housing assistance paperwork with {first} and submitted "
        "it to the housing authority.",
    ),
    CType.HOME_VISIT: (
        "Home visit. Reviewed the pill organiser with {first}: two missed doses this week "
        "after late shifts. Set phone reminders together.",
        "Home visit. {first} has enough food this week after the food bank referral; "
        "discussed a budget for utilities.",
    ),
    CType.VIDEO: (
        "Video check-in. {first} reports stable mood and adherence. Talked about disclosure to "
        "family; will revisit next time.",
    ),
    CType.CASE_CONFERENCE: (
        "Case conference with the clinic nurse and {first}: adherence plan and transport to "
        "appointments.",
    ),
    CType.ATTEMPTED: (
        "Called {first}; the number is disconnected. Sent a letter to the last known address.",
        "Went to the apartment for a scheduled visit; no answer.",
        "",
    ),
}
SUD_NOTES: dict[str, tuple[str, ...]] = {
    CType.FACE_TO_FACE: (
        "Met {first} at the office. Attended 3 of 3 group sessions this week; the treatment "
        "provider reports a negative screen. Talked through triggers around payday.",
        "Office visit. {first} reports cravings after a conflict with {partner}; reviewed the "
        "relapse-prevention plan and the sponsor's number.",
    ),
    CType.PHONE: (
        "Check-in call. {first} has a job interview on Friday; practised answers. Still "
        "attending IOP.",
        "Called {first} to confirm the IOP intake appointment and childcare for that afternoon.",
    ),
    CType.HOME_VISIT: (
        "Home visit. Living situation stable; roommate supportive. {first} went to two "
        "recovery meetings this week.",
    ),
    CType.VIDEO: (
        "Video session. {first} reviewed the week's recovery goals and named Saturday evenings "
        "as the riskiest time.",
    ),
    CType.CASE_CONFERENCE: (
        "Case conference with the outpatient counselor and {first}: agreed to add weekly peer "
        "support and continue IOP.",
    ),
    CType.ATTEMPTED: (
        "Missed the scheduled office visit; called and left a message.",
        "Texted and called to reschedule; no response yet.",
        "",
    ),
}
NOTES = {"child": CHILD_NOTES, "hiv-cfp": HIV_NOTES, "sud-op": SUD_NOTES}
# Collateral contacts: (who was spoken with, the note).
COLLATERAL_NOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "child": (
        (
            "School counselor",
            "Spoke with the school counselor at {school} about attendance and the behaviour "
            "plan. Counselor reports improvement in class and will share weekly attendance.",
        ),
        (
            "Therapist",
            "Collateral call with {first}'s therapist to coordinate goals for anxiety; the "
            "therapist will add exposure practice to sessions.",
        ),
        (
            "Psychiatrist's nurse",
            "Call with the psychiatrist's nurse about a side-effect question from {guardian}; "
            "the nurse will call the family back today.",
        ),
    ),
    "hiv-cfp": (
        (
            "Clinic nurse",
            "Spoke with the clinic nurse about {first}'s missed lab appointment; rescheduled "
            "for next week.",
        ),
        (
            "Ryan White benefits coordinator",
            "Call with the Ryan White benefits coordinator to renew {first}'s ADAP enrollment; "
            "documents sent.",
        ),
    ),
    "sud-op": (
        (
            "Probation officer",
            "Spoke with {first}'s probation officer: compliant with the treatment requirement. "
            "Release of information on file.",
        ),
        (
            "Outpatient counselor",
            "Call with the outpatient counselor: {first} attends consistently; the counselor "
            "recommends stepping down to standard outpatient next month.",
        ),
        (
            "Detox discharge planner",
            "Call with the detox unit's discharge planner about {first}'s move to outpatient; "
            "intake booked for Monday.",
        ),
    ),
}
CASE_CONFERENCE_PARTICIPANTS = {
    "child": "{first}, {guardian}, school counselor, therapist",
    "hiv-cfp": "{first}, clinic nurse",
    "sud-op": "{first}, outpatient counselor",
}
# The few crisis interventions: (kind of client, local time, where, the note a supervisor reads).
CRISIS_NOTES: tuple[tuple[str, dt.time, str, str], ...] = (
    (
        "child",
        dt.time(19, 40),
        "Client's home",
        "On call: {Guardian} called at 7:40 pm; {first} had locked the bedroom door and said "
        "they did not want to be here anymore. Went to the home with the case manager. Suicide "
        "risk screen: moderate (ideation, no plan, no access to means found). Safety plan "
        "updated with {first} and {guardian}; medications and sharps locked away. Mobile "
        "crisis consulted by phone; therapist appointment moved to tomorrow. Follow-up call "
        "scheduled for the morning.",
    ),
    (
        "child",
        dt.time(10, 30),
        "{school}",
        "Called by {school}: {first} threw a chair in class and left the building. Met "
        "{first} and {guardian} at the school; {first} calmed after 40 minutes with the "
        "de-escalation plan. No injuries. Agreed a shortened school day for the rest of the "
        "week and a meeting with the behaviour team.",
    ),
    (
        "child",
        dt.time(16, 0),
        "Client's home",
        "During a visit {first} disclosed being hit with a belt by an adult in the home, with "
        "marks on the arm. Report made to Child Protective Services as a mandated reporter "
        "(reference recorded in the file); supervisor consulted. {first} stayed with "
        "{guardian}, who was not the adult named, pending the CPS response.",
    ),
    (
        "hiv-cfp",
        dt.time(9, 15),
        "By phone",
        "{first} called from a friend's phone after a partner assaulted them last night. "
        "No injuries needing medical care. Completed a domestic violence safety plan; "
        "gave the hotline number and shelter options; {first} chose to stay with a friend. "
        "Advocate appointment arranged for tomorrow; clinic visit kept.",
    ),
    (
        "sud-op",
        dt.time(21, 10),
        "By phone",
        "{first} called intoxicated after a relapse, saying things were hopeless. Stayed on "
        "the line and brought in mobile crisis; risk screen low once sober, no plan. "
        "Naloxone kit confirmed at home. Detox bed found for the morning; {partner} will drive.",
    ),
)


JOHN_SMITH_RECORD = "D-0031"
JOHN_SMITH: dict[str, Any] = {
    "first_name": "John",
    "middle_name": "",
    "preferred_name": "",
    "last_name": "Smith",
    "date_of_birth": dt.date(1985, 3, 14),
    "sex": Client.Sex.MALE,
    "gender_identity": "",
}


# --- The plan -----------------------------------------------------------------------------------


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


# Who takes which clients: (program codes, team, how many clients).
CASELOAD_MIX: tuple[tuple[tuple[str, ...], str, int], ...] = (
    (("cmh-sed",), BOISE, 24),
    (("cmh-sed",), POCATELLO, 6),
    (("sud-op",), CANYON, 18),
    (("sud-op",), POCATELLO, 8),
    (("hiv-cfp",), CANYON, 12),
    (("hiv-cfp",), POCATELLO, 6),
    (("hiv-cfp", "sud-op"), CANYON, 4),
    (("hiv-cfp", "sud-op"), POCATELLO, 2),
)
CLOSE_REASONS = (
    (Enrollment.CloseReason.GOALS_MET, "Service plan goals met; family agreed to close."),
    (Enrollment.CloseReason.GOALS_MET, "Stable for three months; goals met."),
    (Enrollment.CloseReason.GOALS_MET, "Goals met; linked to ongoing outpatient care."),
    (Enrollment.CloseReason.LOST_CONTACT, "No response to calls, visits or letters for 30 days."),
    (Enrollment.CloseReason.LOST_CONTACT, "Unable to reach after repeated attempts."),
    (Enrollment.CloseReason.MOVED, "Moved out of state to live with family."),
    (Enrollment.CloseReason.DECLINED, "Client declined further case management."),
    (Enrollment.CloseReason.TRANSFERRED_OUT, "Transferred to the tribal health program."),
)


class AgencyPlanner:
    """Plans the demo agency from a seeded random generator; touches no database."""

    def __init__(self, *, today: dt.date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.used_names: set[tuple[str, str]] = set()
        self.case_managers = {
            team: [s.username for s in STAFF if s.team == team and s.role == Role.CASE_MANAGER]
            for team in TEAMS
        }
        # Caseloads dealt round the team in turn, from a seeded shuffle.
        self.next_case_manager = {
            team: itertools.cycle(self.rng.sample(names, len(names)))
            for team, names in self.case_managers.items()
        }

    # Planned in passes, so that closures, transfers and crises are chosen
    # across all enrollments before contacts are laid out.
    def plan(self) -> list[ClientPlan]:
        clients = self._plan_clients()
        episodes = [(c, e) for c in clients for e in c.enrollments]
        self._plan_closures(episodes)
        self._plan_transfers(episodes)
        for client, enrollment in episodes:
            self._plan_contacts(client, enrollment)
        self._plan_crises(episodes)
        return clients

    # -- clients and families --

    def _plan_clients(self) -> list[ClientPlan]:
        clients: list[ClientPlan] = []
        number = 0
        for programs, team, count in CASELOAD_MIX:
            for _ in range(count):
                number += 1
                record_number = f"{RECORD_PREFIX}{number:04d}"
                child = programs == ("cmh-sed",)
                kind = "child" if child else programs[-1]
                # D-0031 is the duplicate-search demo: "Jon Smyth" finds him.
                fixed = JOHN_SMITH if record_number == JOHN_SMITH_RECORD else None
                client = self._plan_client(record_number, team, kind=kind, fixed=fixed)
                case_manager = next(self.next_case_manager[team])
                for code in programs:
                    client.enrollments.append(self._plan_enrollment(client, code, case_manager))
                clients.append(client)
        self._plan_returning_clients(clients)
        return clients

    def _unique_name(self, firsts: tuple[str, ...], surname: str | None = None) -> tuple[str, str]:
        while True:
            first = self.rng.choice(firsts)
            last = surname or self.rng.choice(SURNAMES)
            if (first, last) not in self.used_names:
                self.used_names.add((first, last))
                return first, last
            surname = None  # a sibling's name clash: take another family name

    def _language(self, surname: str) -> tuple[str, bool]:
        rng = self.rng
        if surname in HISPANIC and rng.random() < 0.35:
            return "Spanish", rng.random() < 0.6
        if surname in VIETNAMESE and rng.random() < 0.5:
            return "Vietnamese", rng.random() < 0.6
        if surname in ARABIC and rng.random() < 0.5:
            return rng.choice(("Arabic", "Somali")), rng.random() < 0.6
        return "English", False

    def _phone(self) -> str:
        return f"(208) 555-01{self.rng.randint(0, 99):02d}"

    def _plan_client(
        self, record_number: str, team: str, *, kind: str, fixed: dict[str, Any] | None
    ) -> ClientPlan:
        rng = self.rng
        child = kind == "child"
        female = rng.random() < (0.45 if child else 0.5)
        firsts: tuple[str, ...]
        if child:
            firsts = GIRLS if female else BOYS
            age_days = rng.randint(6 * 365, 17 * 365)
        else:
            firsts = WOMEN if female else MEN
            age_days = rng.randint(20 * 365, 68 * 365)
        first, last = self._unique_name(firsts)
        city, postal_code = rng.choice(CITIES[team])
        language, interpreter = self._language(last)
        gender_identity = ""
        if not child and kind == "hiv-cfp" and rng.random() < 0.15:
            gender_identity = rng.choice(("Transgender woman", "Non-binary"))
        fields: dict[str, Any] = {
            "first_name": first,
            "middle_name": rng.choice(MIDDLE_NAMES) if rng.random() < 0.3 else "",
            "last_name": last,
            "preferred_name": NICKNAMES.get(first, "") if rng.random() < 0.5 else "",
            "date_of_birth": self.today - dt.timedelta(days=age_days),
            "sex": Client.Sex.FEMALE if female else Client.Sex.MALE,
            "gender_identity": gender_identity,
            "primary_language": language,
            "interpreter_needed": interpreter and not child,
            "phone": "" if child else self._phone(),
            "email": "",
            "address_line": f"{rng.randint(100, 4999)} {rng.choice(STREETS)}",
            "city": city,
            "state": "ID",
            "postal_code": postal_code,
        }
        if fixed:
            fields.update(fixed)
            first, last = fields["first_name"], fields["last_name"]
        if not child and rng.random() < 0.3:
            fields["email"] = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower()
        client = ClientPlan(record_number=record_number, team=team, fields=fields, kind=kind)
        if child:
            client.school = rng.choice(SCHOOLS)
            self._plan_child_family(client)
        else:
            self._plan_adult_family(client)
        return client

    def _member(
        self,
        client: ClientPlan,
        *,
        relationship: str,
        female: bool,
        age_years: tuple[int, int] | None,  # how many years older than the client
        same_surname: bool = True,
        is_guardian: bool = False,
        lives_in_household: bool = True,
        takes_part_in_planning: bool = False,
        called: str = "",
    ) -> FamilyPlan:
        rng = self.rng
        born = client.fields["date_of_birth"]
        firsts: tuple[str, ...]
        if relationship in (Rel.SIBLING, Rel.CHILD):
            firsts = GIRLS if female else BOYS
        else:
            firsts = WOMEN if female else MEN
        surname = client.fields["last_name"] if same_surname else None
        first, last = self._unique_name(firsts, surname)
        date_of_birth = None
        if age_years is not None:
            date_of_birth = born - dt.timedelta(days=rng.randint(*age_years) * 365)
            date_of_birth = min(date_of_birth, self.today - dt.timedelta(days=200))
        fields = {
            "first_name": first,
            "last_name": last,
            "relationship": relationship,
            "date_of_birth": date_of_birth,
            "is_guardian": is_guardian,
            "lives_in_household": lives_in_household,
            "takes_part_in_planning": takes_part_in_planning,
            "phone": self._phone() if relationship not in (Rel.SIBLING, Rel.CHILD) else "",
        }
        return FamilyPlan(fields=fields, called=f"{called} {first}".strip())

    def _plan_child_family(self, client: ClientPlan) -> None:
        rng = self.rng
        roll = rng.random()
        add = client.family.append
        if roll < 0.55:  # mother, often with father or a stepfather
            add(
                self._member(
                    client,
                    relationship=Rel.PARENT,
                    female=True,
                    age_years=(20, 40),
                    is_guardian=True,
                    takes_part_in_planning=True,
                    called="mother",
                )
            )
            if rng.random() < 0.5:
                add(
                    self._member(
                        client,
                        relationship=Rel.PARENT,
                        female=False,
                        age_years=(21, 45),
                        is_guardian=True,
                        takes_part_in_planning=rng.random() < 0.6,
                        called="father",
                    )
                )
            elif rng.random() < 0.4:
                add(
                    self._member(
                        client,
                        relationship=Rel.STEP_PARENT,
                        female=False,
                        age_years=(22, 45),
                        same_surname=False,
                        called="stepfather",
                    )
                )
        elif roll < 0.70:  # father raising the child alone
            add(
                self._member(
                    client,
                    relationship=Rel.PARENT,
                    female=False,
                    age_years=(21, 45),
                    is_guardian=True,
                    takes_part_in_planning=True,
                    called="father",
                )
            )
        elif roll < 0.88:  # grandmother has guardianship; mother out of the home
            add(
                self._member(
                    client,
                    relationship=Rel.GRANDPARENT,
                    female=True,
                    age_years=(45, 70),
                    is_guardian=True,
                    takes_part_in_planning=True,
                    called="grandmother",
                )
            )
            add(
                self._member(
                    client,
                    relationship=Rel.PARENT,
                    female=True,
                    age_years=(20, 38),
                    lives_in_household=False,
                    called="mother",
                )
            )
        else:  # foster placement: the state holds custody, the foster parent takes part
            add(
                self._member(
                    client,
                    relationship=Rel.FOSTER_PARENT,
                    female=True,
                    age_years=(30, 60),
                    same_surname=False,
                    takes_part_in_planning=True,
                    called="foster mother",
                )
            )
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            add(
                self._member(
                    client,
                    relationship=Rel.SIBLING,
                    female=rng.random() < 0.5,
                    age_years=(-6, 6),
                    called="sibling",
                )
            )

    def _plan_adult_family(self, client: ClientPlan) -> None:
        rng = self.rng
        add = client.family.append
        if rng.random() < 0.5:
            add(
                self._member(
                    client,
                    relationship=Rel.SPOUSE_PARTNER,
                    female=client.fields["sex"] == Client.Sex.MALE,
                    age_years=(-8, 8),
                    same_surname=rng.random() < 0.5,
                    takes_part_in_planning=rng.random() < 0.4,
                    called="partner",
                )
            )
        if rng.random() < 0.35:
            for _ in range(rng.choice((1, 1, 2))):
                add(
                    self._member(
                        client,
                        relationship=Rel.CHILD,
                        female=rng.random() < 0.5,
                        age_years=(-35, -18),
                        called="child",
                    )
                )
        if rng.random() < 0.2:
            add(
                self._member(
                    client,
                    relationship=Rel.OTHER_RELATIVE,
                    female=True,
                    age_years=(-5, 5),
                    same_surname=True,
                    lives_in_household=False,
                    takes_part_in_planning=True,
                    called="sister",
                )
            )

    # -- enrollments --

    def _plan_enrollment(
        self, client: ClientPlan, program: str, case_manager: str
    ) -> EnrollmentPlan:
        rng = self.rng
        stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
        fewest, most = STAGE_AGES[stage]
        # Never before the client was six: the program's youngest.
        oldest_allowed = (self.today - client.fields["date_of_birth"]).days - 6 * 365
        applied_days_ago = max(fewest, min(rng.randint(fewest, most), oldest_allowed))
        weights = MODEL_WEIGHTS[program]
        model = rng.choices(list(weights), weights=list(weights.values()))[0]
        eligibility = rng.choice(ELIGIBILITY[program]).format(
            n=rng.choice(range(90, 180, 10)), year=rng.randint(2008, 2025)
        )
        return EnrollmentPlan(
            program=program,
            case_manager=case_manager,
            application_date=self.today - dt.timedelta(days=applied_days_ago),
            continuum_stage=stage,
            case_management_model=model,
            presenting_issue=rng.choice(PRESENTING_ISSUES[program]),
            eligibility_note=eligibility,
        )

    def _plan_returning_clients(self, clients: list[ClientPlan]) -> None:
        """Two children came back: an earlier episode closed with goals met, then a new one."""
        ten_years_ago = self.today - dt.timedelta(days=10 * 365)
        children = [
            c
            for c in clients
            if c.kind == "child" and c.team == BOISE and c.fields["date_of_birth"] < ten_years_ago
        ]
        for client in self.rng.sample(children, 2):
            current = client.enrollments[0]
            applied = self.today - dt.timedelta(days=self.rng.randint(800, 1000))
            closed_on = applied + dt.timedelta(days=self.rng.randint(240, 400))
            earlier = EnrollmentPlan(
                program="cmh-sed",
                case_manager=current.case_manager,
                application_date=applied,
                continuum_stage=Stage.AFTERCARE,
                case_management_model=current.case_management_model,
                presenting_issue="Anxiety and school refusal after a family move.",
                eligibility_note=current.eligibility_note,
                closed_on=closed_on,
                close_reason=Enrollment.CloseReason.GOALS_MET,
                close_note="Attending school full time; family confident with the plan.",
            )
            client.enrollments.insert(0, earlier)
            # The new episode starts after the earlier one closed.
            current.application_date = max(
                current.application_date, closed_on + dt.timedelta(days=90)
            )

    def _plan_closures(self, episodes: list[tuple[ClientPlan, EnrollmentPlan]]) -> None:
        eligible = [
            e
            for _, e in episodes
            if e.closed_on is None
            and (self.today - e.application_date).days > 75
            and e.continuum_stage in (Stage.PRIMARY_TREATMENT, Stage.AFTERCARE)
        ]
        for enrollment, (reason, note) in zip(
            self.rng.sample(eligible, len(CLOSE_REASONS)), CLOSE_REASONS, strict=True
        ):
            enrollment.closed_on = self.today - dt.timedelta(days=self.rng.randint(6, 60))
            enrollment.close_reason = reason
            enrollment.close_note = note

    def _plan_transfers(self, episodes: list[tuple[ClientPlan, EnrollmentPlan]]) -> None:
        """Two open episodes moved to a colleague (a caseload rebalanced); kept in history."""
        for team in (BOISE, CANYON):
            candidates = [
                e
                for c, e in episodes
                if c.team == team and e.closed_on is None and e.transfer_to is None
            ]
            enrollment = self.rng.choice(candidates)
            colleagues = [u for u in self.case_managers[team] if u != enrollment.case_manager]
            enrollment.transfer_to = self.rng.choice(colleagues)

    # -- contacts --

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


# --- The clinical record: assessments, screens and plans ---------------------------------------

# Goals in the client's own words, with their life domain and one intervention each:
# (client words, domain, who does it, responsible name, what, when, where, why).
GOALS: dict[str, tuple[tuple[str, str, str, str, str, str, str, str], ...]] = {
    "child": (
        ("I want to go to school every day without my stomach hurting.", "education_employment",
         "case_manager", "", "Meet the school counselor to set up a gradual return timetable.",
         "Weekly until full days", "School", "Attendance builds with support, not pressure."),
        ("I want to stop yelling at my mom when I get mad.", "family", "provider",
         "Canyon Family Therapy", "Family therapy sessions on calming skills.", "Every Tuesday",
         "Clinic", "The family asked for help with conflict at home."),
        ("I want to sleep in my own bed all night.", "mental_health", "family_member",
         "mother", "Keep the bedtime routine from the therapy worksheet.", "Every night",
         "Home", "A steady routine lowers night-time anxiety."),
    ),
    "hiv-cfp": (
        ("I want to take my meds every day and keep my viral load down.", "physical_health",
         "client", "", "Use the pill box and phone alarm; bring the box to each visit.", "Daily",
         "Home", "Adherence keeps the virus suppressed."),
        ("I want my own place.", "housing", "provider", "Boise Housing Authority",
         "Complete the housing voucher application.", "By the end of the month",
         "Housing office", "Stable housing supports staying in care."),
    ),
    "sud-op": (
        ("I want to stay sober and get my kids back.", "substance_use", "provider",
         "Treasure Valley Recovery", "Intensive outpatient group.", "Three evenings a week",
         "Clinic", "Treatment is a condition of the family plan."),
        ("I want a steady job.", "education_employment", "case_manager", "",
         "Referral to vocational rehabilitation and help with the application.", "Within 2 weeks",
         "Vocational rehabilitation office", "Work gives structure and income."),
    ),
}  # fmt: skip
FINDINGS = "Discussed with the client{family}; see the plan for what was agreed."
BARRIERS = (("transport", "Bus pass and rides to the first appointments."),
            ("childcare", "Sitter arranged through the church for group evenings."),
            ("reluctance", "Motivational interviewing; start with one small step."))  # fmt: skip


def write_clinical_record(
    *,
    rng: random.Random,
    plan: ClientPlan,
    episode: EnrollmentPlan,
    enrollment: Enrollment,
    case_manager: User,
    supervisor: User,
    today: dt.date,
) -> None:
    """Most enrollments have a completed initial assessment (some late, a few still due or
    overdue), a readiness and risk screen (positive where the plan had a crisis), and, once
    the assessment is done, an approved service plan."""
    age = (today - episode.application_date).days
    if age < 20 or rng.random() < 0.15:
        return  # not yet assessed: the caseload shows it due or overdue
    last_day = min(today, episode.closed_on or today)
    completed_on = min(episode.application_date + dt.timedelta(days=rng.randint(8, 40)), last_day)
    assessment = plans.assessment_start(actor=case_manager, enrollment=enrollment)
    family = " and family" if plan.kind == "child" else ""
    plans.assessment_save(
        actor=case_manager,
        assessment=assessment,
        summary=episode.presenting_issue,
        findings={
            d: {"findings": FINDINGS.format(family=family),
                "need_level": rng.choice(("low", "moderate", "high", "none"))}
            for d in Domain.values
        },
    )  # fmt: skip
    plans.assessment_complete(actor=case_manager, assessment=assessment, completed_on=completed_on)
    crisis = any(c.contact_type == CType.CRISIS_INTERVENTION for c in episode.contacts)
    plans.risk_screen_record(
        actor=case_manager,
        enrollment=enrollment,
        screened_on=completed_on,
        mental_health_stage=rng.choice(("contemplation", "preparation", "action")),
        substance_use_stage="action" if plan.kind == "sud-op" else "",
        suicidal_ideation=crisis and plan.kind == "child",
        crisis=crisis,
        medication_adherence="good" if plan.kind == "hiv-cfp" else "not_applicable",
        appointment_adherence=rng.choice(("good", "partial")),
    )
    start = completed_on + dt.timedelta(days=3)
    if (last_day - start).days < 5:
        return
    draft = plans.plan_start(actor=case_manager, enrollment=enrollment, start_date=start)
    for words, domain, who, name, what, when, where, why in rng.sample(
        GOALS[plan.kind], k=min(2, len(GOALS[plan.kind]))
    ):
        goal = plans.goal_add(
            actor=case_manager, plan=draft, client_words=words, life_domain=domain,
            target_date=start + dt.timedelta(days=90),
        )  # fmt: skip
        plans.action_add(
            actor=case_manager, goal=goal, kind="intervention", responsible=who,
            responsible_name=name, what=what, when=when, where=where, why=why,
            due_date=start + dt.timedelta(days=60),
        )  # fmt: skip
    kind, strategy = rng.choice(BARRIERS)
    plans.barrier_add(actor=case_manager, plan=draft, kind=kind, strategy=strategy)
    plans.plan_update(
        actor=case_manager, plan=draft, rationale_explained_on=start, client_signed_on=start,
        family_participants=list(enrollment.client.family_members.filter(takes_part_in_planning=True)),
    )  # fmt: skip
    plans.plan_approve(
        actor=supervisor, plan=draft, approved_on=min(start + dt.timedelta(days=2), last_day)
    )


# --- The provider directory and linkage -------------------------------------------------------

# (name, address, phone, languages, Medicaid, waitlist weeks, [(service, type)], eligibility)
ProviderSpec = tuple[
    str, str, str, tuple[str, ...], bool, int | None, tuple[tuple[str, str], ...], str
]
PROVIDERS: tuple[ProviderSpec, ...] = (
    ("Treasure Valley Recovery", "1010 W Main St, Boise ID", "208-555-0140",
     ("English", "Spanish"), True, 1,
     (("Intensive outpatient", "substance_use"), ("Co-occurring group", "co_occurring")),
     "Adults 18+; Medicaid and sliding scale."),
    ("Canyon Family Therapy", "22 Cleveland Blvd, Caldwell ID", "208-555-0177",
     ("English", "Spanish"), True, 3,
     (("Family therapy", "mental_health"), ("Child and adolescent therapy", "mental_health")),
     "Children 4-17 and their families."),
    ("Snake River Behavioral Health", "400 Center St, Pocatello ID", "208-555-0190",
     ("English",), True, 6,
     (("Outpatient counseling", "mental_health"), ("Medication management", "mental_health")),
     "Waiting list for psychiatry."),
    ("Boise Housing Authority", "1276 River St, Boise ID", "208-555-0112",
     ("English", "Spanish", "Arabic"), False, 12,
     (("Housing choice vouchers", "housing"),), "Income limits apply."),
    ("Family Health Clinic HIV Program", "600 N Robbins Rd, Boise ID", "208-555-0155",
     ("English", "Spanish"), True, 0,
     (("HIV primary care", "medical_hiv"), ("Adherence counseling", "medical_hiv")), ""),
    ("Idaho Legal Aid", "310 N 5th St, Boise ID", "208-555-0133",
     ("English", "Spanish"), False, 4, (("Family and housing law", "legal"),), "Income limits."),
    ("Gem State Vocational Rehabilitation", "1720 Westgate Dr, Boise ID", "208-555-0166",
     ("English",), True, 2, (("Job training and placement", "education_employment"),), ""),
)  # fmt: skip
# Which provider a referral from each kind of client goes to, and what it shares.
REFERRAL_TO: dict[str, tuple[str, tuple[str, ...]]] = {
    "child": ("Canyon Family Therapy", ("identifying", "assessment", "service_plan")),
    "hiv-cfp": ("Family Health Clinic HIV Program", ("identifying", "medical_hiv", "service_plan")),
    "sud-op": ("Treasure Valley Recovery", ("identifying", "service_plan", "substance_use")),
}  # fmt: skip


def ensure_providers(*, administrator: User) -> dict[str, Provider]:
    existing = {p.name: p for p in Provider.objects.all()}
    for name, address, phone, languages, medicaid, waitlist, offered, notes in PROVIDERS:
        if name not in existing:
            existing[name] = referrals.provider_save(
                actor=administrator, services=list(offered), name=name, address=address,
                phone=phone, languages=list(languages), accepts_medicaid=medicaid,
                waitlist_weeks=waitlist, waitlist_checked_on=timezone.localdate(),
                eligibility_notes=notes,
            )  # fmt: skip
    return existing


def write_referral(
    *,
    rng: random.Random,
    plan: ClientPlan,
    enrollment: Enrollment,
    case_manager: User,
    providers: dict[str, Provider],
    today: dt.date,
) -> None:
    """About a third of enrollments with an active plan have a referral for its first goal,
    under a signed release of information, sent and followed up."""
    active = ServicePlan.objects.filter(enrollment=enrollment, status="active").first()
    if active is None or rng.random() > 0.35:
        return
    provider_name, categories = REFERRAL_TO[plan.kind]
    provider = providers[provider_name]
    client = enrollment.client
    signed_on = active.start_date
    referrals.consent_record(
        actor=case_manager, client=client, discloser="Casework agency",
        recipient_provider=provider, categories=list(categories),
        purpose="Referral for services in the service plan and coordination of care.",
        expires_on=signed_on + dt.timedelta(days=365), signer="client",
        signer_name=f"{client.first_name} {client.last_name}", signed_on=signed_on,
        right_to_revoke_explained=True,
    )  # fmt: skip
    referral = referrals.referral_create(
        actor=case_manager, enrollment=enrollment, provider=provider,
        goal=active.goals.first(), reason="As agreed in the service plan.",
        categories=list(categories),
    )  # fmt: skip
    # Drafted the day the release was signed, as it would have been.
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(signed_on, dt.time(10)))
    )
    day = signed_on
    for step in ("sent", "accepted", "appointment_scheduled", "attended")[: rng.randint(1, 4)]:
        day = min(day + dt.timedelta(days=rng.randint(1, 6)), today)
        referrals.referral_transition(
            actor=case_manager, referral=referral, to_status=step, occurred_on=day,
            note=f"{ReferralStatus(step).label} ({provider.name}).",
        )  # fmt: skip


# --- Writing it -------------------------------------------------------------------------------


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
    teams: dict[str, Team] = {}
    for team_name, region_name in TEAMS.items():
        region, _ = Region.objects.get_or_create(name=region_name)
        teams[team_name], _ = Team.objects.get_or_create(
            name=team_name, defaults={"region": region}
        )
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s in STAFF])
    }
    # Hashed once: Argon2 is slow on purpose, and every demo login shares the password.
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for spec in STAFF:
        user = existing.get(spec.username)
        if user is None:
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
            created.staff += 1
        if spec.supervises:
            user.supervised_teams.add(*(teams[name] for name in spec.supervises))
        users[spec.username] = user
    for program in PROGRAMS:
        _, made = Program.objects.get_or_create(
            code=program["code"], defaults={k: v for k, v in program.items() if k != "code"}
        )
        created.programs += made
    return users, created


def write_client(
    plan: ClientPlan,
    *,
    users: dict[str, User],
    programs: dict[str, Program],
    providers: dict[str, Provider],
    created: Created,
) -> None:
    registrar = users[plan.enrollments[-1].case_manager]
    client = services.client_register(
        actor=registrar, record_number=plan.record_number, **plan.fields
    )
    created.clients += 1
    for member in plan.family:
        services.family_member_add(actor=registrar, client=client, **member.fields)
        created.family_members += 1
    supervisor = next(
        users[s.username] for s in STAFF if s.role == Role.SUPERVISOR and plan.team in s.supervises
    )
    for episode in plan.enrollments:
        case_manager = users[episode.case_manager]
        enrollment = services.enrollment_open(
            actor=case_manager,
            client=client,
            program=programs[episode.program],
            case_manager=case_manager,
            application_date=episode.application_date,
            continuum_stage=episode.continuum_stage,
            case_management_model=episode.case_management_model,
            presenting_issue=episode.presenting_issue,
            eligibility_note=episode.eligibility_note,
        )
        created.enrollments += 1
        for contact in episode.contacts:
            services.contact_record(
                actor=supervisor if contact.by_supervisor else case_manager,
                enrollment=enrollment,
                occurred_at=contact.occurred_at,
                contact_type=contact.contact_type,
                duration_minutes=contact.duration_minutes,
                travel_minutes=contact.travel_minutes,
                participants=contact.participants,
                location=contact.location,
                note=contact.note,
            )
            created.contacts += 1
        # As if each contact had been written up on the day it happened: their 24-hour
        # correction windows closed long ago, as they would have in a real agency.
        Contact.objects.filter(enrollment=enrollment).update(created_at=F("occurred_at"))
        rng = random.Random(f"{SEED}-{plan.record_number}-{episode.program}")
        write_clinical_record(
            rng=rng,
            plan=plan,
            episode=episode,
            enrollment=enrollment,
            case_manager=case_manager,
            supervisor=supervisor,
            today=timezone.localdate(),
        )
        if episode.closed_on is None:
            write_referral(
                rng=rng,
                plan=plan,
                enrollment=enrollment,
                case_manager=case_manager,
                providers=providers,
                today=timezone.localdate(),
            )
        if episode.closed_on is not None:
            services.enrollment_close(
                actor=case_manager,
                enrollment=enrollment,
                closed_on=episode.closed_on,
                close_reason=episode.close_reason,
                close_note=episode.close_note,
            )
        if episode.transfer_to is not None:
            services.enrollment_transfer(
                actor=supervisor, enrollment=enrollment, case_manager=users[episode.transfer_to]
            )


def seed_demo_agency() -> Created:
    """Create whatever part of the demo agency is missing; return what was created."""
    plans = AgencyPlanner(today=timezone.localdate()).plan()
    with transaction.atomic(), pghistory.context(source="seed_demo"):
        users, created = ensure_agency()
        existing = set(
            Client.objects.filter(record_number__in=[p.record_number for p in plans]).values_list(
                "record_number", flat=True
            )
        )
        programs = {p.code: p for p in Program.objects.all()}
        providers = ensure_providers(administrator=users["diana"])
        for plan in plans:
            if plan.record_number not in existing:
                write_client(
                    plan, users=users, programs=programs, providers=providers, created=created
                )
        write_supervision(users=users, today=timezone.localdate())
    return created


def _most_overdue_flag(case_manager: User) -> Flag | None:
    """The case manager's longest-overdue open flag other than a risk screen's (those are
    left for the supervisors' review queues)."""
    return (
        Flag.objects.open()
        .filter(enrollment__case_manager=case_manager)
        .exclude(rule=FlagRule.RISK_SCREEN_UNREVIEWED)
        .select_related("enrollment")
        .order_by("due_on", "pk")
        .first()
    )


def write_supervision(*, users: dict[str, User], today: dt.date) -> None:
    """Today's compliance flags, and a little supervision to look at: a case-specific note
    Alex has yet to acknowledge (with a follow-up task), a clinical supervision session Priya
    acknowledged, a variance of Maria's waiting for the administrator, and the Southwest
    region's service-delivery plan submitted for approval. The positive risk screens are left
    unreviewed, so they lead Sofia's and Hannah's review queues. Each part is written only
    when none of its kind exists, so a second run changes nothing.

    The first time, the evaluation is run as of each of the last twelve weeks before today,
    as the nightly run would have, so the dashboard's chart of open flags has a history.
    """
    if not Flag.objects.exists():
        for weeks_ago in range(12, 0, -1):
            compliance_evaluate(as_of=today - dt.timedelta(weeks=weeks_ago))
    compliance_evaluate(as_of=today)
    sofia = users["sofia"]
    if not SupervisionNote.objects.exists():
        flag = _most_overdue_flag(users["alex"])
        if flag is not None:
            supervision.note_write(
                actor=sofia,
                kind=SupervisionNote.Kind.CASE_SPECIFIC,
                held_on=today,
                enrollment=flag.enrollment,
                discussion=f"Went over the case: {flag.get_rule_display().lower()} since "
                f"{flag.due_on:%d %B}. Alex described what got in the way.",
                recommendations=flag.rule_definition.satisfied_by,
                tasks=[{"description": flag.rule_definition.satisfied_by,
                        "due_on": today + dt.timedelta(days=7)}],
            )  # fmt: skip
        session = supervision.note_write(
            actor=sofia,
            kind=SupervisionNote.Kind.CLINICAL_SESSION,
            held_on=today - dt.timedelta(days=7),
            staff_supervised=users["priya"],
            discussion="Monthly clinical supervision: caseload review, engaging reluctant "
            "parents, and self-care after the crisis call-out.",
            recommendations="Try motivational interviewing with the two families who cancel.",
        )
        supervision.note_acknowledge(actor=users["priya"], note=session)
    if not Variance.objects.exists():
        flag = _most_overdue_flag(users["maria"])
        if flag is not None:
            supervision.variance_request(
                actor=users["maria"],
                enrollment=flag.enrollment,
                flag=flag,
                reason="The family moved to a shelter across the county and has no phone; "
                "the shelter expects them back in touch within two weeks.",
                proposed_due_on=today + dt.timedelta(days=21),
            )
    region = Region.objects.get(name=SOUTHWEST)
    if not RegionalPlan.objects.filter(region=region, year=today.year).exists():
        plan = supervision.regional_plan_create(
            actor=sofia,
            region=region,
            year=today.year,
            summary="Clinical case management for every child with SED in the region, "
            "with assessments on time and no family waiting for a first visit.",
        )
        supervision.regional_plan_update(
            actor=sofia,
            plan=plan,
            summary=plan.summary,
            goals=[
                supervision.RegionalGoalInput(
                    goal="95% of comprehensive assessments completed within 30 days of "
                    "application.",
                    measure="Initial-assessment flags raised per quarter",
                    target_on=dt.date(today.year, 12, 31),
                ),
                supervision.RegionalGoalInput(
                    goal="A monthly case conference with each community mental-health provider.",
                    measure="Case conferences recorded",
                    target_on=dt.date(today.year, 12, 31),
                ),
            ],
        )
        supervision.regional_plan_submit(actor=sofia, plan=plan)


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
        if user is None:
            continue
        if user.sees_whole_agency:
            teams = "whole agency"
        elif user.is_supervisor:
            teams = ", ".join(t.name for t in user.supervised_teams.all())
        else:
            teams = str(user.team or "")
        rows.append((user.username, user.get_role_display(), teams, ROLE_SEES[Role(user.role)]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    stdout.write(style.MIGRATE_HEADING("Demo logins"))
    for number, row in enumerate(rows):
        line = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        stdout.write(style.MIGRATE_LABEL(line) if number == 0 else line)
    stdout.write(f"Password for every demo login: {style.SUCCESS(DEMO_PASSWORD)}")


class Command(BaseCommand):
    help = "Create the demo agency (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        created = seed_demo_agency()
        elapsed = time.monotonic() - started
        if created.clients or created.staff or created.programs:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo agency seeded in {elapsed:.1f} s: {created.staff} staff, "
                    f"{created.programs} programs, {created.clients} clients, "
                    f"{created.family_members} family members, {created.enrollments} "
                    f"enrollments, {created.contacts} contacts created."
                )
            )
        else:
            self.stdout.write("Demo agency already present; nothing to create.")
        self.stdout.write(
            f"In the database: {Region.objects.count()} regions, {Team.objects.count()} teams, "
            f"{User.objects.count()} staff, {Program.objects.count()} programs, "
            f"{Client.objects.count()} clients, {FamilyMember.objects.count()} family members, "
            f"{Enrollment.objects.count()} enrollments "
            f"({Enrollment.objects.open().count()} open), {Contact.objects.count()} contacts, "
            f"{Flag.objects.open().count()} open compliance flags."
        )
        write_demo_logins(self.stdout, self.style)
