"""Which checklist items the record's data answers, and how.

Each rule takes the record's facts (``RecordFacts``: plain values read once by
``record_facts``) and the day the record is judged as of, and returns the answer with its
evidence in words, so the reviewer sees why it was pre-filled and confirms or overrides it.
A benchmark whose ``data_rule`` is blank is judged by the reviewer alone.

The data answers all seven default benchmarks (migration 0002), each from the seeds:

- ``initial_assessment_on_time``: a comprehensive assessment completed within the program's
  ``initial_assessment_days`` (30) of application; day 30 is on time, day 31 late (Idaho CMH
  clinical case management standard 7, 003_83bf9ff00bc1b54f);
- ``assessment_updated_annually``: each update by the anniversary of the last (standard 8);
- ``plan_goals_complete``: a service plan whose every goal says who does what, when, where
  and why, made with the client's participation (standard 9; IC&RC core function 7,
  criteria 28 and 29, 002_e82a38c4edc6a7a3);
- ``referrals_followed_up``: no sent referral past its follow-up date while neither engaged
  nor closed (TIP 27 linkage, 001_3c08ce069f179acb);
- ``contacts_documented``: no gap between documented contacts (attempts do not count) longer
  than the program's ``max_days_between_contacts`` (standards 6 and 10: monitoring);
- ``consent_for_each_disclosure``: each disclosure made under a release in force that day,
  and no referral that shares information sent without one (42 CFR 2.31; IC&RC core
  function 7: written permission to release confidential information);
- ``risk_screen_reviewed``: each positive risk screen reviewed by a supervisor (CFP bulletin
  18B-08, 000_2d0f29de25a5e807: crisis guidance and case-specific supervision).

The due dates are those of ``serviceplans.due_dates``, the compliance rules' own.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from clients.models import Contact, Enrollment
from quality.models import Answer
from referrals.models import Disclosure, Referral, ReferralStatus
from serviceplans import due_dates
from serviceplans.models import Assessment, RiskScreen, ServicePlan


@dataclass(frozen=True)
class ActionFacts:
    what: str
    when: str
    where: str
    why: str


@dataclass(frozen=True)
class GoalFacts:
    text: str
    actions: tuple[ActionFacts, ...]


@dataclass(frozen=True)
class PlanFacts:
    version: int
    status: str
    client_participated: bool
    goals: tuple[GoalFacts, ...]


@dataclass(frozen=True)
class ReferralFacts:
    provider: str
    status: str
    follow_up_due_on: dt.date | None
    shares_information: bool
    has_consent: bool


@dataclass(frozen=True)
class DisclosureFacts:
    disclosed_on: dt.date
    recipient: str
    consent_signed_on: dt.date
    consent_expires_on: dt.date | None
    consent_revoked_on: dt.date | None


@dataclass(frozen=True)
class RiskScreenFacts:
    screened_on: dt.date
    reviewed_on: dt.date | None


@dataclass(frozen=True)
class RecordFacts:
    application_date: dt.date
    initial_assessment_days: int = 30
    reassessment_interval_months: int = 12
    max_days_between_contacts: int = 30
    assessments_completed_on: tuple[dt.date, ...] = ()
    plan: PlanFacts | None = None
    referrals: tuple[ReferralFacts, ...] = ()
    disclosures: tuple[DisclosureFacts, ...] = ()
    contact_days: tuple[dt.date, ...] = ()
    positive_screens: tuple[RiskScreenFacts, ...] = field(default=())


@dataclass(frozen=True)
class DataAnswer:
    answer: str
    evidence: str

    @property
    def label(self) -> str:
        return str(Answer(self.answer).label)


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "never"


def initial_assessment_on_time(facts: RecordFacts, as_of: dt.date) -> DataAnswer:
    due = due_dates.initial_assessment_due_on(
        application_date=facts.application_date,
        initial_assessment_days=facts.initial_assessment_days,
    )
    first = facts.assessments_completed_on[0] if facts.assessments_completed_on else None
    if first is None:
        if due < as_of:
            return DataAnswer(Answer.NOT_MET, f"No assessment completed; it was due by {_d(due)}.")
        return DataAnswer(Answer.NOT_APPLICABLE, f"Not yet due (due by {_d(due)}).")
    day = (first - facts.application_date).days
    words = f"Completed {_d(first)}, day {day} after application on {_d(facts.application_date)}"
    if first <= due:
        return DataAnswer(Answer.MET, f"{words}; due by {_d(due)}.")
    return DataAnswer(Answer.NOT_MET, f"{words}; it was due by {_d(due)}.")


def assessment_updated_annually(facts: RecordFacts, as_of: dt.date) -> DataAnswer:
    done = [day for day in facts.assessments_completed_on if day <= as_of]
    if not done:
        return DataAnswer(Answer.NOT_APPLICABLE, "No assessment completed yet.")
    evidence = []
    for previous, following in zip(done, [*done[1:], None], strict=True):
        due = due_dates.assessment_update_due_on(
            last_completed_on=previous,
            reassessment_interval_months=facts.reassessment_interval_months,
        )
        if following is not None and following > due:
            evidence.append(f"update after {_d(previous)} done {_d(following)}, due {_d(due)}")
        elif following is None and due < as_of:
            evidence.append(f"no update after {_d(previous)}, due {_d(due)}")
    if evidence:
        return DataAnswer(Answer.NOT_MET, "Late: " + "; ".join(evidence) + ".")
    if len(done) == 1:
        due = due_dates.assessment_update_due_on(
            last_completed_on=done[0],
            reassessment_interval_months=facts.reassessment_interval_months,
        )
        return DataAnswer(Answer.NOT_APPLICABLE, f"First update not yet due (due {_d(due)}).")
    return DataAnswer(Answer.MET, "Updated on time: " + ", ".join(_d(d) for d in done) + ".")


def _action_gaps(action: ActionFacts) -> list[str]:
    return [
        name
        for name, value in (
            ("what", action.what),
            ("when", action.when),
            ("where", action.where),
            ("why", action.why),
        )
        if not value.strip()
    ]


def _goal_gaps(goal: GoalFacts) -> str | None:
    if not goal.actions:
        return f"“{goal.text[:60]}” has no objective or intervention"
    missing = sorted({gap for action in goal.actions for gap in _action_gaps(action)})
    return f"“{goal.text[:60]}” lacks {', '.join(missing)}" if missing else None


def plan_goals_complete(facts: RecordFacts, as_of: dt.date) -> DataAnswer:
    if facts.plan is None:
        if not facts.assessments_completed_on:
            return DataAnswer(Answer.NOT_APPLICABLE, "No assessment yet, so no plan is due.")
        due = due_dates.service_plan_due_on(
            first_assessment_completed_on=facts.assessments_completed_on[0]
        )
        if due < as_of:
            return DataAnswer(Answer.NOT_MET, f"No service plan; it was due by {_d(due)}.")
        return DataAnswer(Answer.NOT_APPLICABLE, f"Plan not yet due (due by {_d(due)}).")
    plan = facts.plan
    gaps = [gap for gap in (_goal_gaps(goal) for goal in plan.goals) if gap]
    if not plan.goals:
        gaps.append("the plan has no goals")
    if not plan.client_participated:
        gaps.append("the client did not take part")
    where = f"Plan version {plan.version} ({plan.status}), {len(plan.goals)} goal(s)"
    if gaps:
        return DataAnswer(Answer.NOT_MET, f"{where}: " + "; ".join(gaps) + ".")
    return DataAnswer(
        Answer.MET, f"{where}: each says who, what, when, where and why; client took part."
    )


FINISHED_REFERRAL = frozenset({ReferralStatus.ENGAGED, ReferralStatus.CLOSED})


def referrals_followed_up(facts: RecordFacts, as_of: dt.date) -> DataAnswer:
    sent = [r for r in facts.referrals if r.status != ReferralStatus.DRAFT]
    if not sent:
        return DataAnswer(Answer.NOT_APPLICABLE, "No referral sent.")
    overdue = [
        r
        for r in sent
        if r.status not in FINISHED_REFERRAL
        and r.follow_up_due_on is not None
        and r.follow_up_due_on < as_of
    ]
    if overdue:
        listed = "; ".join(f"{r.provider}, due {_d(r.follow_up_due_on)}" for r in overdue)
        return DataAnswer(Answer.NOT_MET, f"Follow-up overdue: {listed}.")
    return DataAnswer(Answer.MET, f"{len(sent)} referral(s) sent, none past its follow-up date.")


def contacts_documented(facts: RecordFacts, as_of: dt.date) -> DataAnswer:
    days = sorted(day for day in facts.contact_days if day <= as_of)
    limit = facts.max_days_between_contacts
    marks = [facts.application_date, *days, as_of]
    longest, start, end = 0, facts.application_date, facts.application_date
    for earlier, later in itertools.pairwise(marks):
        if (later - earlier).days > longest:
            longest, start, end = (later - earlier).days, earlier, later
    words = (
        f"{len(days)} contact(s) documented; longest gap {longest} days "
        f"({_d(start)} to {_d(end)}), at most {limit} allowed."
    )
    return DataAnswer(Answer.MET if longest <= limit else Answer.NOT_MET, words)


def _consent_in_force(disclosure: DisclosureFacts) -> bool:
    day = disclosure.disclosed_on
    return (
        disclosure.consent_signed_on <= day
        and (disclosure.consent_expires_on is None or day <= disclosure.consent_expires_on)
        and (disclosure.consent_revoked_on is None or day < disclosure.consent_revoked_on)
    )


def consent_for_each_disclosure(facts: RecordFacts, as_of: dt.date) -> DataAnswer:
    disclosures = [d for d in facts.disclosures if d.disclosed_on <= as_of]
    sharing = [
        r for r in facts.referrals if r.shares_information and r.status != ReferralStatus.DRAFT
    ]
    if not disclosures and not sharing:
        return DataAnswer(Answer.NOT_APPLICABLE, "Nothing disclosed.")
    faults = [
        f"disclosure to {d.recipient} on {_d(d.disclosed_on)} outside its release"
        for d in disclosures
        if not _consent_in_force(d)
    ] + [f"referral to {r.provider} sent with no release" for r in sharing if not r.has_consent]
    if faults:
        return DataAnswer(Answer.NOT_MET, "; ".join(faults).capitalize() + ".")
    return DataAnswer(
        Answer.MET,
        f"{len(disclosures)} disclosure(s) and {len(sharing)} referral(s) sharing information, "
        "each under a release in force.",
    )


def risk_screen_reviewed(facts: RecordFacts, as_of: dt.date) -> DataAnswer:
    positive = [s for s in facts.positive_screens if s.screened_on <= as_of]
    if not positive:
        return DataAnswer(Answer.NOT_APPLICABLE, "No positive risk screen.")
    unreviewed = [s for s in positive if s.reviewed_on is None or s.reviewed_on > as_of]
    if unreviewed:
        listed = ", ".join(_d(s.screened_on) for s in unreviewed)
        return DataAnswer(Answer.NOT_MET, f"Positive screen(s) not reviewed: {listed}.")
    listed = ", ".join(f"{_d(s.screened_on)} reviewed {_d(s.reviewed_on)}" for s in positive)
    return DataAnswer(Answer.MET, f"Reviewed by a supervisor: {listed}.")


Rule = Callable[[RecordFacts, dt.date], DataAnswer]

RULES: dict[str, Rule] = {
    "initial_assessment_on_time": initial_assessment_on_time,
    "assessment_updated_annually": assessment_updated_annually,
    "plan_goals_complete": plan_goals_complete,
    "referrals_followed_up": referrals_followed_up,
    "contacts_documented": contacts_documented,
    "consent_for_each_disclosure": consent_for_each_disclosure,
    "risk_screen_reviewed": risk_screen_reviewed,
}

RULE_CHOICES = [(key, key.replace("_", " ").capitalize()) for key in RULES]


def answer_from_data(rule: str, facts: RecordFacts, as_of: dt.date) -> DataAnswer | None:
    """The data's answer for a benchmark's rule; None when the data does not answer it."""
    function = RULES.get(rule)
    return function(facts, as_of) if function else None


def _plan_facts(enrollment: Enrollment, as_of: dt.date) -> PlanFacts | None:
    """The plan in force on ``as_of``: the newest active or superseded version started by
    then (a draft is not yet a plan)."""
    plan = (
        ServicePlan.objects.filter(enrollment=enrollment, start_date__lte=as_of)
        .exclude(status=ServicePlan.Status.DRAFT)
        .order_by("-version")
        .prefetch_related("goals__actions")
        .first()
    )
    if plan is None:
        return None
    goals = tuple(
        GoalFacts(
            text=goal.client_words,
            actions=tuple(
                ActionFacts(what=a.what, when=a.when, where=a.where, why=a.why)
                for a in goal.actions.all()
            ),
        )
        for goal in plan.goals.all()
    )
    return PlanFacts(
        version=plan.version,
        status=plan.get_status_display(),
        client_participated=plan.client_participated,
        goals=goals,
    )


def record_facts(enrollment: Enrollment, as_of: dt.date) -> RecordFacts:
    """Read what the rules need of one enrollment, a handful of queries whatever its size."""
    program = enrollment.program
    assessments = tuple(
        Assessment.objects.filter(
            enrollment=enrollment,
            status=Assessment.Status.COMPLETED,
            completed_on__lte=as_of,
        )
        .order_by("completed_on")
        .values_list("completed_on", flat=True)
    )
    referrals = tuple(
        ReferralFacts(
            provider=r.provider.name,
            status=r.status,
            follow_up_due_on=r.follow_up_due_on,
            shares_information=r.shares_information,
            has_consent=r.consent_id is not None,
        )
        for r in Referral.objects.filter(enrollment=enrollment).select_related("provider")
    )
    disclosures = tuple(
        DisclosureFacts(
            disclosed_on=timezone.localdate(d.disclosed_at),
            recipient=d.recipient.name,
            consent_signed_on=d.consent.signed_on,
            consent_expires_on=d.consent.expires_on,
            consent_revoked_on=d.consent.revoked_on,
        )
        for d in Disclosure.objects.filter(referral__enrollment=enrollment).select_related(
            "consent", "recipient"
        )
    )
    contact_days = tuple(
        timezone.localdate(moment)
        for moment in Contact.objects.filter(enrollment=enrollment)
        .exclude(contact_type=Contact.Type.ATTEMPTED)
        .values_list("occurred_at", flat=True)
    )
    screens = tuple(
        RiskScreenFacts(
            screened_on=s.screened_on,
            reviewed_on=timezone.localdate(s.alert.reviewed_at) if _reviewed(s) else None,
        )
        for s in RiskScreen.objects.filter(enrollment=enrollment, positive=True).select_related(
            "alert"
        )
    )
    return RecordFacts(
        application_date=enrollment.application_date,
        initial_assessment_days=program.initial_assessment_days,
        reassessment_interval_months=program.reassessment_interval_months,
        max_days_between_contacts=program.max_days_between_contacts,
        assessments_completed_on=assessments,
        plan=_plan_facts(enrollment, as_of),
        referrals=referrals,
        disclosures=disclosures,
        contact_days=contact_days,
        positive_screens=screens,
    )


def _reviewed(screen: RiskScreen) -> bool:
    alert = getattr(screen, "alert", None)
    return alert is not None and alert.reviewed_at is not None
