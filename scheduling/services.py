"""Every change to planned visits and calendar feeds goes through one of these.

Each service is atomic, takes keyword arguments, checks that the actor may make the change,
validates (raising ``ValidationError`` with field errors) and saves nothing when it refuses.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casemgmt.dates import today
from casemgmt.roles import require_clinical_writer
from clients import contact_rules
from clients.models import Contact, Enrollment
from clients.services import CLOCK_SKEW, contact_record
from scheduling.models import CalendarFeed, Place, PlannedVisit, feed_token_hash
from serviceplans.services import contact_record_with_goals

# What plan and edit may set, in the order the form shows them. The enrollment, the case
# manager and the status change only through their own services.
VISIT_EDITABLE = (
    "scheduled_start", "expected_minutes", "place", "location", "contact_type", "with_whom",
    "purpose",
)  # fmt: skip
# An attempt is what a missed visit records; nobody plans one.
PLANNABLE_TYPES = tuple(
    (value, label) for value, label in Contact.Type.choices if value != contact_rules.ATTEMPTED
)


def _validate_visit(fields: dict[str, Any]) -> None:
    """A visit is planned for today or later: what already happened is recorded as a contact,
    not planned (a time earlier today is allowed, for the visit planned on arrival)."""
    errors: dict[str, str] = {}
    start = fields["scheduled_start"]
    if timezone.localdate(start) < today():
        errors["scheduled_start"] = (
            "A visit cannot be planned in the past; record the contact instead."
        )
    minutes = fields["expected_minutes"]
    if not 0 < minutes <= contact_rules.MAX_MINUTES:
        errors["expected_minutes"] = "Between 1 minute and 24 hours."
    if fields["contact_type"] not in dict(PLANNABLE_TYPES):
        errors["contact_type"] = "Choose the kind of contact planned."
    if fields["place"] not in Place.values:
        errors["place"] = "Choose where the visit takes place."
    if errors:
        raise ValidationError(errors)


def _writable_open_enrollment(*, actor: User, enrollment: Enrollment) -> Enrollment:
    locked = (
        Enrollment.objects.writable_by(actor).select_for_update().filter(pk=enrollment.pk).first()
    )
    if locked is None:
        raise ValidationError({"enrollment": "This client is not on your caseload."})
    if not locked.is_open:
        raise ValidationError({"enrollment": "This enrollment is closed."})
    return locked


def _locked_planned_visit(*, actor: User, visit: PlannedVisit) -> PlannedVisit:
    """The visit, locked, if the actor may change it and it is still planned: a visit is
    recorded, missed or cancelled once (two tabs, or a double click, cannot do it twice)."""
    require_clinical_writer(actor, to="change planned visits")
    locked = (
        PlannedVisit.objects.writable_by(actor)
        .select_for_update(of=("self",))
        .select_related("enrollment")
        .filter(pk=visit.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied("This visit is not on your caseload.")
    if not locked.is_planned:
        raise ValidationError(f"This visit is already {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def visit_plan(*, actor: User, enrollment: Enrollment, **fields: Any) -> PlannedVisit:
    """Plan a contact with a client on the actor's caseload (a supervisor: of their team). The
    visit goes on the schedule of the enrollment's case manager."""
    require_clinical_writer(actor, to="plan visits")
    unknown = set(fields).difference(VISIT_EDITABLE)
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} here.")
    values = {"expected_minutes": 60, "place": Place.HOME, "location": "", "with_whom": "",
              "purpose": "", **fields}  # fmt: skip
    locked = _writable_open_enrollment(actor=actor, enrollment=enrollment)
    _validate_visit(values)
    visit = PlannedVisit(enrollment=locked, case_manager_id=locked.case_manager_id, **values)
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_update(*, actor: User, visit: PlannedVisit, **fields: Any) -> PlannedVisit:
    """Reschedule or change a planned visit; only while it is planned."""
    unknown = set(fields).difference(VISIT_EDITABLE)
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)} here.")
    locked = _locked_planned_visit(actor=actor, visit=visit)
    merged = {name: fields.get(name, getattr(locked, name)) for name in VISIT_EDITABLE}
    _validate_visit(merged)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=[*fields, "updated_at"])
    return locked


@transaction.atomic
def visit_cancel(*, actor: User, visit: PlannedVisit) -> PlannedVisit:
    """Cancel a planned visit: it stays in the record (and in history), never deleted."""
    locked = _locked_planned_visit(actor=actor, visit=visit)
    locked.status = PlannedVisit.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def visit_mark_missed(*, actor: User, visit: PlannedVisit, note: str = "") -> PlannedVisit:
    """The client was not reached: record an attempted contact (Idaho standard 10, the staff
    log records attempts too) at the visit's time, and mark the visit missed, together."""
    locked = _locked_planned_visit(actor=actor, visit=visit)
    if locked.scheduled_start > timezone.now() + CLOCK_SKEW:
        raise ValidationError("A visit can be marked missed once its time has come.")
    contact = contact_record(
        actor=actor,
        enrollment=locked.enrollment,
        occurred_at=locked.scheduled_start,
        contact_type=contact_rules.ATTEMPTED,
        duration_minutes=0,
        participants=locked.with_whom,
        location=locked.contact_location,
        note=note,
    )
    locked.status = PlannedVisit.Status.MISSED
    locked.contact = contact
    locked.save(update_fields=["status", "contact", "updated_at"])
    return locked


@transaction.atomic
def visit_link_contact(*, actor: User, visit: PlannedVisit, contact: Contact) -> PlannedVisit:
    """The contact recorded from a visit (the contact modal opened with ``?visit=``) closes
    it; called in the transaction that saves the contact, so both stand or neither."""
    locked = _locked_planned_visit(actor=actor, visit=visit)
    if contact.enrollment_id != locked.enrollment_id:
        raise ValidationError({"enrollment": "This contact is for another enrollment."})
    locked.status = PlannedVisit.Status.RECORDED
    locked.contact = contact
    locked.save(update_fields=["status", "contact", "updated_at"])
    return locked


@transaction.atomic
def visit_record_contact(*, actor: User, visit: PlannedVisit, **contact: Any) -> Contact:
    """Record the contact a planned visit became (the contact modal opened from the visit:
    serviceplans.services.contact_record_with_goals' keyword arguments) and mark the visit
    recorded, in one transaction: both stand or neither (issue 11, "a planned visit becomes a
    recorded contact in one step")."""
    recorded = contact_record_with_goals(actor=actor, **contact)
    try:
        visit_link_contact(actor=actor, visit=visit, contact=recorded)
    except PermissionDenied as refused:
        raise ValidationError(str(refused)) from refused
    return recorded


# --- Calendar feed ----------------------------------------------------------------------------


@transaction.atomic
def feed_enable(*, user: User) -> str:
    """Turn on (or rotate) the user's calendar feed and return its new secret token, which is
    not stored: only its SHA-256 is, so the old address stops working at once."""
    if not user.is_active:
        raise PermissionDenied("This account is deactivated.")
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_sha256": feed_token_hash(token),
            "revoked_at": None,
            "created_at": timezone.now(),
        },
    )
    return token


@transaction.atomic
def feed_revoke(*, user: User) -> int:
    """Revoke the user's feed (from the settings page, or when the account is deactivated)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
