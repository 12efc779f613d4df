"""The clinical record of a demo enrollment: assessment, readiness and risk screen, and an
approved service plan."""

from __future__ import annotations

import datetime as dt
import random

from accounts.models import User
from clients.models import Contact, Enrollment
from devtools.demo.plan import ClientPlan, EnrollmentPlan
from serviceplans import services as plans
from serviceplans.models import Domain

CType = Contact.Type


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
    _screen(rng, plan, episode, enrollment, case_manager=case_manager, screened_on=completed_on)
    start = completed_on + dt.timedelta(days=3)
    if (last_day - start).days >= 5:
        _approved_plan(
            rng, plan, enrollment, case_manager, supervisor, start=start, last_day=last_day
        )


def _screen(
    rng: random.Random,
    plan: ClientPlan,
    episode: EnrollmentPlan,
    enrollment: Enrollment,
    *,
    case_manager: User,
    screened_on: dt.date,
) -> None:
    """The readiness and risk screen done with the assessment: positive after a crisis."""
    crisis = any(c.contact_type == CType.CRISIS_INTERVENTION for c in episode.contacts)
    plans.risk_screen_record(
        actor=case_manager,
        enrollment=enrollment,
        screened_on=screened_on,
        mental_health_stage=rng.choice(("contemplation", "preparation", "action")),
        substance_use_stage="action" if plan.kind == "sud-op" else "",
        suicidal_ideation=crisis and plan.kind == "child",
        crisis=crisis,
        medication_adherence="good" if plan.kind == "hiv-cfp" else "not_applicable",
        appointment_adherence=rng.choice(("good", "partial")),
    )


def _approved_plan(
    rng: random.Random,
    plan: ClientPlan,
    enrollment: Enrollment,
    case_manager: User,
    supervisor: User,
    *,
    start: dt.date,
    last_day: dt.date,
) -> None:
    """A plan of two goals in the client's words, one intervention each and a barrier,
    signed with the family and approved by the supervisor."""
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
