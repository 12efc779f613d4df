"""Open work for the schemathesis run: the demo agency's history is settled (its assessments
completed, its plans active, its notes acknowledged), so the operations that act on a draft
or on something pending would have nothing to act on. Made through the services, as their
authors would, on the demo case manager's own caseload."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from accounts.models import User
from casemgmt.dates import today
from clients.models import Enrollment
from referrals.models import InformationCategory, InteragencyAgreement, Provider
from referrals.services import agreement_save, consent_record, referral_create
from serviceplans.models import Domain, ServicePlan
from serviceplans.services import assessment_save, assessment_start, plan_start
from supervision.models import Flag, SupervisionNote
from supervision.services import note_write, variance_request


def _open_enrollments(case_manager: User) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.writable_by(case_manager)
        .filter(status=Enrollment.Status.OPEN, case_manager=case_manager)
        .order_by("id")
    )


def stage_open_work(*, case_manager: User, supervisor: User, administrator: User) -> None:
    """Two draft assessments (the first with every domain rated, ready to complete), a draft
    version of two active plans (with the goals, actions and barriers it copies), a note from
    the supervisor with two follow-up tasks, four pending variances, a draft referral that
    shares information under a signed consent (and a consent to revoke), and an interagency
    agreement."""
    enrollments = list(_open_enrollments(case_manager))
    _stage_referral_packet(case_manager=case_manager, enrollment=enrollments[0])
    provider = Provider.objects.filter(is_active=True).order_by("id").first()
    if provider is not None and not InteragencyAgreement.objects.exists():
        agreement_save(
            actor=administrator,
            provider=provider,
            kind=InteragencyAgreement.Kind.MOU,
            starts_on=today() - dt.timedelta(days=90),
            ends_on=today() + dt.timedelta(days=275),
            note="Staged for the API run.",
        )
    for index, enrollment in enumerate(enrollments[:2]):
        assessment = assessment_start(actor=case_manager, enrollment=enrollment)
        if index == 0:
            rated = {"findings": "Reviewed with the client.", "need_level": "low"}
            assessment_save(
                actor=case_manager,
                assessment=assessment,
                summary="Staged for the API run.",
                findings=dict.fromkeys(Domain.values, rated),
            )
    with_active_plan = [
        enrollment
        for enrollment in enrollments
        if enrollment.plans.filter(status=ServicePlan.Status.ACTIVE).exists()
    ]
    for enrollment in with_active_plan[:2]:
        # From the active plan's start: the goals it copies may be due before today.
        active = enrollment.plans.get(status=ServicePlan.Status.ACTIVE)
        plan_start(actor=case_manager, enrollment=enrollment, start_date=active.start_date)
    due = today() + dt.timedelta(days=14)
    note_write(
        actor=supervisor,
        kind=SupervisionNote.Kind.CASE_SPECIFIC,
        held_on=today(),
        discussion="Staged for the API run.",
        enrollment=with_active_plan[0],
        tasks=[
            {"description": "Call the school.", "due_on": due},
            {"description": "Book the housing intake.", "due_on": due},
        ],
    )
    flags = Flag.objects.filter(enrollment__in=enrollments, resolved_on__isnull=True).order_by(
        "enrollment_id", "id"
    )
    asked: set[tuple[int, str]] = set()
    for flag in flags:
        if (flag.enrollment_id, flag.rule) in asked or len(asked) == 4:
            continue
        variance_request(
            actor=case_manager,
            enrollment=flag.enrollment,
            flag=flag,
            reason="Staged for the API run.",
            proposed_due_on=today() + dt.timedelta(days=30),
        )
        asked.add((flag.enrollment_id, flag.rule))


def _stage_referral_packet(*, case_manager: User, enrollment: Enrollment) -> None:
    """Consents to disclose identifying details to two providers, and a draft referral to
    the first that shares them: its packet may be disclosed, the other consent revoked."""
    providers = list(Provider.objects.filter(is_active=True).order_by("id")[:2])
    if not providers:
        return
    categories = [InformationCategory.IDENTIFYING]
    for recipient in providers:
        consent_record(
            actor=case_manager,
            client=enrollment.client,
            discloser="Casework",
            recipient_provider=recipient,
            categories=categories,
            purpose="Referral for services.",
            expires_on=today() + dt.timedelta(days=365),
            signer="client",
            signer_name=enrollment.client.display_name,
            signed_on=today(),
            right_to_revoke_explained=True,
        )
    provider = providers[0]
    referral_create(
        actor=case_manager,
        enrollment=enrollment,
        provider=provider,
        reason="Staged for the API run.",
        shares_information=True,
        categories=categories,
    )
