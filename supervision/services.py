"""Supervision writes: notes, follow-up tasks, case conferences, variances and regional
service-delivery plans. Every function takes the acting user, checks the scope through the
models' ``writable_by`` / ``visible_to``, raises ``ValidationError`` with field errors for bad
input and writes inside one transaction, so a refusal leaves nothing half-saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Region, User
from accounts.selectors import team_ids_writable_by
from casemgmt import dates
from casemgmt.roles import require_administrator, require_clinical_writer
from clients.models import Enrollment, Program
from referrals.models import Provider
from serviceplans.models import (
    RISK_ITEMS,
    Goal,
    PlanAction,
    RiskAlert,
    RiskScreen,
    ServicePlan,
)
from serviceplans.services import action_add, plan_start
from supervision.compliance import compliance_evaluate
from supervision.models import (
    STANDARD_FIELDS,
    ConcernCategory,
    ConferenceParticipant,
    Flag,
    FollowUpTask,
    PastProgramStandards,
    RegionalPlan,
    RegionalPlanGoal,
    SupervisionNote,
    Variance,
)
from supervision.rules import is_registered, variance_latest_until

# --- Notes, follow-up tasks, case conferences -------------------------------------------------

# Who may be asked to perform a follow-up task; the kinds that need a name say who.
NAMED_RESPONSIBLE = frozenset(
    {
        PlanAction.Responsible.FAMILY_MEMBER,
        PlanAction.Responsible.PROVIDER,
        PlanAction.Responsible.OTHER,
    }
)


def require_supervisor(actor: User) -> frozenset[int]:
    """The teams ``actor`` supervises; refused unless there is one (CFP bulletin 18B-08: the
    clinical case manager/supervisor gives case-specific supervision)."""
    team_ids = team_ids_writable_by(actor)
    if not team_ids:
        raise PermissionDenied("Only a supervisor of the team writes supervision notes.")
    return team_ids


def concerns_of_screen(screen: RiskScreen) -> list[str]:
    """The concern categories of a risk screen's positive items (the same categories: the
    CCM/S's crisis situations, CFP bulletin 18B-08)."""
    return [
        name for name, _ in RISK_ITEMS if getattr(screen, name) and name in ConcernCategory.values
    ]


def _task_errors(
    tasks: Sequence[Mapping[str, Any]], *, held_on: dt.date | None
) -> tuple[list[FollowUpTask], list[str]]:
    """The follow-up tasks of the rows, and what is wrong with them, row by row."""
    made: list[FollowUpTask] = []
    errors: list[str] = []
    for number, row in enumerate(tasks, start=1):
        due_on: dt.date | None = row.get("due_on")
        task = FollowUpTask(
            description=str(row.get("description") or "").strip(),
            responsible=row.get("responsible") or PlanAction.Responsible.CASE_MANAGER,
            responsible_name=str(row.get("responsible_name") or "").strip(),
        )
        row_errors = _task_row_errors(task, due_on=due_on, held_on=held_on)
        errors.extend(f"Follow-up task {number}: {message}" for message in row_errors)
        if due_on is not None:
            task.due_on = due_on
            made.append(task)
    return made, errors


def _task_row_errors(
    task: FollowUpTask, *, due_on: dt.date | None, held_on: dt.date | None
) -> list[str]:
    errors = []
    if not task.description:
        errors.append("say what is to be done.")
    if due_on is None:
        errors.append("give the date it is due.")
        return errors
    if held_on is not None and due_on < held_on:
        errors.append("it cannot be due before the supervision was held.")
    if task.responsible not in PlanAction.Responsible.values:
        errors.append("choose who does it.")
    elif task.responsible in NAMED_RESPONSIBLE and not task.responsible_name:
        errors.append("name the family member, provider or person who does it.")
    return errors


def _participant_errors(
    participants: Sequence[Mapping[str, Any]], *, enrollment: Enrollment | None
) -> tuple[list[ConferenceParticipant], list[str]]:
    """Case conference participants: staff of the agency, the client's own family members,
    active providers of the directory, the client, or anyone else by name (CFP bulletin
    18B-08: case conferences with the providers, for the client and family)."""
    made: list[ConferenceParticipant] = []
    errors: list[str] = []
    for number, row in enumerate(participants, start=1):
        who = _participant(row)
        message = _participant_error(who, enrollment=enrollment)
        if message is not None:
            errors.append(f"Participant {number}: {message}")
        made.append(who)
    return made, errors


def _participant(row: Mapping[str, Any]) -> ConferenceParticipant:
    """The participant a row describes; only the person of its kind is kept."""
    Kind = ConferenceParticipant.Kind
    kind = row.get("kind") or ""
    return ConferenceParticipant(
        kind=kind,
        staff=row.get("staff") if kind == Kind.STAFF else None,
        family_member=row.get("family_member") if kind == Kind.FAMILY else None,
        provider=row.get("provider") if kind == Kind.PROVIDER else None,
        name=str(row.get("name") or "").strip(),
        role=str(row.get("role") or "").strip(),
    )


def _participant_error(who: ConferenceParticipant, *, enrollment: Enrollment | None) -> str | None:
    Kind = ConferenceParticipant.Kind
    if who.kind not in Kind.values:
        return "say who took part (staff, family, provider, client, other)."
    if who.kind == Kind.STAFF and not _is_active(who.staff):
        return "choose a member of staff."
    if who.kind == Kind.FAMILY and not _is_family_of(who, enrollment):
        return "choose a member of the client's family."
    if who.kind == Kind.PROVIDER and not _is_active(who.provider):
        return "choose an active provider from the directory."
    if who.kind == Kind.OTHER and not who.name:
        return "give the person's name."
    return None


def _is_active(person: User | Provider | None) -> bool:
    return person is not None and person.is_active


def _is_family_of(who: ConferenceParticipant, enrollment: Enrollment | None) -> bool:
    if who.family_member is None or enrollment is None:
        return False
    return who.family_member.client_id == enrollment.client_id


@transaction.atomic
def note_write(
    *,
    actor: User,
    kind: str,
    held_on: dt.date | None,
    discussion: str,
    enrollment: Enrollment | None = None,
    staff_supervised: User | None = None,
    concerns: Sequence[str] = (),
    recommendations: str = "",
    agreed_goals: str = "",
    risk_alert: RiskAlert | None = None,
    tasks: Sequence[Mapping[str, Any]] = (),
    participants: Sequence[Mapping[str, Any]] = (),
) -> SupervisionNote:
    """Write a supervision note with its follow-up tasks (and, for a case conference, its
    participants and the goals agreed), all or nothing.

    Only a supervisor of the team writes it (CFP bulletin 18B-08: case-specific supervision,
    clinical supervision, case conferences, crisis guidance). Every kind but a clinical
    supervision session is about one client's enrollment, which must be in a team the actor
    supervises; the note's team is the enrollment's (or, for a session, the staff member's).
    The staff member supervised is a case manager of that team, the enrollment's own by
    default. The note is not dated in the future and its tasks are not due before it.

    A note naming a positive risk screen's ``risk_alert`` reviews it: the alert is marked
    reviewed by the actor and the enrollment is evaluated at once, in the same transaction,
    so its risk-screen flag is resolved ("Risk screen reviewed by a supervisor.").
    """
    team_ids = require_supervisor(actor)
    _check_kind(kind)
    enrollment = _note_enrollment(kind=kind, enrollment=enrollment, team_ids=team_ids)
    staff_supervised = _staff_supervised(staff_supervised, enrollment=enrollment)
    team_id = enrollment.team_id if enrollment is not None else staff_supervised.team_id
    if team_id not in team_ids:
        raise PermissionDenied("This case manager is not in a team you supervise.")
    errors = _note_errors(
        kind=kind,
        team_id=team_id,
        staff_supervised=staff_supervised,
        enrollment=enrollment,
        held_on=held_on,
        concerns=concerns,
        discussion=discussion,
        agreed_goals=agreed_goals,
        participants=participants,
        risk_alert=risk_alert,
    )
    task_rows, participant_rows = _note_rows(
        tasks, participants, held_on=held_on, enrollment=enrollment, errors=errors
    )
    if errors or held_on is None:
        raise ValidationError(errors)

    note = SupervisionNote(
        kind=kind,
        team_id=team_id,
        enrollment=enrollment,
        staff_supervised=staff_supervised,
        author=actor,
        held_on=held_on,
        concerns=_note_concerns(concerns, risk_alert=risk_alert),
        discussion=discussion.strip(),
        recommendations=(recommendations or "").strip(),
        agreed_goals=(agreed_goals or "").strip(),
        risk_alert=risk_alert,
    )
    note.full_clean()
    note.save()
    _note_rows_save(note, tasks=task_rows, participants=participant_rows)
    if risk_alert is not None and enrollment is not None:
        _risk_alert_review(actor=actor, risk_alert=risk_alert, enrollment=enrollment)
    return note


def _note_rows(
    tasks: Sequence[Mapping[str, Any]],
    participants: Sequence[Mapping[str, Any]],
    *,
    held_on: dt.date | None,
    enrollment: Enrollment | None,
    errors: dict[str, Any],
) -> tuple[list[FollowUpTask], list[ConferenceParticipant]]:
    """The note's follow-up tasks and participants; what is wrong with them is added to
    ``errors`` (participants refused outright, outside a conference, keep that message)."""
    task_rows, task_errors = _task_errors(tasks, held_on=held_on)
    if task_errors:
        errors["tasks"] = task_errors
    participant_rows, participant_errors = _participant_errors(participants, enrollment=enrollment)
    if participant_errors and "participants" not in errors:
        errors["participants"] = participant_errors
    return task_rows, participant_rows


def _check_kind(kind: str) -> None:
    if kind not in SupervisionNote.Kind.values:
        raise ValidationError({"kind": "Choose the kind of supervision."})


def _note_enrollment(
    *, kind: str, enrollment: Enrollment | None, team_ids: frozenset[int]
) -> Enrollment | None:
    """The note's enrollment, locked and in a team the actor supervises; every kind but a
    clinical supervision session needs one."""
    if enrollment is not None:
        return _supervised_enrollment(enrollment=enrollment, team_ids=team_ids)
    if kind in SupervisionNote.CLIENT_KINDS:
        label = SupervisionNote.Kind(kind).label.lower()
        raise ValidationError({"enrollment": f"Choose the client: a {label} is about one client."})
    return None


def _supervised_enrollment(*, enrollment: Enrollment, team_ids: frozenset[int]) -> Enrollment:
    locked = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("case_manager", "client")
        .filter(pk=enrollment.pk, team_id__in=team_ids)
        .first()
    )
    if locked is None:
        raise PermissionDenied("This client is not in a team you supervise.")
    return locked


def _staff_supervised(staff_supervised: User | None, *, enrollment: Enrollment | None) -> User:
    """The staff member named, or else the enrollment's case manager."""
    if staff_supervised is not None:
        return staff_supervised
    if enrollment is None:
        raise ValidationError({"staff_supervised": "Choose the case manager supervised."})
    return enrollment.case_manager


def _note_errors(
    *,
    kind: str,
    team_id: int,
    staff_supervised: User,
    enrollment: Enrollment | None,
    held_on: dt.date | None,
    concerns: Sequence[str],
    discussion: str,
    agreed_goals: str,
    participants: Sequence[Mapping[str, Any]],
    risk_alert: RiskAlert | None,
) -> dict[str, Any]:
    """What is wrong with the note itself, by field (its rows are checked apart)."""
    conference = kind == SupervisionNote.Kind.CASE_CONFERENCE
    found = {
        "staff_supervised": _staff_supervised_error(staff_supervised, team_id=team_id),
        "held_on": _held_on_error(held_on),
        "concerns": _concerns_error(concerns),
        "discussion": None if (discussion or "").strip() else "Write what was discussed.",
        "agreed_goals": None
        if conference or not (agreed_goals or "").strip()
        else "Goals and objectives are agreed at a case conference.",
        "participants": None
        if conference or not participants
        else "Participants are recorded for a case conference.",
        "risk_alert": _risk_alert_error(risk_alert, enrollment=enrollment),
    }
    return {field: message for field, message in found.items() if message is not None}


def _staff_supervised_error(staff: User, *, team_id: int) -> str | None:
    if staff.is_case_manager and staff.is_active and staff.team_id == team_id:
        return None
    return "Choose a case manager of the client's team."


def _held_on_error(held_on: dt.date | None) -> str | None:
    if held_on is None:
        return "Give the date the supervision was held."
    if held_on > dates.today():
        return "The date cannot be in the future."
    return None


def _concerns_error(concerns: Sequence[str]) -> str | None:
    unknown = [c for c in concerns if c not in ConcernCategory.values]
    return f"Unknown concern: {', '.join(unknown)}." if unknown else None


def _risk_alert_error(risk_alert: RiskAlert | None, *, enrollment: Enrollment | None) -> str | None:
    """A note reviews a risk screen of its own enrollment, once."""
    if risk_alert is None:
        return None
    alert = (
        RiskAlert.objects.filter(pk=risk_alert.pk)
        .values_list("risk_screen__enrollment_id", "reviewed_at")
        .first()
    )
    if enrollment is None or alert is None or alert[0] != enrollment.pk:
        return "This risk screen is not of this client's enrollment."
    if alert[1] is not None:
        return f"This risk screen was already reviewed on {timezone.localtime(alert[1]):%Y-%m-%d}."
    return None


def _note_concerns(concerns: Sequence[str], *, risk_alert: RiskAlert | None) -> list[str]:
    """The concerns named, once each; for a risk screen's review named none, its own."""
    wanted = list(dict.fromkeys(concerns))
    if risk_alert is not None and not wanted:
        return concerns_of_screen(RiskScreen.objects.get(alert=risk_alert))
    return wanted


def _note_rows_save(
    note: SupervisionNote,
    *,
    tasks: list[FollowUpTask],
    participants: list[ConferenceParticipant],
) -> None:
    for task in tasks:
        task.note = note
        task.full_clean()
    FollowUpTask.objects.bulk_create(tasks)
    for who in participants:
        who.note = note
        who.full_clean()
    ConferenceParticipant.objects.bulk_create(participants)


def _risk_alert_review(*, actor: User, risk_alert: RiskAlert, enrollment: Enrollment) -> None:
    # A conditional update claims the alert: of two supervisors reviewing it at once, the
    # second is refused and writes nothing.
    claimed = RiskAlert.objects.filter(pk=risk_alert.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=actor
    )
    if claimed != 1:
        raise ValidationError({"risk_alert": "This risk screen was reviewed in the meantime."})
    compliance_evaluate(as_of=dates.today(), enrollment_ids=[enrollment.pk])


@transaction.atomic
def note_acknowledge(*, actor: User, note: SupervisionNote) -> SupervisionNote:
    """The staff member supervised acknowledges the note, once, dated (DESIGN.md step 7:
    "the case manager acknowledges them"). Anyone else is refused."""
    if note.staff_supervised_id != actor.pk or not actor.is_active:
        raise PermissionDenied("Only the staff member supervised acknowledges this note.")
    now = timezone.now()
    acknowledged = SupervisionNote.objects.filter(
        pk=note.pk, staff_supervised=actor, acknowledged_on__isnull=True
    ).update(acknowledged_on=timezone.localdate(now), acknowledged_at=now)
    note = SupervisionNote.objects.get(pk=note.pk)
    if acknowledged != 1:
        raise ValidationError(
            {"acknowledged_on": f"You acknowledged this note on {note.acknowledged_on:%Y-%m-%d}."}
        )
    return note


def _task_locked(task: FollowUpTask) -> FollowUpTask:
    return (
        FollowUpTask.objects.select_for_update(of=("self",))
        .select_related("note__enrollment")
        .get(pk=task.pk)
    )


@transaction.atomic
def task_done(*, actor: User, task: FollowUpTask) -> FollowUpTask:
    """Mark a follow-up task done today: by the staff member supervised or a supervisor of
    the note's team."""
    task = _task_locked(task)
    may = (
        task.note.staff_supervised_id == actor.pk
        or SupervisionNote.objects.writable_by(actor).filter(pk=task.note_id).exists()
    )
    if not (may and actor.is_active):
        raise PermissionDenied("Only the staff member supervised or the supervisor does this.")
    if task.done_on is not None:
        raise ValidationError({"done_on": f"This task was done on {task.done_on:%Y-%m-%d}."})
    task.done_on = dates.today()
    task.save(update_fields=["done_on"])
    return task


@transaction.atomic
def task_add_to_plan(*, actor: User, task: FollowUpTask, goal: Goal | None) -> PlanAction:
    """Add a follow-up task to the client's service plan as an intervention under ``goal``:
    who does it (the task's responsible), what (its description), by when (its due date) and
    why (the supervision it was agreed at) (CFP bulletin 18B-08: case conferences "determine
    goals/objectives, activities and who will perform needed tasks"; IC&RC criterion 29).

    An active plan is never edited: the intervention goes into the enrollment's draft, which
    is started from the active plan (serviceplans.services.plan_start) when there is none; a
    goal of the active plan is found in the draft as the goal carried from it. A task is
    added once. The actor must be able to write the enrollment.
    """
    task = _task_locked(task)
    note = task.note
    enrollment = note.enrollment
    if enrollment is None:
        raise ValidationError("A clinical supervision session names no client: no plan to add to.")
    if not Enrollment.objects.writable_by(actor).filter(pk=enrollment.pk).exists():
        raise PermissionDenied("This client is not on your caseload.")
    if task.plan_action_id is not None:
        raise ValidationError("This task is already in the service plan.")
    if goal is None:
        raise ValidationError({"goal": "Choose the goal of the service plan it serves."})
    goal = Goal.objects.select_related("plan").get(pk=goal.pk)
    if goal.plan.enrollment_id != enrollment.pk or goal.plan.status not in (
        ServicePlan.Status.DRAFT,
        ServicePlan.Status.ACTIVE,
    ):
        raise ValidationError({"goal": "Choose a goal of this client's current service plan."})
    plans = ServicePlan.objects.filter(enrollment=enrollment)
    draft = plans.filter(status=ServicePlan.Status.DRAFT).first()
    if draft is None:
        draft = plan_start(actor=actor, enrollment=enrollment)
    if goal.plan_id != draft.pk:
        carried = Goal.objects.filter(plan=draft, carried_from=goal).first()
        if carried is None:
            raise ValidationError(
                {"goal": "This goal is not in the draft of the next plan version; choose one "
                 "that is."}
            )  # fmt: skip
        goal = carried
    if goal.status != Goal.Status.ACTIVE:
        raise ValidationError({"goal": "This goal is no longer active; choose an active one."})
    action = action_add(
        actor=actor,
        goal=goal,
        kind=PlanAction.Kind.INTERVENTION,
        responsible=task.responsible,
        responsible_name=task.responsible_name,
        what=task.description,
        when=f"By {task.due_on:%Y-%m-%d}",
        why=f"Agreed at the {note.get_kind_display().lower()} of {note.held_on:%Y-%m-%d}.",
        due_date=task.due_on,
    )
    task.plan_action = action
    task.save(update_fields=["plan_action"])
    return action


# --- Variances, regional plans ----------------------------------------------------------------

_PENDING_ALREADY = "A variance of this standard is already pending for this enrollment."
_PLAN_EXISTS = "{region} already has a service-delivery plan for {year}."
# A regional plan is edited while a draft, or once returned with comments; submitted and
# approved plans stand as they were sent.
REGIONAL_PLAN_EDITABLE = frozenset({RegionalPlan.Status.DRAFT, RegionalPlan.Status.RETURNED})


@transaction.atomic
def variance_request(
    *,
    actor: User,
    enrollment: Enrollment,
    rule: str | None = None,
    flag: Flag | None = None,
    reason: str,
    proposed_due_on: dt.date,
) -> Variance:
    """Document that a standard cannot be met on time for one enrollment: which standard,
    why, and the proposed new due date, for division administration to decide (Idaho CMH
    clinical case management standard 11: "any variance to these standards shall be
    documented and approved by division administration").

    Asked by the enrollment's case manager or a supervisor of its team, against an open flag
    of the enrollment (the standard is the flag's) or a standard by name. The new date is
    after today; one request per enrollment and standard is pending at a time."""
    require_clinical_writer(actor, to="request variances")
    _check_variance_enrollment(actor, enrollment)
    standard = flag.rule if flag is not None else (rule or "")
    reason = (reason or "").strip()
    errors = _variance_flag_errors(flag, enrollment=enrollment, rule=rule)
    standard_error = _variance_standard_error(standard)
    if standard_error is not None:
        errors.setdefault("rule", standard_error)
    if not reason:
        errors["reason"] = "Say why the standard cannot be met."
    if proposed_due_on is None or proposed_due_on <= dates.today():
        errors["proposed_due_on"] = "The proposed new due date must be after today."
    if errors:
        raise ValidationError(errors)
    variance = Variance(
        enrollment=enrollment,
        rule=standard,
        flag=flag,
        reason=reason,
        proposed_due_on=proposed_due_on,
        requested_by=actor,
    )
    if Variance.objects.pending().filter(enrollment=enrollment, rule=standard).exists():
        raise ValidationError({"rule": _PENDING_ALREADY})
    try:
        # A savepoint: a request made at the same moment loses to the partial unique
        # constraint and gets the same field error, not a broken transaction.
        with transaction.atomic():
            variance.save()
    except IntegrityError as duplicate:
        raise ValidationError({"rule": _PENDING_ALREADY}) from duplicate
    return variance


def _check_variance_enrollment(actor: User, enrollment: Enrollment) -> None:
    """A variance is asked on an open enrollment the actor writes."""
    if not Enrollment.objects.writable_by(actor).filter(pk=enrollment.pk).exists():
        raise PermissionDenied("This enrollment is not on your caseload.")
    if enrollment.status != Enrollment.Status.OPEN:
        raise ValidationError("This enrollment is closed: no standard applies to it any more.")


def _variance_flag_errors(
    flag: Flag | None, *, enrollment: Enrollment, rule: str | None
) -> dict[str, str]:
    """A variance asked against a flag: an open flag of the enrollment, of the standard named."""
    if flag is None:
        return {}
    if flag.enrollment_id != enrollment.pk:
        return {"flag": "This flag is not about this enrollment."}
    if not flag.is_open:
        return {"flag": "This flag is already resolved."}
    if rule and rule != flag.rule:
        return {"rule": f"The flag is about “{flag.get_rule_display()}”."}
    return {}


def _variance_standard_error(standard: str) -> str | None:
    """A standard is a registered rule (supervision.rules), supervision's or an app's above."""
    if not standard:
        return "Choose the standard that cannot be met."
    if not is_registered(standard):
        return "Choose one of the standards."
    return None


def variance_decision_check(
    *,
    variance: Variance,
    approve: bool,
    approved_due_on: dt.date | None,
    note: str,
    today: dt.date,
) -> None:
    """Raise the ValidationError a decision would meet: an approval runs until a day not
    before ``today`` (the proposed date unless another is given) and not past the rule's
    maximum, if it has one (supervision.rules.variance_latest_until); a denial says why.
    :func:`variance_decide` applies it, and the decision's confirmation step asks it first,
    so nothing is confirmed that would then be refused."""
    if variance.status != Variance.Status.PENDING:
        raise ValidationError(f"This variance is already {variance.get_status_display().lower()}.")
    if not approve:
        if not (note or "").strip():
            raise ValidationError({"note": "Say why the variance is denied."})
        return
    until = approved_due_on or variance.proposed_due_on
    if until < today:
        raise ValidationError({"approved_due_on": "The approved due date cannot be in the past."})
    latest = variance_latest_until(variance.rule, today=today)
    if latest is not None and until > latest:
        raise ValidationError(
            {
                "approved_due_on": f"A variance to this standard runs at most until "
                f"{latest:%Y-%m-%d}."
            }
        )


@transaction.atomic
def variance_decide(
    *,
    actor: User,
    variance: Variance,
    approve: bool,
    approved_due_on: dt.date | None = None,
    note: str = "",
) -> Variance:
    """Division administration approves a pending variance with a new due date (today or
    later; the proposed date unless another is given) or denies it with a reason (Idaho CMH
    clinical case management standard 11). The decision is dated and signed (``decided_by``,
    ``decided_at``; the change is in history with the request), and the enrollment is
    evaluated at once, in the same transaction, so an approved variance's flag leaves the
    caseload now, not tomorrow night."""
    require_administrator(actor, to="decides variances")
    locked = Variance.objects.select_for_update().filter(pk=variance.pk).first()
    if locked is None:
        raise ValidationError("This variance no longer exists.")
    if locked.status != Variance.Status.PENDING:
        raise ValidationError(
            f"This variance was already {locked.get_status_display().lower()} on "
            f"{timezone.localtime(locked.decided_at):%Y-%m-%d}."
        )
    note = (note or "").strip()
    today = dates.today()
    variance_decision_check(
        variance=locked, approve=approve, approved_due_on=approved_due_on, note=note, today=today
    )
    if approve:
        locked.status = Variance.Status.APPROVED
        locked.approved_due_on = approved_due_on or locked.proposed_due_on
    else:
        locked.status = Variance.Status.DENIED
        locked.approved_due_on = None
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(
        update_fields=["status", "approved_due_on", "decided_by", "decided_at", "decision_note"]
    )
    compliance_evaluate(as_of=today, enrollment_ids=[locked.enrollment_id])
    return locked


def _regions_supervised_by(actor: User) -> QuerySet[Region]:
    return Region.objects.filter(teams__supervisors=actor).distinct()


def _writable_plan(actor: User, plan: RegionalPlan) -> RegionalPlan:
    """The plan, locked, if ``actor`` supervises a team of its region."""
    locked = (
        RegionalPlan.objects.select_for_update()
        .filter(pk=plan.pk, pk__in=RegionalPlan.objects.writable_by(actor).values("pk"))
        .first()
    )
    if locked is None:
        raise PermissionDenied("Supervisors of a team in the region write its plan.")
    return locked


@transaction.atomic
def regional_plan_create(
    *, actor: User, region: Region, year: int, summary: str = ""
) -> RegionalPlan:
    """Start a region's annual clinical case management service-delivery plan (Idaho CMH
    clinical case management standard 12: "each region shall establish clinical case
    management service delivery goals and shall annually submit a plan and timeline"). A
    supervisor of a team in the region starts it, as a draft; one plan per region and year."""
    if not (actor.is_active and actor.is_supervisor):
        raise PermissionDenied("Supervisors write their region's service-delivery plan.")
    if not _regions_supervised_by(actor).filter(pk=region.pk).exists():
        raise ValidationError({"region": "You supervise no team in this region."})
    this_year = dates.today().year
    if not this_year - 1 <= year <= this_year + 1:
        raise ValidationError(
            {"year": f"A plan is for {this_year - 1}, {this_year} or {this_year + 1}."}
        )
    if RegionalPlan.objects.filter(region=region, year=year).exists():
        raise ValidationError({"year": _PLAN_EXISTS.format(region=region, year=year)})
    plan = RegionalPlan(region=region, year=year, summary=summary.strip(), prepared_by=actor)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as duplicate:
        raise ValidationError(
            {"year": _PLAN_EXISTS.format(region=region, year=year)}
        ) from duplicate
    return plan


@dataclass(frozen=True)
class RegionalGoalInput:
    """One goal of a plan as typed: ``goal_id`` names an existing goal to change."""

    goal: str
    target_on: dt.date
    measure: str = ""
    goal_id: int | None = None


@transaction.atomic
def regional_plan_update(
    *,
    actor: User,
    plan: RegionalPlan,
    summary: str,
    goals: Sequence[RegionalGoalInput],
) -> RegionalPlan:
    """Change a draft or returned plan: its summary, and its goals, each with how progress is
    measured and the date it is to be achieved by, not before the plan's year (the
    "timeline" of standard 12). Goals are added and changed, never deleted (history keeps
    every version)."""
    locked = _writable_plan(actor, plan)
    if locked.status not in REGIONAL_PLAN_EDITABLE:
        raise ValidationError(
            f"A {locked.get_status_display().lower()} plan is not changed; it is edited while "
            "a draft or after it is returned."
        )
    existing = {goal.pk: goal for goal in locked.goals.all()}
    errors = _regional_goal_errors(goals, year=locked.year, existing=existing.keys())
    if errors:
        raise ValidationError({"goals": errors})
    locked.summary = summary.strip()
    locked.save(update_fields=["summary"])
    for row in goals:
        goal = existing.get(row.goal_id) if row.goal_id else None
        goal = goal or RegionalPlanGoal(plan=locked)
        goal.goal, goal.measure = row.goal.strip(), row.measure.strip()
        goal.target_on = row.target_on
        goal.save()
    return locked


def _regional_goal_errors(
    goals: Sequence[RegionalGoalInput], *, year: int, existing: Iterable[int]
) -> list[str]:
    """Each goal says what it is, is due no earlier than the plan's year, and an existing
    one is of this plan."""
    known = set(existing)
    errors: list[str] = []
    for number, row in enumerate(goals, start=1):
        if not row.goal.strip():
            errors.append(f"Goal {number}: say what the goal is.")
        if row.target_on.year < year:
            errors.append(f"Goal {number}: the target date cannot be before {year}.")
        if row.goal_id is not None and row.goal_id not in known:
            errors.append(f"Goal {number} is not a goal of this plan.")
    return errors


@transaction.atomic
def regional_plan_submit(*, actor: User, plan: RegionalPlan) -> RegionalPlan:
    """Submit a draft (or returned) plan with at least one goal to division administration
    for approval (Idaho CMH clinical case management standard 12)."""
    locked = _writable_plan(actor, plan)
    if locked.status not in REGIONAL_PLAN_EDITABLE:
        raise ValidationError(f"This plan is already {locked.get_status_display().lower()}.")
    if not locked.goals.exists():
        raise ValidationError({"goals": "Add at least one goal before submitting the plan."})
    locked.status = RegionalPlan.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at"])
    return locked


@transaction.atomic
def regional_plan_decide(
    *, actor: User, plan: RegionalPlan, approve: bool, comments: str = ""
) -> RegionalPlan:
    """Division administration approves a submitted plan, or returns it with comments for
    the region to revise and submit again (Idaho CMH clinical case management standard 12)."""
    require_administrator(actor, to="approves regional plans")
    locked = RegionalPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if locked is None:
        raise ValidationError("This plan no longer exists.")
    if locked.status != RegionalPlan.Status.SUBMITTED:
        raise ValidationError(
            f"Only a submitted plan is decided; this one is {locked.get_status_display().lower()}."
        )
    comments = (comments or "").strip()
    if not approve and not comments:
        raise ValidationError({"comments": "Say what the region should change."})
    locked.status = RegionalPlan.Status.APPROVED if approve else RegionalPlan.Status.RETURNED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.comments = comments
    locked.save(update_fields=["status", "decided_by", "decided_at", "comments"])
    return locked


@transaction.atomic
def program_standards_change(
    *, actor: User, program: Program, in_force_from: dt.date, standards: Mapping[str, int]
) -> Program:
    """Change a program's standards from ``in_force_from`` (today or a past day after its
    last change): the standards until then are kept as a PastProgramStandards period, so a
    past date is still judged by the standards in force then (issue 12). Division
    administration sets the standards (Idaho CMH clinical case management standard 11: the
    standards and their variances are the division's). Only the fields of STANDARD_FIELDS
    are read from ``standards``; a change that changes nothing records nothing."""
    require_administrator(actor, to="changes a program's standards")
    locked = Program.objects.select_for_update().get(pk=program.pk)
    new = {name: standards.get(name, getattr(locked, name)) for name in STANDARD_FIELDS}
    old = {name: getattr(locked, name) for name in STANDARD_FIELDS}
    errors = program_standards_errors(locked, new, in_force_from)
    if errors:
        raise ValidationError(errors)
    if new == old:
        return locked
    last = locked.past_standards.order_by("-in_force_until").first()
    PastProgramStandards.objects.create(
        program=locked,
        in_force_from=last.in_force_until if last else None,
        in_force_until=in_force_from,
        changed_by=actor,
        **old,
    )
    for name, value in new.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(STANDARD_FIELDS))
    return locked


def program_standards_errors(
    program: Program, new: Mapping[str, int], in_force_from: dt.date | None
) -> dict[str, str]:
    errors = {
        name: "A standard is a whole number of at least 1."
        for name, value in new.items()
        if not isinstance(value, int) or isinstance(value, bool) or value < 1
    }
    last = program.past_standards.order_by("-in_force_until").first()
    if in_force_from is None:
        errors["in_force_from"] = "Say from which day the standards are in force."
    elif in_force_from > dates.today():
        errors["in_force_from"] = (
            "A change is in force from today or an earlier day; record a future one on its day."
        )
    elif last is not None and in_force_from <= last.in_force_until:
        errors["in_force_from"] = (
            f"The last change was in force from {last.in_force_until:%Y-%m-%d}; "
            "a new one starts after it."
        )
    return errors
