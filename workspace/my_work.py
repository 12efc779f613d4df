"""My work: one list of everything a person has to do, from every app, soonest first.

What is overdue stays on the list whatever its age, until it is done; what falls due, or is
scheduled, within MY_WORK_WINDOW_DAYS (serviceplans.due_dates) joins it. Each source is one
set-based query over the person's open caseload (or their own supervision), so the page's
query count does not grow with the number of items; due dates are the compliance rules' own
(serviceplans.due_dates' SQL twins, referrals' follow-up dates, the consent rule's window), so
nothing is computed twice.

Sources, each cited where its rule comes from:

- the next comprehensive assessment, initial or update (Idaho CMH clinical case management
  standards 7 and 8, source document 003_83bf9ff00bc1b54f);
- the active service plan's review (standard 9);
- referral follow-ups (TIP 27, linkage: 001_3c08ce069f179acb);
- supervision follow-up tasks and notes to acknowledge (CFP bulletin 18B-08,
  000_2d0f29de25a5e807: case-specific supervision);
- releases of information expiring under an active referral (IC&RC core function 7,
  002_e82a38c4edc6a7a3, and 42 CFR 2.31);
- the open compliance flags not already listed as one of the above;
- planned visits (scheduling), past ones neither recorded nor missed included;
- corrective actions of record reviews returned to the case manager (quality; TIP 27,
  001_3c08ce069f179acb: review findings returned to those who produced the records), until
  marked done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import DateField, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import User
from accounts.selectors import case_managers_of_teams, team_ids_writable_by
from clients.models import Client, Enrollment
from quality.models import CorrectiveAction
from quality.selectors import open_actions_for
from referrals import transitions
from referrals.models import Consent, Referral, ReferralStatus
from scheduling.models import PlannedVisit
from scheduling.selectors import visits_for_my_work
from serviceplans import due_dates
from serviceplans.due_dates import MY_WORK_WINDOW_DAYS, DueStatus, due_status
from serviceplans.models import Assessment, PlanAction, PlanReview, ServicePlan
from serviceplans.selectors import with_assessment_due
from supervision.compliance import CONSENT_WARNING_DAYS
from supervision.models import Flag, FlagRule, FollowUpTask, SupervisionNote
from supervision.rules import registered_rules

# The kinds of item, in the order they are listed on one day.
KIND_ASSESSMENT = "assessment"
KIND_PLAN_REVIEW = "plan_review"
KIND_REFERRAL = "referral_follow_up"
KIND_VISIT = "visit"
KIND_TASK = "task"
KIND_NOTE = "note"
KIND_CONSENT = "consent"
KIND_FLAG = "flag"
KIND_CORRECTIVE_ACTION = "corrective_action"
KIND_ORDER = (
    KIND_ASSESSMENT,
    KIND_PLAN_REVIEW,
    KIND_REFERRAL,
    KIND_VISIT,
    KIND_TASK,
    KIND_NOTE,
    KIND_CONSENT,
    KIND_FLAG,
    KIND_CORRECTIVE_ACTION,
)

# A flag of these rules is the item its rule is about (the assessment, the plan review, the
# referral, the consent), which My work lists from the same due date already: listing the flag
# too would say the same thing twice.
FLAG_RULES_LISTED_AS_THEIR_ITEM = frozenset(
    {
        FlagRule.INITIAL_ASSESSMENT_OVERDUE,
        FlagRule.ASSESSMENT_UPDATE_OVERDUE,
        FlagRule.PLAN_REVIEW_OVERDUE,
        FlagRule.REFERRAL_FOLLOW_UP_OVERDUE,
        FlagRule.CONSENT_EXPIRING,
    }
)

# A referral still to follow up: sent, and neither engaged nor closed (the compliance rule's
# own definition, supervision.compliance.referral_follow_up_overdue).
REFERRAL_NOT_ACTIVE = [*transitions.FINISHED, ReferralStatus.DRAFT]


@dataclass(frozen=True)
class MyWorkItem:
    """One thing to do: its kind, the client (None for supervision about the case manager
    alone), what is due, how its date stands today, and its action: a link, a button that
    posts (``action_posts``) to ``action_url``, or one that opens it in the page's modal
    (``action_htmx``: the contact form)."""

    kind: str
    kind_label: str
    pk: int
    client: Client | None
    what: str
    due: DueStatus
    action_label: str
    action_url: str
    action_posts: bool = False
    action_htmx: bool = False

    @property
    def sort_key(self) -> tuple[dt.date, int, str, str, int]:
        client = self.client
        return (
            self.due.due_on,
            KIND_ORDER.index(self.kind),
            client.last_name if client else "",
            client.first_name if client else "",
            self.pk,
        )


@dataclass(frozen=True)
class MyWorkOwner:
    """Whose work the page shows, and whom the viewer may switch to (a supervisor: the case
    managers of the teams they supervise; a case manager: nobody)."""

    case_manager: User
    choices: list[User]


def my_work_owner(*, viewer: User, case_manager_id: int | None) -> MyWorkOwner:
    """A case manager sees their own work; a supervisor their own or that of a case manager of
    a team they supervise (``case_manager_id``). Administrators and QA reviewers hold no
    caseload and receive no supervision: refused (PermissionDenied). A case manager outside
    the viewer's reach raises LookupError (the view answers 404)."""
    if not viewer.is_active or not (viewer.is_case_manager or viewer.is_supervisor):
        raise PermissionDenied("My work is a case manager's or a supervisor's own list.")
    if viewer.is_case_manager:
        if case_manager_id not in (None, viewer.pk):
            raise LookupError("No such case manager in your teams.")
        return MyWorkOwner(case_manager=viewer, choices=[])
    choices = list(
        case_managers_of_teams(team_ids=team_ids_writable_by(viewer)).order_by(
            "last_name", "first_name", "pk"
        )
    )
    if case_manager_id is None or case_manager_id == viewer.pk:
        return MyWorkOwner(case_manager=viewer, choices=choices)
    chosen = next((u for u in choices if u.pk == case_manager_id), None)
    if chosen is None:
        raise LookupError("No such case manager in your teams.")
    return MyWorkOwner(case_manager=chosen, choices=choices)


def my_work_until(today: dt.date) -> dt.date:
    """The last day My work looks ahead to."""
    return due_dates.plus_days(today, MY_WORK_WINDOW_DAYS)


def caseload_of(*, viewer: User, case_manager: User) -> QuerySet[Enrollment]:
    """The case manager's open enrollments, through the viewer's scope."""
    return Enrollment.objects.visible_to(viewer).open().filter(case_manager=case_manager)


# --- The sources ------------------------------------------------------------------------------


def assessments_due(*, caseload: QuerySet[Enrollment], until: dt.date) -> QuerySet[Enrollment]:
    """Enrollments whose next comprehensive assessment (initial or update) is due by
    ``until``, or overdue: ``assessment_due_on`` is due_dates.next_assessment_due_on_sql, the
    date the compliance rules raise their flags from. ``draft_id``: the assessment already
    started, if any."""
    draft = Assessment.objects.filter(
        enrollment=OuterRef("pk"), status=Assessment.Status.DRAFT
    ).order_by("-pk")
    return (
        with_assessment_due(caseload)
        .filter(Q(assessment_due_on__lte=until))
        .annotate(draft_id=Subquery(draft.values("pk")[:1]))
        .select_related("client", "program")
    )


def plan_reviews_due(*, caseload: QuerySet[Enrollment], until: dt.date) -> QuerySet[ServicePlan]:
    """Active service plans whose review is due by ``until``, or overdue:
    due_dates.plan_review_due_on_sql, as the plan-review rule computes it."""
    last_review = (
        PlanReview.objects.filter(plan=OuterRef("pk"))
        .order_by("-reviewed_on")
        .values("reviewed_on")
    )
    return (
        ServicePlan.objects.filter(
            enrollment__in=caseload, status=ServicePlan.Status.ACTIVE, approved_on__isnull=False
        )
        .annotate(last_reviewed_on=Subquery(last_review[:1], output_field=DateField()))
        .annotate(
            review_due_on=due_dates.plan_review_due_on_sql(
                approved_on=F("approved_on"),
                last_reviewed_on=F("last_reviewed_on"),
                plan_review_interval_days=F("enrollment__program__plan_review_interval_days"),
            )
        )
        .filter(review_due_on__lte=until)
        .select_related("enrollment__client")
    )


def referral_follow_ups_due(
    *, viewer: User, caseload: QuerySet[Enrollment], until: dt.date
) -> QuerySet[Referral]:
    """Active referrals whose follow-up date (referrals.transitions.follow_up_due_on, moved at
    every step) is by ``until``, or past."""
    return (
        Referral.objects.visible_to(viewer)
        .filter(enrollment__in=caseload, follow_up_due_on__lte=until)
        .exclude(status__in=REFERRAL_NOT_ACTIVE)
        .select_related("enrollment__client", "provider")
    )


def follow_up_tasks_due(
    *, viewer: User, case_manager: User, until: dt.date
) -> QuerySet[FollowUpTask]:
    """Follow-up tasks of supervision given to the case manager (the staff member supervised,
    the task theirs to perform), not done, due by ``until`` or overdue."""
    return (
        FollowUpTask.objects.visible_to(viewer)
        .filter(
            note__staff_supervised=case_manager,
            responsible=PlanAction.Responsible.CASE_MANAGER,
            done_on__isnull=True,
            due_on__lte=until,
        )
        .select_related("note__enrollment__client")
    )


def notes_to_acknowledge(*, viewer: User, case_manager: User) -> QuerySet[SupervisionNote]:
    """Supervision notes to the case manager not yet acknowledged: due from the day the
    supervision was held."""
    return (
        SupervisionNote.objects.visible_to(viewer)
        .filter(staff_supervised=case_manager, acknowledged_on__isnull=True)
        .select_related("enrollment__client")
    )


def consents_expiring_under_referrals(
    *, viewer: User, caseload: QuerySet[Enrollment], today: dt.date, until: dt.date
) -> QuerySet[Consent]:
    """Releases of information, not revoked, that expire between today and ``until`` while an
    active referral of the caseload relies on them (the consent rule,
    supervision.compliance.consent_expiring, over My work's window). Once expired, the
    referral's next disclosure is refused by the consent check itself, as the rule says."""
    # Uncorrelated, so that PostgreSQL starts from the caseload's few referrals.
    relying = Referral.objects.filter(enrollment__in=caseload).exclude(
        status__in=REFERRAL_NOT_ACTIVE
    )
    return (
        Consent.objects.visible_to(viewer)
        .filter(expires_on__gte=today, expires_on__lte=until)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))
        .filter(pk__in=relying.values("consent_id"))
        .select_related("client", "recipient_provider")
    )


def open_flags(*, viewer: User, caseload: QuerySet[Enrollment], until: dt.date) -> QuerySet[Flag]:
    """Open compliance flags on the caseload, but those whose item My work lists already
    (FLAG_RULES_LISTED_AS_THEIR_ITEM)."""
    return (
        Flag.objects.visible_to(viewer)
        .filter(resolved_on__isnull=True, enrollment__in=caseload, due_on__lte=until)
        .exclude(rule__in=FLAG_RULES_LISTED_AS_THEIR_ITEM)
        .select_related("enrollment__client")
    )


def visits_due(*, viewer: User, case_manager: User, until: dt.date) -> QuerySet[PlannedVisit]:
    """The case manager's planned visits up to ``until``, past ones neither recorded nor
    missed included (scheduling.selectors.visits_for_my_work), through the viewer's scope."""
    return visits_for_my_work(case_manager=case_manager, until=until).filter(
        enrollment__in=Enrollment.objects.visible_to(viewer)
    )


# --- Items ------------------------------------------------------------------------------------


def _client_url(client: Client, anchor: str = "") -> str:
    return reverse("workspace:client", args=[client.pk]) + (f"#{anchor}" if anchor else "")


def _assessment_items(enrollments: Iterable[Enrollment], *, today: dt.date) -> list[MyWorkItem]:
    items = []
    for e in enrollments:
        annotated: Any = e  # annotated by assessments_due
        initial = annotated.last_assessment_on is None
        draft_id = annotated.draft_id
        due_on = annotated.assessment_due_on
        items.append(
            MyWorkItem(
                kind=KIND_ASSESSMENT,
                kind_label="Initial assessment" if initial else "Assessment update",
                pk=e.pk,
                client=e.client,
                what=f"Comprehensive assessment ({'initial' if initial else 'update'}) · "
                f"{e.program.name}",
                due=due_status(
                    due_on=due_on, today=today, soon_within=due_dates.ASSESSMENT_DUE_SOON_DAYS
                ),
                action_label="Continue assessment" if draft_id else "Start assessment",
                action_url=reverse("serviceplans:assessment_edit", args=[draft_id])
                if draft_id
                else reverse("serviceplans:assessment_start", args=[e.pk]),
                action_posts=not draft_id,
            )
        )
    return items


def _plan_review_items(plans: Iterable[ServicePlan], *, today: dt.date) -> list[MyWorkItem]:
    return [
        MyWorkItem(
            kind=KIND_PLAN_REVIEW,
            kind_label="Plan review",
            pk=plan.pk,
            client=plan.enrollment.client,
            what=f"Review service plan version {plan.version}",
            due=due_status(
                due_on=plan.review_due_on,  # type: ignore[attr-defined]  # annotated by plan_reviews_due
                today=today,
                soon_within=due_dates.PLAN_REVIEW_DUE_SOON_DAYS,
            ),
            action_label="Write review",
            action_url=reverse("serviceplans:plan_review", args=[plan.pk]),
        )
        for plan in plans
    ]


def _referral_items(referrals: Iterable[Referral], *, today: dt.date) -> list[MyWorkItem]:
    return [
        MyWorkItem(
            kind=KIND_REFERRAL,
            kind_label="Referral follow-up",
            pk=r.pk,
            client=r.enrollment.client,
            what=f"Follow up the referral to {r.provider.name} ({r.get_status_display().lower()})",
            due=due_status(
                due_on=r.follow_up_due_on,  # type: ignore[arg-type]  # filtered on a date
                today=today,
                soon_within=transitions.FOLLOW_UP_DUE_SOON_DAYS,
            ),
            action_label="Record follow-up",
            action_url=reverse("referrals:referral_detail", args=[r.pk]),
        )
        for r in referrals
    ]


def _task_items(
    tasks: Iterable[FollowUpTask], *, viewer: User, case_manager: User, today: dt.date
) -> list[MyWorkItem]:
    # supervision.services.task_done: the staff member supervised or a supervisor of the
    # note's team marks it done; anyone else opens the note.
    supervised_teams = team_ids_writable_by(viewer)
    items = []
    for task in tasks:
        note = task.note
        may_mark = viewer.pk == case_manager.pk or note.team_id in supervised_teams
        items.append(
            MyWorkItem(
                kind=KIND_TASK,
                kind_label="Supervision task",
                pk=task.pk,
                client=note.enrollment.client if note.enrollment else None,
                what=task.description,
                due=due_status(due_on=task.due_on, today=today),
                action_label="Mark done" if may_mark else "Open note",
                action_url=reverse("supervision:task_done", args=[task.pk])
                if may_mark
                else reverse("supervision:note_detail", args=[note.pk]),
                action_posts=may_mark,
            )
        )
    return items


def _note_items(
    notes: Iterable[SupervisionNote], *, viewer: User, case_manager: User, today: dt.date
) -> list[MyWorkItem]:
    # Only the staff member supervised acknowledges (supervision.services.note_acknowledge),
    # on the note's page, having read it.
    own = viewer.pk == case_manager.pk
    return [
        MyWorkItem(
            kind=KIND_NOTE,
            kind_label="Supervision note",
            pk=note.pk,
            client=note.enrollment.client if note.enrollment else None,
            what=f"{note.get_kind_display()} of {note.held_on:%Y-%m-%d} to acknowledge",
            due=due_status(due_on=note.held_on, today=today),
            action_label="Read and acknowledge" if own else "Open note",
            action_url=reverse("supervision:note_detail", args=[note.pk]),
        )
        for note in notes
    ]


def _consent_items(consents: Iterable[Consent], *, today: dt.date) -> list[MyWorkItem]:
    items = []
    for consent in consents:
        recipient = consent.recipient_provider.name if consent.recipient_provider else "recipient"
        items.append(
            MyWorkItem(
                kind=KIND_CONSENT,
                kind_label="Release expiring",
                pk=consent.pk,
                client=consent.client,
                what=f"Release of information to {recipient} expires; an active referral "
                "relies on it",
                due=due_status(
                    due_on=consent.expires_on,  # type: ignore[arg-type]  # filtered on a date
                    today=today,
                    soon_within=CONSENT_WARNING_DAYS,
                ),
                action_label="Open release",
                action_url=reverse("referrals:consent_detail", args=[consent.pk]),
            )
        )
    return items


def _visit_items(visits: Iterable[PlannedVisit], *, today: dt.date) -> list[MyWorkItem]:
    items = []
    for visit in visits:
        client = visit.enrollment.client
        starts = timezone.localtime(visit.scheduled_start)
        items.append(
            MyWorkItem(
                kind=KIND_VISIT,
                kind_label="Planned visit",
                pk=visit.pk,
                client=client,
                what=f"{visit.get_contact_type_display()} at {starts:%H:%M} · "
                f"{visit.get_place_display()} · {visit.enrollment.program.name}",
                due=due_status(due_on=starts.date(), today=today),
                action_label="Record the visit",
                # The contact modal, pre-filled from the visit (workspace.views.contacts).
                action_url=reverse("workspace:contact_create", args=[client.pk])
                + "?"
                + urlencode({"visit": visit.pk}),
                action_htmx=True,
            )
        )
    return items


def _flag_items(flags: Iterable[Flag], *, today: dt.date) -> list[MyWorkItem]:
    rules = {rule.code: rule for rule in registered_rules()}
    items = []
    for flag in flags:
        rule = rules.get(flag.rule)
        client = flag.enrollment.client
        items.append(
            MyWorkItem(
                kind=KIND_FLAG,
                kind_label="Compliance flag",
                pk=flag.pk,
                client=client,
                what=f"{rule.name}: {rule.satisfied_by}" if rule else flag.get_rule_display(),
                due=due_status(due_on=flag.due_on, today=today),
                action_label="Open flag",
                action_url=_client_url(client, "compliance"),
            )
        )
    return items


def _corrective_action_items(
    actions: Iterable[CorrectiveAction], *, today: dt.date
) -> list[MyWorkItem]:
    # The review's page shows the findings and marks the action done
    # (quality.services.corrective_action_done); done, it leaves My work.
    return [
        MyWorkItem(
            kind=KIND_CORRECTIVE_ACTION,
            kind_label="Record review",
            pk=action.pk,
            client=action.review.enrollment.client,
            what=f"Corrective action: {action.description}",
            due=due_status(due_on=action.due_on, today=today),
            action_label="Open findings",
            action_url=reverse("quality:review", args=[action.review_id]),
        )
        for action in actions
    ]


def my_work_items(*, viewer: User, case_manager: User, today: dt.date) -> list[MyWorkItem]:
    """Everything overdue or due by my_work_until(today) for ``case_manager``, as ``viewer``
    may see it, soonest first (then by kind, then by client). One query per source, whatever
    the number of items."""
    until = my_work_until(today)
    caseload = caseload_of(viewer=viewer, case_manager=case_manager)
    items = [
        *_assessment_items(assessments_due(caseload=caseload, until=until), today=today),
        *_plan_review_items(plan_reviews_due(caseload=caseload, until=until), today=today),
        *_referral_items(
            referral_follow_ups_due(viewer=viewer, caseload=caseload, until=until), today=today
        ),
        *_task_items(
            follow_up_tasks_due(viewer=viewer, case_manager=case_manager, until=until),
            viewer=viewer,
            case_manager=case_manager,
            today=today,
        ),
        *_note_items(
            notes_to_acknowledge(viewer=viewer, case_manager=case_manager),
            viewer=viewer,
            case_manager=case_manager,
            today=today,
        ),
        *_consent_items(
            consents_expiring_under_referrals(
                viewer=viewer, caseload=caseload, today=today, until=until
            ),
            today=today,
        ),
        *_flag_items(open_flags(viewer=viewer, caseload=caseload, until=until), today=today),
        *_visit_items(
            visits_due(viewer=viewer, case_manager=case_manager, until=until), today=today
        ),
        *_corrective_action_items(
            open_actions_for(viewer=viewer, case_manager=case_manager, until=until), today=today
        ),
    ]
    return sorted(items, key=lambda item: item.sort_key)
