"""Every change to clients, families, enrollments and contacts goes through one of these.

Each service is atomic, takes keyword arguments, checks that the actor may make the change,
validates (raising ``django.core.exceptions.ValidationError`` with field errors, which forms
show beside the field and the API returns as a 400) and saves nothing when it refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from accounts.selectors import team_ids_writable_by
from casemgmt.dates import today
from casemgmt.reactions import publish
from casemgmt.roles import require_clinical_writer
from clients import contact_rules
from clients.events import EnrollmentChanged
from clients.models import (
    ENCRYPTED_NUMBERS,
    AccessLog,
    Client,
    Contact,
    ContactAddendum,
    Enrollment,
    FamilyMember,
    Program,
)

GENERATED_RECORD_PREFIX = "CW-"
# The demo agency's legacy record numbers (seed_demo): a database whose every client carries
# one is a demo, the only kind supervision.compliance.compliance_replay_history_for_demo
# writes a made-up history of flags to.
DEMO_RECORD_PREFIX = "D-"
EARLIEST_BIRTH_YEAR = 1900
# Clocks on tablets drift; a contact stamped a few minutes ahead is not "in the future".
CLOCK_SKEW = dt.timedelta(minutes=5)

# What each update service may change, in the order the forms and the API show them.
# Ownership (client, team, case manager, author) and state (status, closing) change only
# through their own services.
CLIENT_EDITABLE = (
    "record_number", "first_name", "middle_name", "last_name", "preferred_name",
    "date_of_birth", "sex", "gender_identity", "primary_language", "interpreter_needed",
    "phone", "email", "address_line", "city", "state", "postal_code", "ssn", "medicaid_number",
)  # fmt: skip
FAMILY_MEMBER_EDITABLE = (
    "first_name", "last_name", "relationship", "date_of_birth", "is_guardian",
    "lives_in_household", "takes_part_in_planning", "phone",
)  # fmt: skip
ENROLLMENT_EDITABLE = (
    "continuum_stage", "case_management_model", "presenting_issue", "eligibility_note",
    "prior_discharge_on", "prior_discharge_from",
)  # fmt: skip
# An enrollment's own record, after its links (client, program, case manager, team): what the
# API shows and the scale seed writes, in that order.
ENROLLMENT_RECORD_FIELDS = (
    "status", "application_date", *ENROLLMENT_EDITABLE, "closed_on", "close_reason",
    "close_note", "created_at", "updated_at",
)  # fmt: skip
# A discharge from detox or inpatient treatment longer ago than this before the application is
# not the transition the continuity-of-care report measures (outcomes.selectors).
PRIOR_DISCHARGE_MAX_DAYS_BEFORE_APPLICATION = 365
CONTACT_EDITABLE = (
    "occurred_at", "contact_type", "duration_minutes", "travel_minutes", "participants",
    "location", "note",
)  # fmt: skip


def _assign(instance: Model, fields: dict[str, Any], *, editable: Collection[str]) -> None:
    """Set ``fields`` on ``instance``; only ``editable`` ones, so that an update cannot move
    a record to another client or team or skip the transfer and close rules."""
    unknown = set(fields).difference(editable)
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)} here.")
    for name, value in fields.items():
        setattr(instance, name, value)


# --- Clients ----------------------------------------------------------------------------------


def _validate_date_of_birth(date_of_birth: dt.date, field: str = "date_of_birth") -> None:
    if date_of_birth > today():
        raise ValidationError({field: "Date of birth cannot be in the future."})
    if date_of_birth.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError({field: f"Date of birth cannot be before {EARLIEST_BIRTH_YEAR}."})


def _validate_record_number(record_number: str, *, exclude_pk: int | None = None) -> None:
    if record_number.upper().startswith(GENERATED_RECORD_PREFIX):
        raise ValidationError(
            {
                "record_number": f"Numbers starting {GENERATED_RECORD_PREFIX} are generated; "
                "leave the field blank to get one."
            }
        )
    clash = Client.objects.filter(record_number__iexact=record_number)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"record_number": "Another client already has this record number."})


def _next_record_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('clients_record_number_seq')")
        (number,) = cursor.fetchone()
    return f"{GENERATED_RECORD_PREFIX}{number:06d}"


@transaction.atomic
def client_register(*, actor: User, record_number: str = "", **fields: Any) -> Client:
    """Register a client in the actor's team. The record number is generated unless an
    existing (for example legacy) number is given; either way it is unique."""
    require_clinical_writer(actor)
    if actor.team_id is None:
        raise PermissionDenied("Only staff who belong to a team register clients.")
    _validate_date_of_birth(fields["date_of_birth"])
    record_number = record_number.strip()
    if record_number:
        _validate_record_number(record_number)
    else:
        record_number = _next_record_number()
    client = Client(
        record_number=record_number,
        registered_team_id=actor.team_id,
        created_by=actor,
        **fields,
    )
    client.full_clean()
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:  # a concurrent registration took the same number
        raise ValidationError(
            {"record_number": "Another client already has this record number."}
        ) from exc
    return client


@transaction.atomic
def client_update(*, actor: User, client: Client, **fields: Any) -> Client:
    require_clinical_writer(actor)
    if not Client.objects.writable_by(actor).filter(pk=client.pk).exists():
        raise PermissionDenied("This client is not on your caseload.")
    if "date_of_birth" in fields:
        _validate_date_of_birth(fields["date_of_birth"])
    if fields.get("record_number", client.record_number) != client.record_number:
        _validate_record_number(fields["record_number"], exclude_pk=client.pk)
    _assign(client, fields, editable=CLIENT_EDITABLE)
    client.full_clean()
    client.save(update_fields=[*fields, "updated_at"])
    return client


# --- Family -----------------------------------------------------------------------------------


def _check_family_fields(fields: dict[str, Any]) -> None:
    if fields.get("date_of_birth"):
        _validate_date_of_birth(fields["date_of_birth"])


@transaction.atomic
def family_member_add(*, actor: User, client: Client, **fields: Any) -> FamilyMember:
    require_clinical_writer(actor)
    if not Client.objects.writable_by(actor).filter(pk=client.pk).exists():
        raise PermissionDenied("This client is not on your caseload.")
    _check_family_fields(fields)
    member = FamilyMember(client=client, **fields)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def family_member_update(*, actor: User, member: FamilyMember, **fields: Any) -> FamilyMember:
    require_clinical_writer(actor)
    if not FamilyMember.objects.writable_by(actor).filter(pk=member.pk).exists():
        raise PermissionDenied("This client is not on your caseload.")
    _check_family_fields(fields)
    _assign(member, fields, editable=FAMILY_MEMBER_EDITABLE)
    member.full_clean()
    member.save(update_fields=[*fields, "updated_at"])
    return member


# --- Enrollments ------------------------------------------------------------------------------


def _check_assignable(*, actor: User, case_manager: User) -> int:
    """Case managers take enrollments onto their own caseload; supervisors assign any case
    manager of a team they supervise. Returns the team the enrollment will belong to."""
    if not case_manager.is_case_manager or not case_manager.is_active:
        raise ValidationError({"case_manager": "Choose an active case manager."})
    if case_manager.team_id is None:
        raise ValidationError({"case_manager": "This case manager belongs to no team."})
    if actor.is_case_manager and case_manager.pk != actor.pk:
        raise ValidationError(
            {"case_manager": "Case managers open enrollments on their own caseload only."}
        )
    if actor.is_supervisor and case_manager.team_id not in team_ids_writable_by(actor):
        raise ValidationError({"case_manager": "Choose a case manager of a team you supervise."})
    return case_manager.team_id


def _check_prior_discharge(
    *, prior_discharge_on: dt.date | None, prior_discharge_from: str, application_date: dt.date
) -> None:
    """A discharge from detox or inpatient treatment is its date and where from, or nothing;
    not in the future, nor more than a year before the application (the continuity of care
    it starts is from that service into this one: TIP 27)."""
    if prior_discharge_on is not None and not prior_discharge_from:
        raise ValidationError(
            {"prior_discharge_from": "Say where the client was discharged from, or clear the date."}
        )
    if prior_discharge_on is None and prior_discharge_from:
        raise ValidationError(
            {"prior_discharge_on": "Give the discharge date, or clear where from."}
        )
    if prior_discharge_on is None:
        return
    if prior_discharge_on > today():
        raise ValidationError({"prior_discharge_on": "The discharge date cannot be in the future."})
    earliest = application_date - dt.timedelta(days=PRIOR_DISCHARGE_MAX_DAYS_BEFORE_APPLICATION)
    if prior_discharge_on < earliest:
        raise ValidationError(
            {
                "prior_discharge_on": "The discharge date cannot be more than "
                f"{PRIOR_DISCHARGE_MAX_DAYS_BEFORE_APPLICATION} days before the application date."
            }
        )


@transaction.atomic
def enrollment_open(
    *,
    actor: User,
    client: Client,
    program: Program,
    case_manager: User,
    application_date: dt.date,
    continuum_stage: str,
    case_management_model: str,
    presenting_issue: str,
    eligibility_note: str = "",
    prior_discharge_on: dt.date | None = None,
    prior_discharge_from: str = "",
) -> Enrollment:
    """Open an episode of care. The application date starts the clock for the comprehensive
    assessment (Idaho standard 7: within 30 days of application); a discharge from detox or
    inpatient treatment just before it, the clock for continuity of care."""
    require_clinical_writer(actor)
    # In the teams' scope itself: a client read under an emergency grant is read-only.
    if not Client.objects.in_scope_of(actor).filter(pk=client.pk).exists():
        raise PermissionDenied("This client is not in your teams.")
    team_id = _check_assignable(actor=actor, case_manager=case_manager)
    if not program.is_active:
        raise ValidationError({"program": "This program no longer takes enrollments."})
    if application_date > today():
        raise ValidationError({"application_date": "The application date cannot be in the future."})
    if application_date < client.date_of_birth:
        raise ValidationError(
            {"application_date": "The application date cannot be before the client's birth."}
        )
    _check_prior_discharge(
        prior_discharge_on=prior_discharge_on,
        prior_discharge_from=prior_discharge_from,
        application_date=application_date,
    )
    if Enrollment.objects.open().filter(client=client, program=program).exists():
        raise ValidationError(
            {"program": "The client already has an open enrollment in this program."}
        )
    enrollment = Enrollment(
        client=client,
        program=program,
        case_manager=case_manager,
        team_id=team_id,
        application_date=application_date,
        continuum_stage=continuum_stage,
        case_management_model=case_management_model,
        presenting_issue=presenting_issue,
        eligibility_note=eligibility_note,
        prior_discharge_on=prior_discharge_on,
        prior_discharge_from=prior_discharge_from,
    )
    enrollment.full_clean()
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError as exc:  # a concurrent request opened the same episode first
        raise ValidationError(
            {"program": "The client already has an open enrollment in this program."}
        ) from exc
    publish(EnrollmentChanged(enrollment_id=enrollment.pk))
    return enrollment


def _writable_open_enrollment(*, actor: User, enrollment: Enrollment) -> Enrollment:
    require_clinical_writer(actor)
    locked = (
        Enrollment.objects.writable_by(actor).select_for_update().filter(pk=enrollment.pk).first()
    )
    if locked is None:
        raise PermissionDenied("This enrollment is not on your caseload.")
    if not locked.is_open:
        raise ValidationError("This enrollment is closed.")
    return locked


@transaction.atomic
def enrollment_update(*, actor: User, enrollment: Enrollment, **fields: Any) -> Enrollment:
    """Change the stage, model, presenting issue, eligibility note or prior discharge of an
    open enrollment."""
    enrollment = _writable_open_enrollment(actor=actor, enrollment=enrollment)
    _assign(enrollment, fields, editable=ENROLLMENT_EDITABLE)
    _check_prior_discharge(
        prior_discharge_on=enrollment.prior_discharge_on,
        prior_discharge_from=enrollment.prior_discharge_from,
        application_date=enrollment.application_date,
    )
    enrollment.full_clean()
    enrollment.save(update_fields=[*fields, "updated_at"])
    publish(EnrollmentChanged(enrollment_id=enrollment.pk))
    return enrollment


@transaction.atomic
def enrollment_transfer(*, actor: User, enrollment: Enrollment, case_manager: User) -> Enrollment:
    """Assign an open enrollment to another case manager; the change stays in history.

    A case manager may hand their own enrollment to a colleague of their team; a supervisor
    may assign any case manager of the teams they supervise.
    """
    enrollment = _writable_open_enrollment(actor=actor, enrollment=enrollment)
    if case_manager.pk == enrollment.case_manager_id:
        raise ValidationError({"case_manager": "The enrollment is already assigned to them."})
    if not case_manager.is_case_manager or not case_manager.is_active:
        raise ValidationError({"case_manager": "Choose an active case manager."})
    allowed_teams = (
        team_ids_writable_by(actor) if actor.is_supervisor else frozenset({actor.team_id})
    )
    if case_manager.team_id is None or case_manager.team_id not in allowed_teams:
        raise ValidationError({"case_manager": "Choose a case manager of your team(s)."})
    enrollment.case_manager = case_manager
    enrollment.team_id = case_manager.team_id
    enrollment.save(update_fields=["case_manager", "team", "updated_at"])
    publish(EnrollmentChanged(enrollment_id=enrollment.pk))
    return enrollment


@transaction.atomic
def enrollment_close(
    *,
    actor: User,
    enrollment: Enrollment,
    closed_on: dt.date,
    close_reason: str,
    close_note: str = "",
) -> Enrollment:
    enrollment = _writable_open_enrollment(actor=actor, enrollment=enrollment)
    if closed_on is None:
        raise ValidationError({"closed_on": "Give the closing date."})
    if closed_on > today():
        raise ValidationError({"closed_on": "The closing date cannot be in the future."})
    if closed_on < enrollment.application_date:
        raise ValidationError(
            {"closed_on": "The closing date cannot be before the application date."}
        )
    if close_reason not in Enrollment.CloseReason.values:
        raise ValidationError({"close_reason": "Choose a reason for closing."})
    enrollment.status = Enrollment.Status.CLOSED
    enrollment.closed_on = closed_on
    enrollment.close_reason = close_reason
    enrollment.close_note = close_note
    enrollment.full_clean()
    enrollment.save(
        update_fields=["status", "closed_on", "close_reason", "close_note", "updated_at"]
    )
    publish(EnrollmentChanged(enrollment_id=enrollment.pk))
    return enrollment


# --- Contacts ---------------------------------------------------------------------------------


def _validate_contact(
    *,
    enrollment: Enrollment,
    occurred_at: dt.datetime,
    contact_type: str,
    duration_minutes: int,
    travel_minutes: int,
    note: str,
) -> None:
    errors: dict[str, str] = {}
    if occurred_at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = "A contact cannot be recorded in the future."
    elif timezone.localdate(occurred_at) < enrollment.application_date - dt.timedelta(days=365):
        errors["occurred_at"] = "This date is more than a year before the application date."
    if duration_minutes < 0:
        errors["duration_minutes"] = "Minutes cannot be negative."
    elif duration_minutes > contact_rules.MAX_MINUTES:
        errors["duration_minutes"] = "A contact cannot last more than 24 hours."
    if travel_minutes < 0:
        errors["travel_minutes"] = "Minutes cannot be negative."
    elif duration_minutes + travel_minutes > contact_rules.MAX_MINUTES:
        errors["travel_minutes"] = "Contact and travel time together cannot exceed 24 hours."
    if contact_rules.note_required(contact_type=contact_type) and not note.strip():
        kind = dict(Contact.Type.choices).get(contact_type, "this contact")
        errors["note"] = f"A note is required for {str(kind).lower()}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_record(
    *,
    actor: User,
    enrollment: Enrollment,
    occurred_at: dt.datetime,
    contact_type: str,
    duration_minutes: int,
    travel_minutes: int = 0,
    participants: str = "",
    location: str = "",
    note: str = "",
) -> Contact:
    """Record a contact in the staff log of an open enrollment on the actor's caseload.

    The contact alone: the service-plan goals a contact served are the service plan's
    (serviceplans.services.contact_record_with_goals records the contact through this
    service and links its goals in the same transaction; the web form and the API use it).
    """
    require_clinical_writer(actor)
    # Locked so that a closing committed meanwhile cannot leave a contact on a closed episode.
    locked = (
        Enrollment.objects.writable_by(actor).select_for_update().filter(pk=enrollment.pk).first()
    )
    if locked is None:
        raise ValidationError({"enrollment": "This client is not on your caseload."})
    if not locked.is_open:
        raise ValidationError(
            {"enrollment": "This enrollment is closed; contacts cannot be added."}
        )
    _validate_contact(
        enrollment=locked,
        occurred_at=occurred_at,
        contact_type=contact_type,
        duration_minutes=duration_minutes,
        travel_minutes=travel_minutes,
        note=note,
    )
    contact = Contact(
        enrollment=locked,
        client_id=locked.client_id,
        author=actor,
        occurred_at=occurred_at,
        contact_type=contact_type,
        duration_minutes=duration_minutes,
        travel_minutes=travel_minutes,
        participants=participants,
        location=location,
        note=note,
    )
    contact.full_clean()
    contact.save()
    publish(EnrollmentChanged(enrollment_id=contact.enrollment_id))
    return contact


def contact_can_correct(*, actor: User, contact: Contact) -> bool:
    return contact.author_id == actor.pk and contact_rules.correction_window_open(
        recorded_at=contact.created_at, now=timezone.now()
    )


@transaction.atomic
def contact_correct(*, actor: User, contact: Contact, **fields: Any) -> Contact:
    """The author corrects their own contact within 24 hours of recording it; after that the
    original stands and only an addendum can be added."""
    require_clinical_writer(actor)
    writable = Contact.objects.writable_by(actor).select_for_update(of=("self",))
    locked = writable.select_related("enrollment").filter(pk=contact.pk).first()
    if locked is None:
        raise PermissionDenied("This contact is not on your caseload.")
    if locked.author_id != actor.pk:
        raise PermissionDenied("Only the author can correct a contact.")
    if not contact_can_correct(actor=actor, contact=locked):
        raise ValidationError(
            "Contacts can be corrected for 24 hours after they are recorded; add an addendum."
        )
    merged = {
        name: fields.get(name, getattr(locked, name))
        for name in ("occurred_at", "contact_type", "duration_minutes", "travel_minutes", "note")
    }
    _validate_contact(enrollment=locked.enrollment, **merged)
    _assign(locked, fields, editable=CONTACT_EDITABLE)
    locked.full_clean()
    locked.save(update_fields=[*fields, "updated_at"])
    publish(EnrollmentChanged(enrollment_id=locked.enrollment_id))
    return locked


@transaction.atomic
def contact_add_addendum(*, actor: User, contact: Contact, note: str) -> ContactAddendum:
    """A dated addition to a contact, by anyone who may write to its enrollment."""
    require_clinical_writer(actor)
    if not Contact.objects.writable_by(actor).filter(pk=contact.pk).exists():
        raise PermissionDenied("This contact is not on your caseload.")
    if not note.strip():
        raise ValidationError({"note": "An addendum needs some text."})
    addendum = ContactAddendum(contact=contact, author=actor, note=note)
    addendum.full_clean()
    addendum.save()
    return addendum


# --- Access log -------------------------------------------------------------------------------


def access_log_record(
    *,
    user: User,
    client_id: int | None,
    action: str,
    path: str,
    ip_address: str | None,
    row_count: int | None = None,
    outcome: str = AccessLog.Outcome.READ,
    record_ids: list[int] | None = None,
    client_ids: list[int] | None = None,
) -> AccessLog:
    """One row of the access log (HIPAA 45 CFR 164.312(b), audit controls): a read, an
    export, or a denial with its ``outcome`` (refused or not found); an API read names the
    records it returned and their clients."""
    return AccessLog.objects.create(
        user=user,
        client_id=client_id,
        action=action,
        outcome=outcome,
        path=path[:500],
        ip_address=ip_address,
        row_count=row_count,
        record_ids=record_ids,
        client_ids=client_ids,
    )


@transaction.atomic
def encrypted_numbers_rotate() -> int:
    """Re-encrypt every client's Social Security and Medicaid numbers under the first of
    ``FIELD_ENCRYPTION_KEYS`` and recompute their lookup hashes under ``FIELD_LOOKUP_KEY``
    (clients.encryption: a new key is put first, this runs, then the old key is dropped).
    Returns how many clients it rewrote; each change is in the client's history."""
    rewritten = 0
    holding = Client.objects.exclude(ssn="", medicaid_number="").only(*ENCRYPTED_NUMBERS)
    for client in holding.iterator():
        client.save(update_fields=list(ENCRYPTED_NUMBERS))
        rewritten += 1
    return rewritten
