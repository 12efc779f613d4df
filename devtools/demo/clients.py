"""Writes a planned demo client through the services: registration, family, enrollments,
contacts, the clinical record, a referral, closure or transfer."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db.models import F

from accounts.models import Role, User
from casemgmt.dates import today
from clients import services
from clients.models import Client, Contact, Enrollment, Program
from devtools.demo.clinical import write_clinical_record
from devtools.demo.plan import SEED, ClientPlan, EnrollmentPlan
from devtools.demo.referrals import write_referral
from devtools.demo.staff import STAFF, Created
from referrals.models import Provider


@dataclass(frozen=True)
class Agency:
    """What a client is written against: the staff by username, programs by code, the
    provider directory by name."""

    users: dict[str, User]
    programs: dict[str, Program]
    providers: dict[str, Provider]


def write_client(plan: ClientPlan, *, agency: Agency, created: Created) -> None:
    """Registered by the case manager of the latest episode (or, for a client never enrolled,
    by ``registered_by``), with the family; then each episode in turn."""
    registrar = agency.users[plan.registered_by or plan.enrollments[-1].case_manager]
    client = services.client_register(
        actor=registrar, record_number=plan.record_number, **plan.fields
    )
    created.clients += 1
    for member in plan.family:
        services.family_member_add(actor=registrar, client=client, **member.fields)
        created.family_members += 1
    supervisor = next(
        agency.users[s.username]
        for s in STAFF
        if s.role == Role.SUPERVISOR and plan.team in s.supervises
    )
    for episode in plan.enrollments:
        _write_episode(plan, episode, client, supervisor=supervisor, agency=agency, created=created)


def _write_episode(
    plan: ClientPlan,
    episode: EnrollmentPlan,
    client: Client,
    *,
    supervisor: User,
    agency: Agency,
    created: Created,
) -> None:
    """The enrollment, its contacts and clinical record; a referral while it is open; then
    its closure or transfer."""
    case_manager = agency.users[episode.case_manager]
    enrollment = services.enrollment_open(
        actor=case_manager,
        client=client,
        program=agency.programs[episode.program],
        case_manager=case_manager,
        application_date=episode.application_date,
        continuum_stage=episode.continuum_stage,
        case_management_model=episode.case_management_model,
        presenting_issue=episode.presenting_issue,
        eligibility_note=episode.eligibility_note,
        prior_discharge_on=episode.prior_discharge_on,
        prior_discharge_from=episode.prior_discharge_from,
    )
    created.enrollments += 1
    _write_contacts(episode, enrollment, case_manager=case_manager, supervisor=supervisor)
    created.contacts += len(episode.contacts)
    # Each episode draws from its own generator: what one writes does not shift another.
    rng = random.Random(f"{SEED}-{plan.record_number}-{episode.program}")
    write_clinical_record(
        rng=rng,
        plan=plan,
        episode=episode,
        enrollment=enrollment,
        case_manager=case_manager,
        supervisor=supervisor,
        today=today(),
    )
    if episode.closed_on is None:
        write_referral(
            rng=rng,
            plan=plan,
            enrollment=enrollment,
            case_manager=case_manager,
            providers=agency.providers,
            today=today(),
        )
    else:
        services.enrollment_close(
            actor=case_manager,
            enrollment=enrollment,
            closed_on=episode.closed_on,
            close_reason=episode.close_reason,
            close_note=episode.close_note,
        )
    if episode.transfer_to is not None:
        services.enrollment_transfer(
            actor=supervisor, enrollment=enrollment, case_manager=agency.users[episode.transfer_to]
        )


def _write_contacts(
    episode: EnrollmentPlan, enrollment: Enrollment, *, case_manager: User, supervisor: User
) -> None:
    for contact in episode.contacts:
        services.contact_record(
            actor=supervisor if contact.by_supervisor else case_manager,
            enrollment=enrollment,
            occurred_at=contact.occurred_at,
            contact_type=contact.contact_type,
            duration_minutes=contact.duration_minutes,
            travel_minutes=contact.travel_minutes,
            participants=contact.participants,
            location=contact.location,
            note=contact.note,
        )
    # As if each contact had been written up on the day it happened: their 24-hour
    # correction windows closed long ago, as they would have in a real agency.
    Contact.objects.filter(enrollment=enrollment).update(created_at=F("occurred_at"))
