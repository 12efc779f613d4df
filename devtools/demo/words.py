"""What the demo clients are made of: places, names, presenting issues and eligibility,
case management models and how long ago each stage began."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clients.models import Client, Enrollment
from devtools.demo.staff import BOISE, CANYON, POCATELLO

Stage = Enrollment.ContinuumStage
CMModel = Enrollment.Model


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


# A walk-in registered at intake and not yet enrolled in any program, so the client directory
# (/clients/) has a client with no enrollment to show ("No enrollment").
WALK_IN_RECORD = "D-0081"
WALK_IN_REGISTRAR = "maria"
WALK_IN: dict[str, Any] = {
    "first_name": "Marisol",
    "middle_name": "Ana",
    "preferred_name": "Mari",
    "last_name": "Quintero",
    "date_of_birth": dt.date(1979, 11, 2),
    "sex": Client.Sex.FEMALE,
    "gender_identity": "Woman",
    "primary_language": "Spanish",
    "interpreter_needed": True,
    "phone": "(208) 555-0177",
    "email": "marisol.quintero@example.com",
    "address_line": "1412 Cleveland Blvd",
    "city": "Caldwell",
    "state": "ID",
    "postal_code": "83605",
}
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
