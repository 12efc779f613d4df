"""The records each generated call of the schemathesis run may be sent to, per operation: for
an operation on one record (``/{id}/``), the ids of records the role may act on that way, each
with the body fields that must agree with it (a goal's plan, a referral's next step); for a
creation, body fields naming records in the role's scope (an enrollment, a provider). Read
through the same ``visible_to`` / ``writable_by`` gates as the API, so nothing here grants
what the API would refuse. The hooks (``devtools.api_fuzz.hooks``) send most calls to these
and the rest to whatever was generated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from casemgmt.dates import today
from clients.models import Client, Contact, Enrollment, Program
from referrals import transitions
from referrals.models import Consent, InteragencyAgreement, Provider, Referral, ReferralStatus
from referrals.services import consent_find_covering
from serviceplans.models import Assessment, Barrier, Goal, PlanAction, RiskScreen, ServicePlan
from supervision.models import Flag, FollowUpTask, RegionalPlan, SupervisionNote, Variance

API = "/api/v1"
Choice = dict[str, Any]
Pools = dict[str, dict[str, list[Choice]]]


def _on(ids: Iterable[int], body: dict[str, Any] | None = None) -> list[Choice]:
    return [{"id": pk, "body": body or {}} for pk in ids]


def _ids(queryset: Any) -> list[int]:
    return list(queryset.order_by("id").values_list("id", flat=True)[:20])


def _reads(user: User) -> dict[str, list[Choice]]:
    """Records the user may read, for the reads of one record."""
    readable = {
        "clients": Client.objects.visible_to(user),
        "enrollments": Enrollment.objects.visible_to(user),
        "contacts": Contact.objects.visible_to(user),
        "assessments": Assessment.objects.visible_to(user),
        "risk-screens": RiskScreen.objects.visible_to(user),
        "plans": ServicePlan.objects.visible_to(user),
        "goals": Goal.objects.visible_to(user),
        "plan-actions": PlanAction.objects.visible_to(user),
        "barriers": Barrier.objects.visible_to(user),
        "providers": Provider.objects.all(),
        "agreements": InteragencyAgreement.objects.all(),
        "consents": Consent.objects.visible_to(user),
        "referrals": Referral.objects.visible_to(user),
        "flags": Flag.objects.visible_to(user),
        "variances": Variance.objects.visible_to(user),
        "regional-plans": RegionalPlan.objects.all(),
        "supervision-notes": SupervisionNote.objects.visible_to(user),
        "follow-up-tasks": FollowUpTask.objects.visible_to(user),
    }
    return {f"GET {API}/{name}/{{id}}/": _on(_ids(rows)) for name, rows in readable.items()}


def _enrollment_writes(user: User) -> tuple[Pools, list[int]]:
    """Closing and transferring take an enrollment off the caseload: each gets one of its
    own, and the other operations the rest."""
    open_enrollments = Enrollment.objects.writable_by(user).filter(status=Enrollment.Status.OPEN)
    # The least busy go: those without referrals, drafts or notes, when there are any.
    busy = set(
        open_enrollments.filter(
            Q(referrals__isnull=False)
            | Q(plans__status=ServicePlan.Status.DRAFT)
            | Q(assessments__status=Assessment.Status.DRAFT)
            | Q(supervision_notes__isnull=False)
        ).values_list("id", flat=True)
    )
    open_ids = sorted(_ids(open_enrollments), key=lambda pk: (pk not in busy, pk))
    closing, transferring, rest = open_ids[-1:], open_ids[-2:-1], open_ids[:-2]
    colleagues = list(
        User.objects.filter(role=Role.CASE_MANAGER, team=user.team, is_active=True)
        .exclude(pk=user.pk)
        .values_list("id", flat=True)
    )
    clients = Client.objects.writable_by(user)
    programs = Program.objects.filter(is_active=True)
    new_enrollments = [
        {
            "client": client.pk,
            "program": program.pk,
            "case_manager": user.pk,
            "presenting_issue": "Referred by the school counselor.",
        }
        for client in clients[:10]
        for program in programs
        if not client.enrollments.filter(program=program, status=Enrollment.Status.OPEN).exists()
    ]
    paths = {
        f"PUT {API}/clients/{{id}}/": _on(_ids(clients)),
        f"PATCH {API}/clients/{{id}}/": _on(_ids(clients)),
        f"PATCH {API}/enrollments/{{id}}/": _on(rest),
        f"POST {API}/enrollments/{{id}}/close/": _on(closing),
        f"POST {API}/enrollments/{{id}}/transfer/": [
            {"id": pk, "body": {"case_manager": other}}
            for pk in transferring
            for other in colleagues
        ],
    }
    return {"paths": paths, "bodies": {f"POST {API}/enrollments/": new_enrollments}}, rest


def _record_writes(user: User, enrollments: list[int]) -> Pools:
    """Contacts, assessments, screens, plans and their parts, on the user's caseload."""
    recent = timezone.now() - dt.timedelta(hours=23)
    own_contacts = Contact.objects.writable_by(user).filter(author=user, created_at__gte=recent)
    assessments = Assessment.objects.visible_to(user).filter(enrollment_id__in=enrollments)
    drafts = assessments.filter(status=Assessment.Status.DRAFT, author=user)
    ready = [a.pk for a in drafts if not a.findings.filter(need_level="").exists()]
    plans = ServicePlan.objects.visible_to(user).filter(enrollment_id__in=enrollments)
    draft_plans = plans.filter(status=ServicePlan.Status.DRAFT)
    active_plans = plans.filter(status=ServicePlan.Status.ACTIVE)
    draft_goals = Goal.objects.filter(plan__in=draft_plans)
    on_enrollment = [{"enrollment": pk} for pk in enrollments]
    served = [
        {
            "enrollment": pk,
            "goals": _ids(Goal.objects.filter(plan__in=active_plans, plan__enrollment_id=pk))[:1],
            "note": "Met with the client; reviewed the week.",
        }
        for pk in enrollments
    ]
    return {
        "paths": {
            f"PATCH {API}/contacts/{{id}}/": _on(_ids(own_contacts)),
            f"POST {API}/contacts/{{id}}/addendum/": _on(
                _ids(Contact.objects.writable_by(user).filter(enrollment_id__in=enrollments))
            ),
            # Completing locks a draft: the one ready to complete is not also edited.
            f"PATCH {API}/assessments/{{id}}/": _on(_ids(drafts.exclude(pk__in=ready))),
            f"POST {API}/assessments/{{id}}/complete/": _on(ready, {"completed_on": str(today())}),
            f"POST {API}/assessments/{{id}}/addendum/": _on(
                _ids(assessments.filter(status=Assessment.Status.COMPLETED))
            ),
            # Its start stays: a new one may fall after a copied goal's target date.
            f"PATCH {API}/plans/{{id}}/": [
                {
                    "id": plan.pk,
                    "body": {"start_date": str(plan.start_date), "family_participants": []},
                }
                for plan in draft_plans
            ],
            f"POST {API}/plans/{{id}}/reviews/": [
                {
                    "id": plan.pk,
                    "body": {
                        "reviewed_on": str(today()),
                        "progress": [
                            {"goal": goal, "rating": "some", "note": ""}
                            for goal in plan.goals.values_list("id", flat=True)
                        ],
                    },
                }
                for plan in active_plans
            ],
            f"PATCH {API}/goals/{{id}}/": [
                {"id": goal.pk, "body": {"plan": goal.plan_id}} for goal in draft_goals
            ],
            f"PATCH {API}/plan-actions/{{id}}/": [
                {"id": action.pk, "body": {"goal": action.goal_id}}
                for action in PlanAction.objects.filter(goal__in=draft_goals)
            ],
            f"PATCH {API}/barriers/{{id}}/": [
                {"id": barrier.pk, "body": {"plan": barrier.plan_id}}
                for barrier in Barrier.objects.filter(plan__in=draft_plans)
            ],
        },
        "bodies": {
            f"POST {API}/contacts/": served,
            f"POST {API}/assessments/": [
                row for row in on_enrollment if not drafts.filter(enrollment=row["enrollment"])
            ],
            f"POST {API}/risk-screens/": on_enrollment,
            f"POST {API}/plans/": [
                row
                for row in on_enrollment
                if not draft_plans.filter(enrollment=row["enrollment"]).exists()
            ],
            f"POST {API}/goals/": [{"plan": pk} for pk in _ids(draft_plans)],
            f"POST {API}/barriers/": [{"plan": pk} for pk in _ids(draft_plans)],
            f"POST {API}/plan-actions/": [
                {"goal": pk, "responsible": "case_manager"} for pk in _ids(draft_goals)
            ],
        },
    }


def _referral_writes(user: User, enrollments: list[int]) -> Pools:
    """Consents, referrals and their steps, variances and supervision, on the caseload."""
    referrals = Referral.objects.writable_by(user).filter(enrollment_id__in=enrollments)
    providers = _ids(Provider.objects.filter(is_active=True))
    clients = _ids(Client.objects.writable_by(user))
    moving = referrals.exclude(status__in=[ReferralStatus.DRAFT, *transitions.FINISHED])
    # A referral's packet, and the consent that covers it (not revoked during the run).
    packets: dict[int, int] = {}
    for referral in referrals.select_related("enrollment__client", "provider"):
        consent, _ = consent_find_covering(
            client=referral.enrollment.client,
            provider=referral.provider,
            categories=referral.categories,
            on=today(),
        )
        if referral.shares_information and consent is not None:
            packets[referral.pk] = consent.pk
    notes = SupervisionNote.objects.visible_to(user).filter(staff_supervised=user)
    tasks = FollowUpTask.objects.filter(note__in=notes, done_on__isnull=True).order_by("id")
    done, to_plan = list(tasks[:1]), list(tasks[1:])
    pending = set(
        Variance.objects.filter(status=Variance.Status.PENDING).values_list("enrollment_id", "rule")
    )
    flags = [
        flag
        for flag in Flag.objects.visible_to(user)
        .filter(enrollment_id__in=enrollments, resolved_on__isnull=True)
        .order_by("id")
        if (flag.enrollment_id, flag.rule) not in pending
    ]
    return {
        "paths": {
            f"POST {API}/consents/{{id}}/revoke/": _on(
                _ids(
                    Consent.objects.visible_to(user)
                    .filter(client_id__in=clients, revoked_on=None)
                    .exclude(pk__in=packets.values())
                ),
                {"revoked_on": str(today())},
            ),
            f"POST {API}/referrals/{{id}}/transition/": [
                {"id": referral.pk, "body": {"to_status": step, "occurred_on": str(today())}}
                for referral in moving
                for step in sorted(transitions.allowed_next(referral.status))
            ],
            f"POST {API}/referrals/{{id}}/follow-up/": _on(_ids(moving)),
            f"POST {API}/referrals/{{id}}/packet/": _on(packets),
            f"POST {API}/supervision-notes/{{id}}/acknowledge/": _on(
                _ids(notes.filter(acknowledged_on__isnull=True))
            ),
            f"POST {API}/follow-up-tasks/{{id}}/done/": _on(task.pk for task in done),
            f"POST {API}/follow-up-tasks/{{id}}/add-to-plan/": [
                {"id": task.pk, "body": {"goal": goal}}
                for task in to_plan
                for goal in Goal.objects.filter(
                    plan__enrollment_id=task.note.enrollment_id,
                    plan__status__in=[ServicePlan.Status.DRAFT, ServicePlan.Status.ACTIVE],
                ).values_list("id", flat=True)
            ],
        },
        "bodies": {
            f"POST {API}/consents/": [
                {
                    "client": client,
                    "recipient_provider": provider,
                    "recipient_class": "",
                    "categories": ["identifying"],
                    "discloser": "Casework",
                    "purpose": "Referral for services.",
                    "signer_name": "The client",
                }
                for client in clients[:5]
                for provider in providers[:3]
            ],
            f"POST {API}/referrals/": [
                {
                    "enrollment": pk,
                    "provider": provider,
                    "service": None,
                    "goal": None,
                    "reason": "Needs services the agency does not offer.",
                    "shares_information": True,
                    "categories": ["identifying"],
                }
                for pk in enrollments[:5]
                for provider in providers[:3]
            ],
            f"POST {API}/variances/": [
                {"enrollment": flag.enrollment_id, "flag": flag.pk, "rule": flag.rule}
                for flag in flags
            ],
        },
    }


def _administration_writes(user: User) -> Pools:
    """The directory, and the decisions on variances and regional plans."""
    if not user.is_administrator:
        return {"paths": {}, "bodies": {}}
    pending = _ids(Variance.objects.filter(status=Variance.Status.PENDING))
    return {
        "paths": {
            f"PATCH {API}/providers/{{id}}/": _on(_ids(Provider.objects.all())),
            f"PATCH {API}/agreements/{{id}}/": [
                {"id": agreement.pk, "body": {"provider": agreement.provider_id}}
                for agreement in InteragencyAgreement.objects.order_by("id")
            ],
            f"POST {API}/variances/{{id}}/approve/": _on(pending[::2], {"approved_due_on": None}),
            f"POST {API}/variances/{{id}}/deny/": _on(
                pending[1::2], {"note": "The standard can be met with the team's help."}
            ),
            # Comments, which returning a plan needs (approving takes them too).
            f"POST {API}/regional-plans/{{id}}/decide/": _on(
                _ids(RegionalPlan.objects.filter(status=RegionalPlan.Status.SUBMITTED)),
                {"comments": "Add a measure to the second goal."},
            ),
        },
        "bodies": {
            f"POST {API}/agreements/": [
                {"provider": pk, "document": None} for pk in _ids(Provider.objects.all())
            ],
        },
    }


def role_pools(user: User) -> Pools:
    """Every operation's choices for ``user``: an operation missing here is sent only what
    schemathesis generated."""
    enrollment_pools, enrollments = _enrollment_writes(user)
    parts = [
        {"paths": _reads(user), "bodies": {}},
        enrollment_pools,
        _record_writes(user, enrollments),
        _referral_writes(user, enrollments),
        _administration_writes(user),
    ]
    pools: Pools = {"paths": {}, "bodies": {}}
    for part in parts:
        for kind in ("paths", "bodies"):
            pools[kind].update({label: rows for label, rows in part[kind].items() if rows})
    return pools
