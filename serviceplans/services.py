"""Every change to assessments, screens and service plans goes through one of these.

Like clients.services: atomic, keyword-only, permission-checked through the models'
``writable_by`` querysets, ``ValidationError`` with field errors on bad input, nothing saved
when refusing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model

from accounts.models import User
from accounts.selectors import team_ids_writable_by
from casemgmt.dates import today
from casemgmt.reactions import publish
from casemgmt.roles import is_clinical_writer, require_clinical_writer
from clients import contact_rules
from clients.events import EnrollmentChanged
from clients.models import Contact, Enrollment, FamilyMember
from clients.services import contact_record
from serviceplans.models import (
    RISK_ITEMS,
    Assessment,
    AssessmentAddendum,
    AssessmentFinding,
    Barrier,
    ContactGoal,
    Domain,
    Goal,
    GoalProgress,
    PlanAction,
    PlanReview,
    RiskAlert,
    RiskScreen,
    ServicePlan,
)

# Contact types that are clinical case management and so must serve a goal of the active
# plan: written once in clients.contact_rules, which the contact form's hints also read.
CLINICAL_CONTACT_TYPES = contact_rules.CLINICAL_CONTACT_TYPES

# What plan_update and action_add/action_update take, in the order the form and the API show
# them; plan_update sets the family participants itself.
PLAN_DETAIL_FIELDS = (
    "start_date",
    "client_participated",
    "family_participants",
    "rationale_explained_on",
    "client_signed_on",
)
PLAN_EDITABLE = frozenset(PLAN_DETAIL_FIELDS) - {"family_participants"}
GOAL_EDITABLE = frozenset({"client_words", "life_domain", "target_date", "status"})
ACTION_FIELDS = (
    "kind",
    "responsible",
    "responsible_name",
    "what",
    "when",
    "where",
    "why",
    "due_date",
    "status",
)
ACTION_EDITABLE = frozenset(ACTION_FIELDS)
BARRIER_EDITABLE = frozenset({"kind", "description", "strategy", "resolved_on"})


def _assign(instance: Model, fields: Mapping[str, Any], *, editable: frozenset[str]) -> None:
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)} here.")
    for name, value in fields.items():
        setattr(instance, name, value)


def _writable_enrollment(
    *, actor: User, enrollment: Enrollment, open_only: bool = True
) -> Enrollment:
    require_clinical_writer(actor)
    locked = (
        Enrollment.objects.writable_by(actor)
        .select_for_update()
        .select_related("program", "client")
        .filter(pk=enrollment.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied("This enrollment is not on your caseload.")
    if open_only and not locked.is_open:
        raise ValidationError("This enrollment is closed.")
    return locked


def _check_not_future(day: dt.date | None, field: str, what: str) -> None:
    if day is not None and day > today():
        raise ValidationError({field: f"{what} cannot be in the future."})


# --- Comprehensive assessment -----------------------------------------------------------------


@transaction.atomic
def assessment_start(*, actor: User, enrollment: Enrollment) -> Assessment:
    """Start a draft comprehensive assessment with one empty finding per domain. It is the
    initial assessment until one has been completed in this enrollment, then an update."""
    enrollment = _writable_enrollment(actor=actor, enrollment=enrollment)
    if Assessment.objects.filter(enrollment=enrollment, status=Assessment.Status.DRAFT).exists():
        raise ValidationError("A draft assessment is already open for this enrollment.")
    completed = Assessment.objects.filter(
        enrollment=enrollment, status=Assessment.Status.COMPLETED
    ).exists()
    assessment = Assessment.objects.create(
        enrollment=enrollment,
        kind=Assessment.Kind.UPDATE if completed else Assessment.Kind.INITIAL,
        author=actor,
    )
    AssessmentFinding.objects.bulk_create(
        AssessmentFinding(assessment=assessment, domain=domain) for domain in Domain.values
    )
    return assessment


def _author_draft(*, actor: User, assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.select_for_update().select_related("enrollment").get(pk=assessment.pk)
    )
    if locked.author_id != actor.pk:
        raise PermissionDenied("Only the author can change this assessment.")
    if locked.is_locked:
        raise ValidationError("This assessment is completed and locked; add an addendum instead.")
    if not Enrollment.objects.writable_by(actor).filter(pk=locked.enrollment_id).exists():
        raise PermissionDenied("This enrollment is not on your caseload.")
    return locked


@transaction.atomic
def assessment_save(
    *,
    actor: User,
    assessment: Assessment,
    summary: str | None = None,
    findings: Mapping[str, Mapping[str, str]] | None = None,
) -> Assessment:
    """Save the author's draft: the summary and, per domain, ``{"findings", "need_level"}``."""
    assessment = _author_draft(actor=actor, assessment=assessment)
    findings = findings or {}
    unknown = set(findings) - set(Domain.values)
    if unknown:
        raise ValidationError({"findings": f"Unknown domains: {', '.join(sorted(unknown))}."})
    rows = {f.domain: f for f in assessment.findings.select_for_update()}
    for domain, values in findings.items():
        row = rows.get(domain) or AssessmentFinding.objects.create(
            assessment=assessment, domain=domain
        )
        row.findings = values.get("findings", row.findings)
        row.need_level = values.get("need_level", row.need_level)
        if row.need_level not in ("", *AssessmentFinding.NeedLevel.values):
            raise ValidationError({"findings": f"{row.get_domain_display()}: unknown need level."})
        row.save(update_fields=["findings", "need_level"])
    if summary is not None:
        assessment.summary = summary
        assessment.save(update_fields=["summary", "updated_at"])
    return assessment


@transaction.atomic
def assessment_complete(
    *, actor: User, assessment: Assessment, completed_on: dt.date
) -> Assessment:
    """Complete and lock the author's draft. Every domain needs a need level; the completion
    date lies between the application date and today."""
    assessment = _author_draft(actor=actor, assessment=assessment)
    enrollment = assessment.enrollment
    if completed_on > today():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    if completed_on < enrollment.application_date:
        raise ValidationError(
            {"completed_on": "The completion date cannot be before the application date."}
        )
    unrated = [f.get_domain_display() for f in assessment.findings.all() if not f.need_level]
    if unrated:
        raise ValidationError({"findings": f"Rate the need in every domain: {', '.join(unrated)}."})
    assessment.status = Assessment.Status.COMPLETED
    assessment.completed_on = completed_on
    assessment.save(update_fields=["status", "completed_on", "updated_at"])
    publish(EnrollmentChanged(enrollment_id=assessment.enrollment_id))
    return assessment


@transaction.atomic
def assessment_add_addendum(
    *, actor: User, assessment: Assessment, note: str
) -> AssessmentAddendum:
    if not Assessment.objects.writable_by(actor).filter(pk=assessment.pk).exists():
        raise PermissionDenied("This assessment is not on your caseload.")
    require_clinical_writer(actor)
    if not assessment.is_locked:
        raise ValidationError("Edit the draft itself; addenda are for completed assessments.")
    if not note.strip():
        raise ValidationError({"note": "An addendum needs some text."})
    return AssessmentAddendum.objects.create(assessment=assessment, author=actor, note=note)


# --- Readiness and risk -----------------------------------------------------------------------


@transaction.atomic
def risk_screen_record(
    *, actor: User, enrollment: Enrollment, screened_on: dt.date, **answers: Any
) -> RiskScreen:
    """Record a readiness, risk and adherence screen. Any positive risk item marks the client
    at risk and raises an alert for the team's supervisor at once, with its time (CFP
    bulletin 18B-08: the CCM/S guides the case manager through these crises)."""
    enrollment = _writable_enrollment(actor=actor, enrollment=enrollment)
    _check_not_future(screened_on, "screened_on", "The screening date")
    if screened_on < enrollment.application_date - dt.timedelta(days=365):
        raise ValidationError({"screened_on": "This date is long before the application."})
    screen = RiskScreen(enrollment=enrollment, author=actor, screened_on=screened_on, **answers)
    screen.positive = any(getattr(screen, name) for name, _ in RISK_ITEMS)
    screen.full_clean()
    screen.save()
    if screen.positive:
        RiskAlert.objects.create(risk_screen=screen, team_id=enrollment.team_id)
    publish(EnrollmentChanged(enrollment_id=screen.enrollment_id))
    return screen


# --- Service plans ----------------------------------------------------------------------------


@transaction.atomic
def plan_start(
    *, actor: User, enrollment: Enrollment, start_date: dt.date | None = None
) -> ServicePlan:
    """Start a draft plan: the first version, or a new version copied from the active plan
    (its goals, their objectives and interventions, and its unresolved barriers). The active
    plan stays in force, unchanged, until the draft is approved."""
    enrollment = _writable_enrollment(actor=actor, enrollment=enrollment)
    plans = ServicePlan.objects.filter(enrollment=enrollment).select_for_update()
    if plans.filter(status=ServicePlan.Status.DRAFT).exists():
        raise ValidationError("A draft plan is already open for this enrollment.")
    active = plans.filter(status=ServicePlan.Status.ACTIVE).first()
    last_version = max((p.version for p in plans), default=0)
    draft = ServicePlan.objects.create(
        enrollment=enrollment,
        version=last_version + 1,
        author=actor,
        start_date=start_date or today(),
        previous=active,
        client_participated=active.client_participated if active else True,
    )
    if active is not None:
        _copy_into_draft(active=active, draft=draft)
    return draft


def _copy_into_draft(*, active: ServicePlan, draft: ServicePlan) -> None:
    """The new version starts from the active plan: who took part, its active goals with
    their objectives and interventions, and its unresolved barriers."""
    draft.family_participants.set(active.family_participants.all())
    for goal in active.goals.filter(status=Goal.Status.ACTIVE).prefetch_related("actions"):
        copy = Goal.objects.create(
            plan=draft,
            client_words=goal.client_words,
            life_domain=goal.life_domain,
            target_date=goal.target_date,
            carried_from=goal,
        )
        PlanAction.objects.bulk_create(
            PlanAction(
                goal=copy,
                **{name: getattr(action, name) for name in ACTION_EDITABLE},
            )
            for action in goal.actions.all()
        )
    Barrier.objects.bulk_create(
        Barrier(plan=draft, **{name: getattr(b, name) for name in BARRIER_EDITABLE})
        for b in active.barriers.filter(resolved_on__isnull=True)
    )


def _writable_draft(*, actor: User, plan: ServicePlan) -> ServicePlan:
    locked = ServicePlan.objects.select_for_update().select_related("enrollment").get(pk=plan.pk)
    _writable_enrollment(actor=actor, enrollment=locked.enrollment)
    if not locked.is_draft:
        raise ValidationError("An active plan is never edited; start a new version from it.")
    return locked


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: ServicePlan,
    family_participants: Iterable[FamilyMember] | None = None,
    **fields: Any,
) -> ServicePlan:
    """Change a draft's dates and who took part (the client, family members)."""
    plan = _writable_draft(actor=actor, plan=plan)
    _check_not_future(fields.get("rationale_explained_on"), "rationale_explained_on", "This date")
    _check_not_future(fields.get("client_signed_on"), "client_signed_on", "The signature date")
    _assign(plan, fields, editable=PLAN_EDITABLE)
    if plan.goals.filter(target_date__lt=plan.start_date).exists():
        raise ValidationError({"start_date": "A goal's target date is before this start date."})
    plan.full_clean()
    plan.save(update_fields=[*fields, "updated_at"])
    if family_participants is not None:
        members = list(family_participants)
        if any(m.client_id != plan.enrollment.client_id for m in members):
            raise ValidationError({"family_participants": "Choose members of the client's family."})
        plan.family_participants.set(members)
    return plan


def _check_goal(plan: ServicePlan, goal: Goal) -> None:
    if goal.target_date < plan.start_date:
        raise ValidationError({"target_date": "The target date cannot be before the plan's start."})
    if not goal.client_words.strip():
        raise ValidationError({"client_words": "Write the goal in the client's own words."})


@transaction.atomic
def goal_add(*, actor: User, plan: ServicePlan, **fields: Any) -> Goal:
    plan = _writable_draft(actor=actor, plan=plan)
    goal = Goal(plan=plan)
    _assign(goal, fields, editable=GOAL_EDITABLE)
    _check_goal(plan, goal)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, actor: User, goal: Goal, **fields: Any) -> Goal:
    plan = _writable_draft(actor=actor, plan=goal.plan)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    _assign(goal, fields, editable=GOAL_EDITABLE)
    _check_goal(plan, goal)
    goal.full_clean()
    goal.save(update_fields=list(fields))
    return goal


def _check_action(action: PlanAction) -> None:
    errors: dict[str, str] = {}
    if not action.responsible:
        errors["responsible"] = "Say who does it."
    elif (
        action.responsible
        in (
            PlanAction.Responsible.FAMILY_MEMBER,
            PlanAction.Responsible.PROVIDER,
            PlanAction.Responsible.OTHER,
        )
        and not action.responsible_name.strip()
    ):
        errors["responsible_name"] = "Name the family member, provider or person who does it."
    for field, question in (
        ("what", "what is done"),
        ("when", "when or how often"),
        ("why", "why"),
    ):
        if not str(getattr(action, field)).strip():
            errors[field] = f"Say {question}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_add(*, actor: User, goal: Goal, **fields: Any) -> PlanAction:
    """Add an objective or intervention: who does it, what, when, where and why (IC&RC
    criterion 29)."""
    _writable_draft(actor=actor, plan=goal.plan)
    action = PlanAction(goal=goal)
    _assign(action, fields, editable=ACTION_EDITABLE)
    _check_action(action)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, actor: User, action: PlanAction, **fields: Any) -> PlanAction:
    _writable_draft(actor=actor, plan=action.goal.plan)
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    _assign(action, fields, editable=ACTION_EDITABLE)
    _check_action(action)
    action.full_clean()
    action.save(update_fields=list(fields))
    return action


@transaction.atomic
def barrier_add(*, actor: User, plan: ServicePlan, **fields: Any) -> Barrier:
    plan = _writable_draft(actor=actor, plan=plan)
    barrier = Barrier(plan=plan)
    _assign(barrier, fields, editable=BARRIER_EDITABLE)
    _check_not_future(barrier.resolved_on, "resolved_on", "The resolution date")
    barrier.full_clean()
    barrier.save()
    return barrier


@transaction.atomic
def barrier_update(*, actor: User, barrier: Barrier, **fields: Any) -> Barrier:
    _writable_draft(actor=actor, plan=barrier.plan)
    barrier = Barrier.objects.select_for_update().get(pk=barrier.pk)
    _assign(barrier, fields, editable=BARRIER_EDITABLE)
    _check_not_future(barrier.resolved_on, "resolved_on", "The resolution date")
    barrier.full_clean()
    barrier.save(update_fields=list(fields))
    return barrier


def plan_approver_refusal(*, actor: User, plan: ServicePlan) -> str | None:
    """Why ``actor`` may not approve ``plan``, or None when they may: a plan is approved by a
    supervisor of the enrollment's team other than its author. The plan page offers the
    approval exactly when this is None."""
    is_supervisor = is_clinical_writer(actor) and actor.is_supervisor
    if not is_supervisor or plan.enrollment.team_id not in team_ids_writable_by(actor):
        return "Only a supervisor of the client's team can approve this plan."
    if plan.author_id == actor.pk:
        return "A plan is approved by a supervisor other than its author."
    return None


def _not_ready_for_approval(plan: ServicePlan) -> dict[str, str]:
    """What a draft still lacks before approval, by field (empty when it is ready)."""
    errors: dict[str, str] = {}
    goals = list(plan.goals.prefetch_related("actions"))
    if not goals:
        errors["goals"] = "Add at least one goal."
    elif any(not goal.actions.all() for goal in goals):
        errors["goals"] = "Every goal needs at least one objective or intervention."
    if plan.rationale_explained_on is None:
        errors["rationale_explained_on"] = "Record when the rationale was explained to the client."
    if plan.client_signed_on is None:
        errors["client_signed_on"] = "Record the client's signature date."
    return errors


@transaction.atomic
def plan_approve(
    *, actor: User, plan: ServicePlan, approved_on: dt.date | None = None
) -> ServicePlan:
    """A supervisor of the enrollment's team, other than the plan's author, approves a draft.
    The draft becomes the active plan and the one it replaces is superseded.

    A plan ready for approval has at least one goal, each goal at least one objective or
    intervention, the client's participation or signature recorded, and the date the
    rationale of case management was explained (IC&RC criterion 28).
    """
    plan = ServicePlan.objects.select_for_update().select_related("enrollment").get(pk=plan.pk)
    if (refusal := plan_approver_refusal(actor=actor, plan=plan)) is not None:
        raise PermissionDenied(refusal)
    if not plan.is_draft:
        raise ValidationError("Only a draft plan can be approved.")
    if not plan.enrollment.is_open:
        raise ValidationError("This enrollment is closed.")
    approved_on = approved_on or today()
    _check_not_future(approved_on, "approved_on", "The approval date")
    if errors := _not_ready_for_approval(plan):
        raise ValidationError(errors)
    ServicePlan.objects.filter(enrollment=plan.enrollment, status=ServicePlan.Status.ACTIVE).update(
        status=ServicePlan.Status.SUPERSEDED
    )
    plan.status = ServicePlan.Status.ACTIVE
    plan.approved_by = actor
    plan.approved_on = approved_on
    plan.save(update_fields=["status", "approved_by", "approved_on", "updated_at"])
    publish(EnrollmentChanged(enrollment_id=plan.enrollment_id))
    return plan


def _check_progress(progress: Mapping[int, Mapping[str, str]], *, goal_ids: set[int]) -> None:
    """A review rates the progress on every goal of the plan, and on nothing else."""
    if set(progress) != goal_ids:
        raise ValidationError({"progress": "Record progress on every goal of the plan."})
    if any(values.get("rating") not in GoalProgress.Rating.values for values in progress.values()):
        raise ValidationError({"progress": "Rate the progress on every goal."})


@transaction.atomic
def plan_review_record(
    *,
    actor: User,
    plan: ServicePlan,
    reviewed_on: dt.date,
    progress: Mapping[int, Mapping[str, str]],
    summary: str = "",
) -> PlanReview:
    """Review the active plan, with progress on every one of its goals (``progress`` maps a
    goal id to ``{"rating", "note"}``). Achieved goals are marked achieved."""
    plan = ServicePlan.objects.select_for_update().select_related("enrollment").get(pk=plan.pk)
    _writable_enrollment(actor=actor, enrollment=plan.enrollment)
    if plan.status != ServicePlan.Status.ACTIVE:
        raise ValidationError("Only the active plan is reviewed.")
    _check_not_future(reviewed_on, "reviewed_on", "The review date")
    if plan.approved_on and reviewed_on < plan.approved_on:
        raise ValidationError({"reviewed_on": "The review cannot be before the plan's approval."})
    goals = {g.pk: g for g in plan.goals.all()}
    _check_progress(progress, goal_ids=set(goals))
    review = PlanReview.objects.create(
        plan=plan, reviewer=actor, reviewed_on=reviewed_on, summary=summary
    )
    GoalProgress.objects.bulk_create(
        GoalProgress(review=review, goal=goals[goal_id], rating=v["rating"], note=v.get("note", ""))
        for goal_id, v in progress.items()
    )
    achieved = [gid for gid, v in progress.items() if v["rating"] == GoalProgress.Rating.ACHIEVED]
    Goal.objects.filter(pk__in=achieved).update(status=Goal.Status.ACHIEVED)
    publish(EnrollmentChanged(enrollment_id=plan.enrollment_id))
    return review


# --- Contacts and goals -----------------------------------------------------------------------


def contact_goals_check(
    *, enrollment: Enrollment, contact_type: str, goals: Iterable[Goal]
) -> list[Goal]:
    """The goals a new contact serves: goals of the enrollment's active plan, and at least
    one for a clinical contact type once a plan is active."""
    chosen = list(goals)
    active = ServicePlan.objects.filter(
        enrollment=enrollment, status=ServicePlan.Status.ACTIVE
    ).first()
    if active is None:
        if chosen:
            raise ValidationError({"goals": "This enrollment has no active plan."})
        return chosen
    if any(goal.plan_id != active.pk for goal in chosen):
        raise ValidationError({"goals": "Choose goals of the active plan."})
    if contact_rules.goal_required(contact_type=contact_type) and not chosen:
        raise ValidationError({"goals": contact_rules.GOAL_RULE})
    return chosen


def contact_goals_link(*, contact: Contact, goals: Iterable[Goal]) -> None:
    unique = {goal.pk: goal for goal in goals}
    ContactGoal.objects.bulk_create(ContactGoal(contact=contact, goal=g) for g in unique.values())


@transaction.atomic
def contact_record_with_goals(
    *,
    actor: User,
    enrollment: Enrollment,
    contact_type: str,
    goals: Iterable[Goal] = (),
    **contact: Any,
) -> Contact:
    """Record a contact (clients.services.contact_record, whose keyword arguments ``contact``
    carries) with the goals of the active plan it served, in one transaction: a clinical
    contact on an enrollment with an active plan names at least one (contact_goals_check).
    The web form and the API record contacts through this service.

    The contact's problems and the goals' are reported together, so a form does not reveal
    them one save at a time; an enrollment the actor may not write is answered alone.
    """
    try:
        chosen = contact_goals_check(enrollment=enrollment, contact_type=contact_type, goals=goals)
        goal_errors: dict[str, list[str]] = {}
    except ValidationError as error:
        chosen, goal_errors = [], error.message_dict
    try:
        recorded = contact_record(
            actor=actor, enrollment=enrollment, contact_type=contact_type, **contact
        )
    except ValidationError as error:
        if "enrollment" in error.message_dict:
            raise
        raise ValidationError({**error.message_dict, **goal_errors}) from error
    if goal_errors:
        raise ValidationError(goal_errors)  # the contact is rolled back with the transaction
    contact_goals_link(contact=recorded, goals=chosen)
    return recorded
