"""Today's compliance flags and a little supervision to look at."""

from __future__ import annotations

import datetime as dt

from accounts.models import Region, User
from clients.models import Program
from devtools.demo.staff import SOUTHWEST
from supervision import services as supervision
from supervision.compliance import compliance_evaluate, compliance_replay_history_for_demo
from supervision.models import Flag, FlagRule, RegionalPlan, SupervisionNote, Variance

# The weeks of flag history the dashboard's chart shows.
HISTORY_WEEKS = 12


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


def _write_approved_variance(*, users: dict[str, User], today: dt.date) -> None:
    """A variance of Priya's the administrator approved: the compliance-rate report counts its
    enrollment as excused, and its drill-down lists it."""
    flag = _most_overdue_flag(users["priya"])
    if flag is None:
        return
    variance = supervision.variance_request(
        actor=users["priya"],
        enrollment=flag.enrollment,
        flag=flag,
        reason="The client is in residential treatment out of the region until next month.",
        proposed_due_on=today + dt.timedelta(days=30),
    )
    supervision.variance_decide(actor=users["diana"], variance=variance, approve=True)


# The substance-use program tightened its monitoring standard this long ago (from 30 days
# between contacts to 14): the compliance rates before that day count the old standard.
STANDARD_CHANGED_DAYS_AGO = 150
SUD_PROGRAM = "sud-op"


def _write_standards_change(*, users: dict[str, User], today: dt.date) -> None:
    """The substance-use program began with contacts every 30 days and changed to 14 on a day
    before the flags' history starts; the change goes through the service that keeps the
    standards before it (supervision.models.PastProgramStandards)."""
    program = Program.objects.filter(code=SUD_PROGRAM).first()
    if program is None or program.past_standards.exists():
        return
    tightened = program.max_days_between_contacts
    Program.objects.filter(pk=program.pk).update(max_days_between_contacts=30)
    supervision.program_standards_change(
        actor=users["diana"],
        program=program,
        in_force_from=today - dt.timedelta(days=STANDARD_CHANGED_DAYS_AGO),
        standards={"max_days_between_contacts": tightened},
    )


def write_supervision(*, users: dict[str, User], today: dt.date) -> None:
    """Today's compliance flags, and a little supervision to look at: a case-specific note
    Alex has yet to acknowledge (with a follow-up task), a clinical supervision session Priya
    acknowledged, a variance of Maria's waiting for the administrator (and one of Priya's
    approved), and the Southwest
    region's service-delivery plan submitted for approval. The positive risk screens are left
    unreviewed, so they lead Sofia's and Hannah's review queues. Each part is written only
    when none of its kind exists, so a second run changes nothing.

    The first time, the flags' history is replayed (compliance_replay_history_for_demo: the
    evaluation as of each of the last twelve weeks before today, as the nightly run would have
    done), so the dashboard's chart of open flags has a history; afterwards today's evaluation.
    Before it, the substance-use program's change of standard, 150 days ago.
    """
    _write_standards_change(users=users, today=today)
    if Flag.objects.exists():
        compliance_evaluate(as_of=today)
    else:
        compliance_replay_history_for_demo(today=today, weeks=HISTORY_WEEKS)
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
        _write_approved_variance(users=users, today=today)
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
