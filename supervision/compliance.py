"""The compliance engine: supervision's own rules, and the evaluation that raises and resolves
flags for every registered rule (supervision.rules; apps above supervision register theirs).

Each rule is a set-based function ``(as_of, enrollments) -> QuerySet`` of the enrollments
that are open on ``as_of`` and on which the rule is due and unmet, annotated with ``due_on``
(and ``subject_id``: the referral, consent or risk alert concerned, when there is one). Due
dates are written in SQL from each program's standards (the assessment, plan and contact due
dates are serviceplans.due_dates' SQL, the same rules the pages show), so one query answers a
rule for the whole agency: there
is no per-enrollment Python loop, and the number of queries of an evaluation does not grow
with the number of enrollments.

A due date is met on the day itself: a rule is due and unmet once ``due_on < as_of`` (an
application on 1 March with a 30-day standard is on time on 31 March, overdue on 1 April).
Two rules are raised ahead of or on their date instead: a consent is flagged from 30 days
before it expires, a positive risk screen on the day its alert is raised.

An approved variance (Idaho CMH clinical case management standard 11: a variance to a standard
documented and approved by division administration) suppresses its rule on its enrollment
from the day it was decided through its approved due date: the rule is not raised there, and
an open flag is resolved, saying until when. The day after that date the flag returns, as a
new flag, if the requirement is still unmet. The covering variances are read in one query for
all rules and subtracted from the sets each rule builds.

As of a past date, only records dated on or before it count (assessments by ``completed_on``,
plan approvals and reviews by ``approved_on`` / ``reviewed_on``, contacts by ``occurred_at``,
consents by ``revoked_on``, risk alerts by ``raised_at`` / ``reviewed_at``, variances by
``decided_at`` and ``approved_due_on``) and an enrollment
counts as open on the day when it had applied and was not yet closed. Some state is read as it
is now, having no date: a plan's status (active), a referral's status and follow-up date, and
which consent a referral uses. A program's standards are those in force on the date
(``standard_on``: today's are the program's fields, earlier ones its PastProgramStandards).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import (
    CharField,
    DateField,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Concat, TruncDate
from django.utils import timezone

from casemgmt import dates
from clients.models import Client, Contact, Enrollment
from clients.services import DEMO_RECORD_PREFIX
from referrals.models import Referral, ReferralStatus
from serviceplans import due_dates
from serviceplans.due_dates import PLAN_AFTER_ASSESSMENT_DAYS
from serviceplans.models import Assessment, PlanReview, RiskAlert, ServicePlan
from supervision.models import Flag, FlagRule, Variance
from supervision.rules import Rule, registered_rules

# A release of information used by an active referral is flagged this long before it expires.
CONSENT_WARNING_DAYS = 30


# --- Building blocks --------------------------------------------------------------------------


def _open_on(as_of: dt.date, enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Enrollments open on ``as_of``: applied by then and not closed by then (with their
    program's standards of that day, see ``standard_on``)."""
    return _with_standards_on(
        as_of,
        enrollments.filter(application_date__lte=as_of).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=as_of)
        ),
    )


def enrollments_open_on(as_of: dt.date, enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """The enrollments every rule judges on ``as_of`` (open that day, whatever they are now):
    the population of a dry run and of the compliance-rate report (reports.compliance_rates)."""
    return _open_on(as_of, enrollments)


# The program's standards in force on a past date, joined once per enrollment (a LEFT JOIN
# to the one PastProgramStandards row whose period holds the date, if any).
STANDARDS_THEN = "standards_then"


def _with_standards_on(as_of: dt.date, enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    if as_of >= dates.today():
        return enrollments
    held = Q(program__past_standards__in_force_until__gt=as_of) & (
        Q(program__past_standards__in_force_from__isnull=True)
        | Q(program__past_standards__in_force_from__lte=as_of)
    )
    return enrollments.alias(
        **{STANDARDS_THEN: FilteredRelation("program__past_standards", condition=held)}
    )


def standard_on(as_of: dt.date, name: str) -> Combinable:
    """The program's standard ``name`` (one of supervision.models.STANDARD_FIELDS) in force on
    ``as_of``: the program's own field from its last change on (always so today), else the
    past standards of the period holding ``as_of``. The rules' querysets are built by
    ``_open_on``, which joins that period when ``as_of`` is in the past."""
    if as_of >= dates.today():
        return F(f"program__{name}")
    return Coalesce(F(f"{STANDARDS_THEN}__{name}"), F(f"program__{name}"))


def _completed_assessments(as_of: dt.date) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        enrollment=OuterRef("pk"),
        status=Assessment.Status.COMPLETED,
        completed_on__lte=as_of,
    )


def _no_subject() -> Value:
    return Value(None, output_field=IntegerField())


# --- The rules --------------------------------------------------------------------------------


def initial_assessment_overdue(
    as_of: dt.date, enrollments: QuerySet[Enrollment]
) -> QuerySet[Enrollment]:
    """No comprehensive assessment completed and ``initial_assessment_days`` (30) after the
    application date passed (Idaho CMH standard 7). The due date is
    due_dates.initial_assessment_due_on, with completions counted only up to ``as_of``."""
    return (
        _open_on(as_of, enrollments)
        .filter(~Exists(_completed_assessments(as_of)))
        .annotate(
            due_on=due_dates.initial_assessment_due_on_sql(
                application_date=F("application_date"),
                initial_assessment_days=standard_on(as_of, "initial_assessment_days"),
            ),
            subject_id=_no_subject(),
        )
        .filter(due_on__lt=as_of)
    )


def assessment_update_overdue(
    as_of: dt.date, enrollments: QuerySet[Enrollment]
) -> QuerySet[Enrollment]:
    """``reassessment_interval_months`` (12) after the last completed comprehensive
    assessment, its anniversary, passed without another (Idaho CMH standard 8: "at least
    annually"; due_dates.assessment_update_due_on)."""
    last_completed = (
        _completed_assessments(as_of).order_by("-completed_on").values("completed_on")[:1]
    )
    return (
        _open_on(as_of, enrollments)
        # Exists, not "last_completed_on IS NOT NULL": PostgreSQL joins it as a set (a
        # semi-join) and runs the subquery only for the enrollments it keeps.
        .filter(Exists(_completed_assessments(as_of)))
        .annotate(last_completed_on=Subquery(last_completed, output_field=DateField()))
        .annotate(
            due_on=due_dates.assessment_update_due_on_sql(
                last_completed_on=F("last_completed_on"),
                reassessment_interval_months=standard_on(as_of, "reassessment_interval_months"),
            ),
            subject_id=_no_subject(),
        )
        .filter(due_on__lt=as_of)
    )


# The enrollment's active plan approved by the date, joined by plan_review_overdue.
ACTIVE_PLAN = "active_plan"


def _plans_by(as_of: dt.date) -> QuerySet[ServicePlan]:
    # A superseded plan was active once; any plan approved by as_of means a plan existed.
    return ServicePlan.objects.filter(
        enrollment=OuterRef("pk"),
        status__in=[ServicePlan.Status.ACTIVE, ServicePlan.Status.SUPERSEDED],
        approved_on__lte=as_of,
    )


def no_service_plan(as_of: dt.date, enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """A comprehensive assessment was completed but no service plan was approved within
    PLAN_AFTER_ASSESSMENT_DAYS of the first one (Idaho CMH standard 9)."""
    first_completed = (
        _completed_assessments(as_of).order_by("completed_on").values("completed_on")[:1]
    )
    # "The first completion + 30 days < as_of" is "some completion before as_of - 30 days":
    # filtered as a semi-join, which PostgreSQL plans as a set, where a filter on the first
    # completion's date runs its subquery once per enrollment. The due date is still the
    # first completion's, for the flag.
    overdue_since = _completed_assessments(as_of).filter(
        completed_on__lt=as_of - dt.timedelta(days=PLAN_AFTER_ASSESSMENT_DAYS)
    )
    return (
        _open_on(as_of, enrollments)
        .filter(Exists(overdue_since), ~Exists(_plans_by(as_of)))
        .annotate(
            due_on=due_dates.service_plan_due_on_sql(
                first_assessment_completed_on=Subquery(first_completed, output_field=DateField())
            ),
            subject_id=_no_subject(),
        )
    )


def plan_review_overdue(as_of: dt.date, enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """The active plan's review is overdue: ``plan_review_interval_days`` after its approval
    or its last review, whichever is later (serviceplans.due_dates.plan_review_due_on in SQL;
    Idaho CMH standard 9)."""
    last_review = (
        PlanReview.objects.filter(plan=OuterRef(f"{ACTIVE_PLAN}__pk"), reviewed_on__lte=as_of)
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    return (
        _open_on(as_of, enrollments)
        # Joined, not a subquery per column: an enrollment has at most one active plan
        # (serviceplans' plan_one_active), so the inner join keeps one row per enrollment
        # and drops those without one.
        .alias(
            **{
                ACTIVE_PLAN: FilteredRelation(
                    "plans",
                    condition=Q(plans__status=ServicePlan.Status.ACTIVE)
                    & Q(plans__approved_on__lte=as_of),
                )
            }
        )
        .filter(**{f"{ACTIVE_PLAN}__isnull": False})
        .annotate(last_reviewed_on=Subquery(last_review, output_field=DateField()))
        .annotate(
            due_on=due_dates.plan_review_due_on_sql(
                approved_on=F(f"{ACTIVE_PLAN}__approved_on"),
                last_reviewed_on=F("last_reviewed_on"),
                plan_review_interval_days=standard_on(as_of, "plan_review_interval_days"),
            ),
            subject_id=F(f"{ACTIVE_PLAN}__pk"),
        )
        .filter(due_on__lt=as_of)
    )


def monitoring_gap(as_of: dt.date, enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """No contact made (any type but an attempt) within the program's
    ``max_days_between_contacts`` of the last one, or of the application before the first
    (Idaho CMH standards 6 and 10: monitoring). Contacts count by their day in the agency's
    time zone, up to ``as_of``."""
    last_contact = (
        Contact.objects.filter(
            enrollment=OuterRef("pk"),
            occurred_at__lt=dates.local_midnight(as_of + dt.timedelta(days=1)),
        )
        .exclude(contact_type=Contact.Type.ATTEMPTED)
        .order_by("-occurred_at")
        .annotate(day=TruncDate("occurred_at"))
        .values("day")[:1]
    )
    return (
        _open_on(as_of, enrollments)
        .annotate(last_contact_on=Subquery(last_contact, output_field=DateField()))
        .annotate(
            due_on=due_dates.next_contact_due_on_sql(
                application_date=F("application_date"),
                last_contact_on=F("last_contact_on"),
                max_days_between_contacts=standard_on(as_of, "max_days_between_contacts"),
            ),
            subject_id=_no_subject(),
        )
        .filter(due_on__lt=as_of)
    )


FINISHED_REFERRAL = [ReferralStatus.ENGAGED, ReferralStatus.CLOSED]


def referral_follow_up_overdue(
    as_of: dt.date, enrollments: QuerySet[Enrollment]
) -> QuerySet[Enrollment]:
    """A referral not yet engaged or closed whose follow-up date has passed (TIP 27,
    linkage: the case manager follows each referral up until the client is engaged). Due on
    the earliest such date. Reads the referrals' current status and follow-up date."""
    overdue = (
        Referral.objects.filter(enrollment=OuterRef("pk"), follow_up_due_on__lt=as_of)
        .exclude(status__in=[*FINISHED_REFERRAL, ReferralStatus.DRAFT])
        .order_by("follow_up_due_on", "pk")
    )
    return (
        _open_on(as_of, enrollments)
        .filter(Exists(overdue))  # a semi-join, as in assessment_update_overdue
        .annotate(
            due_on=Subquery(overdue.values("follow_up_due_on")[:1], output_field=DateField()),
            subject_id=Subquery(overdue.values("pk")[:1], output_field=IntegerField()),
        )
    )


def consent_expiring(as_of: dt.date, enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """A release of information that an active referral (sent, not engaged or closed) of the
    enrollment relies on expires within CONSENT_WARNING_DAYS (42 CFR 2.31; IC&RC core
    function 7: disclosure needs a valid written consent). Due on the expiry date. Once it
    has expired the flag resolves: the referral's next disclosure is refused by the consent
    check itself. Reads which consent a referral uses as it is now."""
    expiring = (
        Referral.objects.filter(
            enrollment=OuterRef("pk"),
            consent__expires_on__gte=as_of,
            consent__expires_on__lte=as_of + dt.timedelta(days=CONSENT_WARNING_DAYS),
        )
        .filter(Q(consent__revoked_on__isnull=True) | Q(consent__revoked_on__gt=as_of))
        .exclude(status__in=[*FINISHED_REFERRAL, ReferralStatus.DRAFT])
        .order_by("consent__expires_on", "consent_id")
    )
    return (
        _open_on(as_of, enrollments)
        .annotate(
            due_on=Subquery(expiring.values("consent__expires_on")[:1], output_field=DateField()),
            subject_id=Subquery(expiring.values("consent_id")[:1], output_field=IntegerField()),
        )
        .filter(due_on__isnull=False)
    )


def risk_screen_unreviewed(
    as_of: dt.date, enrollments: QuerySet[Enrollment]
) -> QuerySet[Enrollment]:
    """A positive risk screen whose alert no supervisor has reviewed yet (CFP bulletin
    18B-08: the clinical case manager/supervisor guides the case manager on crisis
    situations). Due, and flagged, on the day the alert was raised."""
    unreviewed = (
        RiskAlert.objects.filter(risk_screen__enrollment=OuterRef("pk"), raised_at__date__lte=as_of)
        .filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__date__gt=as_of))
        .order_by("raised_at", "pk")
    )
    return (
        _open_on(as_of, enrollments)
        .annotate(
            due_on=Subquery(
                unreviewed.annotate(day=TruncDate("raised_at")).values("day")[:1],
                output_field=DateField(),
            ),
            subject_id=Subquery(unreviewed.values("pk")[:1], output_field=IntegerField()),
        )
        .filter(due_on__isnull=False)
    )


# Registered, in this order, by SupervisionConfig.ready().
BUILT_IN_RULES: tuple[Rule, ...] = (
    Rule(
        code=FlagRule.INITIAL_ASSESSMENT_OVERDUE,
        label=FlagRule.INITIAL_ASSESSMENT_OVERDUE.label,
        name="Initial comprehensive assessment overdue",
        standard="Idaho CMH clinical case management standard 7: a comprehensive assessment "
        "completed within 30 days of application for services",
        satisfied_by="Complete the comprehensive assessment.",
        resolution="Comprehensive assessment completed.",
        due=initial_assessment_overdue,
    ),
    Rule(
        code=FlagRule.ASSESSMENT_UPDATE_OVERDUE,
        label=FlagRule.ASSESSMENT_UPDATE_OVERDUE.label,
        name="Comprehensive assessment update overdue",
        standard="Idaho CMH clinical case management standard 8: the comprehensive "
        "assessment updated at least annually",
        satisfied_by="Complete an updated comprehensive assessment.",
        resolution="Updated comprehensive assessment completed.",
        due=assessment_update_overdue,
    ),
    Rule(
        code=FlagRule.NO_SERVICE_PLAN,
        label=FlagRule.NO_SERVICE_PLAN.label,
        name="No service plan after the assessment",
        standard="Idaho CMH clinical case management standard 9: a service plan developed "
        f"from the assessment (within {PLAN_AFTER_ASSESSMENT_DAYS} days)",
        satisfied_by="Have a service plan approved by the supervisor.",
        resolution="Service plan approved.",
        due=no_service_plan,
    ),
    Rule(
        code=FlagRule.PLAN_REVIEW_OVERDUE,
        label=FlagRule.PLAN_REVIEW_OVERDUE.label,
        name="Service plan review overdue",
        standard="Idaho CMH clinical case management standard 9: the service plan reviewed "
        "on the program's schedule",
        satisfied_by="Record a review of the active service plan.",
        resolution="Service plan reviewed.",
        due=plan_review_overdue,
        subject_key="plan_id",
    ),
    Rule(
        code=FlagRule.MONITORING_GAP,
        label=FlagRule.MONITORING_GAP.label,
        name="Monitoring gap",
        standard="Idaho CMH clinical case management standards 6 and 10: monitoring through "
        "regular contact, no longer apart than the program's maximum",
        satisfied_by="Make and log a contact with the client (an attempt does not count).",
        resolution="Contact made.",
        due=monitoring_gap,
    ),
    Rule(
        code=FlagRule.REFERRAL_FOLLOW_UP_OVERDUE,
        label=FlagRule.REFERRAL_FOLLOW_UP_OVERDUE.label,
        name="Referral follow-up overdue",
        standard="TIP 27 (linkage): each referral followed up until the client is engaged",
        satisfied_by="Follow the referral up and record its next step.",
        resolution="Referral followed up.",
        due=referral_follow_up_overdue,
        subject_key="referral_id",
    ),
    Rule(
        code=FlagRule.CONSENT_EXPIRING,
        label=FlagRule.CONSENT_EXPIRING.label,
        name="Release of information expiring",
        standard="42 CFR 2.31 and IC&RC core function 7: disclosure only under a valid "
        "written consent",
        satisfied_by="Have the client sign a new release, or finish the referral.",
        resolution="Release renewed or no longer needed.",
        due=consent_expiring,
        subject_key="consent_id",
    ),
    Rule(
        code=FlagRule.RISK_SCREEN_UNREVIEWED,
        label=FlagRule.RISK_SCREEN_UNREVIEWED.label,
        name="Positive risk screen not reviewed",
        standard="CFP bulletin 18B-08: the clinical case manager/supervisor guides the case "
        "manager on crisis situations",
        satisfied_by="A supervisor reviews the risk screen.",
        resolution="Risk screen reviewed by a supervisor.",
        due=risk_screen_unreviewed,
        subject_key="risk_alert_id",
    ),
)
ENROLLMENT_CLOSED = "Enrollment closed."


def variance_resolution(approved_due_on: dt.date) -> str:
    """What a flag resolved by an approved variance says (_variance_resolution_sql writes
    the same in SQL)."""
    return f"Variance approved until {approved_due_on:%Y-%m-%d}."


def _variance_resolution_sql(rule: Rule, *, as_of: dt.date) -> Concat:
    """variance_resolution of each flag's covering variance, in one UPDATE whatever the
    number of flags."""
    until = (
        Variance.objects.approved_covering(as_of)
        .filter(enrollment_id=OuterRef("enrollment_id"), rule=rule.code)
        .order_by("-approved_due_on")
        .values("approved_due_on")[:1]
    )
    return Concat(
        Value("Variance approved until "),
        Func(Subquery(until), Value("YYYY-MM-DD"), function="to_char", output_field=CharField()),
        Value("."),
        output_field=CharField(),
    )


# --- The evaluation ---------------------------------------------------------------------------


@dataclass
class RuleCounts:
    raised: int = 0
    resolved: int = 0
    open: int = 0
    suppressed: int = 0  # due and unmet, but covered by an approved variance


@dataclass(frozen=True)
class DueItem:
    enrollment_id: int
    rule: str
    due_on: dt.date


@dataclass
class EvaluationReport:
    """What an evaluation did (or, for a dry run as of today, would do): per rule, the flags
    raised, resolved and left open, and every (enrollment, rule, due date) due and unmet.

    A dry run as of another day is not compared with the stored flags (today's are not those
    of that day): its counts say only what was open then (due and unmet, ``open``) and what a
    variance excused (``suppressed``); ``raised`` and ``resolved`` stay 0."""

    as_of: dt.date
    dry_run: bool
    compared_with_stored_flags: bool = True
    counts: dict[str, RuleCounts] = field(default_factory=dict)
    due: list[DueItem] = field(default_factory=list)

    @property
    def raised(self) -> int:
        return sum(c.raised for c in self.counts.values())

    @property
    def resolved(self) -> int:
        return sum(c.resolved for c in self.counts.values())

    @property
    def suppressed(self) -> int:
        return sum(c.suppressed for c in self.counts.values())

    @property
    def open(self) -> int:
        return sum(c.open for c in self.counts.values())


class EvaluationRefused(ValueError):
    """An evaluation that would write flags on a day it may not (see compliance_evaluate and
    compliance_replay_history_for_demo)."""


def compliance_evaluate(
    *, as_of: dt.date, enrollment_ids: Iterable[int] | None = None, dry_run: bool = False
) -> EvaluationReport:
    """Raise a flag for every rule due and unmet on an open enrollment as of ``as_of`` that
    has none open, and resolve the open flags whose rule is met or whose enrollment closed.

    Each rule is its own transaction, so a run stopped midway leaves whole rules done and the
    next run completes the rest. Safe to run twice, or in two workers at once: raising is an
    INSERT ... ON CONFLICT DO NOTHING against the one-open-flag constraint, and resolving a
    conditional UPDATE of flags still open.

    Only today's evaluation writes: one as of another day is refused (EvaluationRefused)
    unless it is a ``dry_run``. Today's open flags are today's; judged against a past day
    they would be resolved with reasons that were never true ("Comprehensive assessment
    completed." where none exists), dated before they were raised, and raised again as new
    flags by the next nightly run (issue 12). A ``dry_run`` writes nothing: as of today, what
    the run would raise and resolve; as of another day, what was due and unmet then (the
    flags that would have been open), for QA and the compliance-rate report.
    """
    if not dry_run and as_of != dates.today():
        raise EvaluationRefused(
            f"An evaluation as of {as_of:%Y-%m-%d} would change today's "
            f"({dates.today():%Y-%m-%d}) "
            "flags with reasons that were not true then; only a dry run may look at another "
            "day."
        )
    return _evaluate(as_of=as_of, enrollment_ids=enrollment_ids, dry_run=dry_run)


def compliance_replay_history_for_demo(*, today: dt.date, weeks: int) -> None:
    """The demo agency's flag history: the evaluation, writing, as of each of the ``weeks``
    weeks before ``today`` and then today, oldest first, as the nightly run would have done
    had the agency used Casework then (the dashboard's 12-week chart of open flags reads it).

    Only a demo agency accepts it (EvaluationRefused otherwise): a database whose every client
    carries a demo record number (clients.services.DEMO_RECORD_PREFIX, as seed_demo writes
    them) and that holds no flag yet, since a replay over real flags would resolve and raise
    them with false dates and reasons. Records without a date of their own (a plan's status,
    a referral's status) are read as they are today, so this is a plausible history, not a
    faithful one: fine for a demo, never for an agency's record.
    """
    real = Client.objects.exclude(record_number__startswith=DEMO_RECORD_PREFIX).count()
    if real or not Client.objects.exists():
        raise EvaluationRefused(
            f"Not a demo agency ({real} client(s) without a {DEMO_RECORD_PREFIX} record number): "
            "a replayed history of flags is written only to the demo database."
        )
    if Flag.objects.exists():
        raise EvaluationRefused(
            "The database already holds flags: a history is replayed only before the first "
            "evaluation."
        )
    for weeks_ago in range(weeks, 0, -1):
        _evaluate(as_of=today - dt.timedelta(weeks=weeks_ago), enrollment_ids=None, dry_run=False)
    _evaluate(as_of=today, enrollment_ids=None, dry_run=False)


def _evaluate(
    *, as_of: dt.date, enrollment_ids: Iterable[int] | None, dry_run: bool
) -> EvaluationReport:
    ids = None if enrollment_ids is None else list(enrollment_ids)
    scope = Enrollment.objects.all()
    if ids is not None:
        scope = scope.filter(pk__in=ids)
    if not dry_run:
        # A real run flags only enrollments open now, whatever the date it is run as of.
        scope = scope.filter(status=Enrollment.Status.OPEN)
    report = EvaluationReport(
        as_of=as_of,
        dry_run=dry_run,
        compared_with_stored_flags=not dry_run or as_of == dates.today(),
    )
    covered = _covered_by_variances(as_of=as_of, ids=ids)
    for rule in registered_rules():
        evaluate = partial(
            _evaluate_rule,
            rule,
            as_of=as_of,
            scope=scope,
            ids=ids,
            report=report,
            covered=covered.get(rule.code, {}),
        )
        if dry_run:
            counts = evaluate(write=False)
        else:
            with transaction.atomic():
                counts = evaluate(write=True)
        report.counts[rule.code] = counts
    return report


def _covered_by_variances(
    *, as_of: dt.date, ids: list[int] | None
) -> dict[str, dict[int, dt.date]]:
    """Per rule, the enrollments an approved variance covers on ``as_of`` (decided by then,
    its approved due date not yet passed) and until when: one query for every rule. A dry
    run as of a past date sees the variances as they stood then."""
    variances = Variance.objects.approved_covering(as_of)
    if ids is not None:
        variances = variances.filter(enrollment_id__in=ids)
    covered: dict[str, dict[int, dt.date]] = {}
    for enrollment_id, rule, approved_due_on in variances.order_by().values_list(
        "enrollment_id", "rule", "approved_due_on"
    ):
        until = covered.setdefault(rule, {})
        until[enrollment_id] = max(approved_due_on, until.get(enrollment_id, approved_due_on))
    return covered


def _evaluate_rule(
    rule: Rule,
    *,
    as_of: dt.date,
    scope: QuerySet[Enrollment],
    ids: list[int] | None,
    report: EvaluationReport,
    covered: dict[int, dt.date],
    write: bool,
) -> RuleCounts:
    due = {
        enrollment_id: (due_on, subject_id)
        for enrollment_id, due_on, subject_id in rule.due(as_of, scope)
        .order_by()
        .values_list("pk", "due_on", "subject_id")  # type: ignore[misc]  # annotations
    }
    # Due and unmet, but excused by an approved variance: neither raised nor left open.
    suppressed = due.keys() & covered.keys()
    for pk in suppressed:
        del due[pk]
    report.due.extend(
        DueItem(enrollment_id=pk, rule=rule.code, due_on=due_on)
        for pk, (due_on, _) in sorted(due.items())
    )
    if not report.compared_with_stored_flags:
        # A dry run as of another day: what was open then, whatever is stored today.
        return RuleCounts(open=len(due), suppressed=len(suppressed))
    open_flags = Flag.objects.open().filter(rule=rule.code)
    if ids is not None:
        open_flags = open_flags.filter(enrollment_id__in=ids)
    open_status = dict(open_flags.values_list("enrollment_id", "enrollment__status"))
    to_raise = sorted(due.keys() - open_status.keys())
    to_resolve = open_status.keys() - due.keys()
    if not write:
        return RuleCounts(
            raised=len(to_raise),
            resolved=len(to_resolve),
            open=len(open_status) - len(to_resolve) + len(to_raise),
            suppressed=len(suppressed),
        )

    now = timezone.now()
    resolved = 0
    closed = {pk for pk in to_resolve if open_status[pk] == Enrollment.Status.CLOSED}
    excused = (to_resolve & suppressed) - closed
    for enrollment_ids, resolution in (
        (closed, Value(ENROLLMENT_CLOSED)),
        (to_resolve - closed - excused, Value(rule.resolution)),
        (excused, _variance_resolution_sql(rule, as_of=as_of)),
    ):
        if enrollment_ids:
            resolved += Flag.objects.filter(
                rule=rule.code, enrollment_id__in=enrollment_ids, resolved_on__isnull=True
            ).update(resolved_on=as_of, resolved_at=now, resolution=resolution)
    raised = 0
    if to_raise:
        Flag.objects.bulk_create(
            [
                Flag(
                    enrollment_id=pk,
                    rule=rule.code,
                    due_on=due[pk][0],
                    raised_on=as_of,
                    raised_at=now,
                    detail=_detail(rule, due[pk][1]),
                )
                for pk in to_raise
            ],
            ignore_conflicts=True,
        )
        # ON CONFLICT DO NOTHING returns no ids: count the rows this run wrote (a concurrent
        # run that raised the same flag first stamped its own raised_at).
        raised = Flag.objects.filter(
            rule=rule.code, enrollment_id__in=to_raise, raised_at=now
        ).count()
    return RuleCounts(
        raised=raised,
        resolved=resolved,
        open=len(open_status) - resolved + raised,
        suppressed=len(suppressed),
    )


def _detail(rule: Rule, subject_id: int | None) -> dict[str, int]:
    if rule.subject_key is None or subject_id is None:
        return {}
    return {rule.subject_key: subject_id}
