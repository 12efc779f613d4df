"""Emergency access ("break the glass"): a case manager or supervisor who must read a client
outside their teams now (a crisis at night, a colleague's client in hospital) states why and
gets that one record, read-only, for EMERGENCY_ACCESS_HOURS.

HIPAA 45 CFR 164.312(a)(2)(ii) asks for an emergency access procedure; 164.312(b) for audit
controls, and 164.308(a)(1)(ii)(D) for a review of information system activity. So each grant
is a row of its own (clients.models.EmergencyAccess, append-only and sealed by the audit
chain), a row of the access log (action "emergency"), and a notice to the supervisors of the
client's teams at once: in the app (the grant is listed on their dashboard and the emergency
access page) and by an email that names no client (what kind of access, when, and a link:
email is not a place for protected health information, 45 CFR 164.312(e)).

What opens the record is ``Client.objects.visible_to`` (and Enrollment's and Referral's), which
read the grants in force; ``writable_by`` never does. A grant ends by itself at its
``expires_at`` (compared with the time of each query), or at once when its holder leaves
(:func:`emergency_access_end_all`, called by clients.departures.staff_depart).

Finding the client without showing them (:func:`exact_match`): the directory counts the
matches outside the viewer's teams only for a search that names one person: a whole record
number, a whole Social Security or Medicaid number, or a first and last name exactly as
registered, optionally followed by the date of birth. A name alone or a fuzzy search would
let anyone learn who is a client of the agency by trying names. The count is all that shows;
the request form takes the same search with the reason, and only when it matches exactly one
client outside the viewer's teams does the grant open that client. Two namesakes are told to
narrow the search with the date of birth or the record number, never which one is which.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.selectors import team_ids_readable_by
from clients.encryption import lookup_hash
from clients.models import (
    EMERGENCY_ACCESS_DURATION,
    EMERGENCY_REASON_MIN_LENGTH,
    AccessLog,
    Client,
    EmergencyAccess,
    EmergencyAccessEnd,
    Enrollment,
)
from clients.selectors import parse_birth_date
from clients.services import access_log_record

logger = logging.getLogger(__name__)

# A name search must give a first and a last name at least.
NAME_MIN_WORDS = 2


def may_request_emergency_access(user: User) -> bool:
    """Case managers and supervisors, whose scope is their teams; administrators and QA
    reviewers read every client already."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_case_manager or user.is_supervisor)
        and team_ids_readable_by(user) is not None
    )


def _has_letters(word: str) -> bool:
    return any(character.isalpha() for character in word)


def exact_match(search: str) -> Q | None:
    """The condition for the clients a search names exactly, or None when the search is not
    exact enough to count matches outside the viewer's teams (see the module's docstring): a
    whole record number, Social Security or Medicaid number, or "first last" as registered
    (``Client.search_name``), optionally followed by a date of birth."""
    words = search.split()
    if not words:
        return None
    term = " ".join(words).lower()
    hashed = lookup_hash(term)
    match = Q(record_number__iexact=term)
    if hashed:
        match |= Q(ssn_lookup=hashed) | Q(medicaid_number_lookup=hashed)
    born = parse_birth_date(words[-1]) if len(words) > NAME_MIN_WORDS else None
    name_words = words[:-1] if born is not None else words
    # A name is words with letters in them: "208 555 0101" is a phone number, not a name.
    if len(name_words) >= NAME_MIN_WORDS and all(_has_letters(word) for word in name_words):
        name = " ".join(name_words).lower()
        # Equality served by the client_name_trgm index (pg_trgm's GIN answers "=").
        by_name = Q(search_name=name)
        if born is not None:
            by_name &= Q(date_of_birth=born)
        match |= by_name
    return match


def clients_outside_scope_matching(*, viewer: User, search: str) -> QuerySet[Client]:
    """The clients ``search`` names exactly (:func:`exact_match`) that ``viewer`` may not read:
    counted by the directory, opened by a grant when there is exactly one. Empty for a search
    that is not exact enough or a viewer who cannot request emergency access."""
    match = exact_match(search) if may_request_emergency_access(viewer) else None
    if match is None:
        return Client.objects.none()
    return (
        Client.objects.filter(match)
        .filter(~Q(pk__in=Client.objects.visible_to(viewer).values("pk")))
        .order_by("pk")
    )


def _client_team_ids(client: Client) -> list[int]:
    """The teams whose supervisors are told: those of the client's open enrollments, else of
    any enrollment (a former client), else the team that registered them."""
    rows = list(Enrollment.objects.filter(client=client).values_list("team_id", "status"))
    open_teams = {team_id for team_id, status in rows if status == Enrollment.Status.OPEN}
    teams = open_teams or {team_id for team_id, _ in rows} or {client.registered_team_id}
    return sorted(teams)


def _input_errors(*, category: str, reason: str) -> dict[str, str]:
    errors = {}
    if category not in EmergencyAccess.Category.values:
        errors["category"] = "Choose the kind of emergency."
    if len(reason) < EMERGENCY_REASON_MIN_LENGTH:
        errors["reason"] = (
            f"Say why you need this record now, in {EMERGENCY_REASON_MIN_LENGTH} characters "
            "or more."
        )
    return errors


@transaction.atomic
def emergency_access_grant(
    *,
    user: User,
    client: Client,
    category: str,
    reason: str,
    path: str = "",
    ip_address: str | None = None,
) -> EmergencyAccess:
    """Open ``client`` to ``user`` read-only for EMERGENCY_ACCESS_HOURS, with the reason
    given (a category and a text of EMERGENCY_REASON_MIN_LENGTH characters or more), log it in
    the access log as an emergency access, and tell the supervisors of the client's teams at
    once (HIPAA 45 CFR 164.312(a)(2)(ii) and (b); see the module's docstring).

    Only for a case manager or supervisor, and only for a client outside their teams; one
    grant in force per person and client (the user's row is locked so that two requests at
    once make one grant). Bad input raises ``ValidationError`` with field errors and saves
    nothing. The email goes once the grant commits; a mail server that fails does not undo
    the grant (the notice in the app is there either way) and the failure is logged.
    """
    if not may_request_emergency_access(user):
        raise PermissionDenied("Only case managers and supervisors request emergency access.")
    reason = reason.strip()
    errors = _input_errors(category=category, reason=reason)
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=user.pk).first()
    if Client.objects.in_scope_of(user).filter(pk=client.pk).exists():
        raise ValidationError("This client is in your teams: open their record as usual.")
    held = EmergencyAccess.objects.in_force().filter(user=user, client=client).first()
    if held is not None:
        until = timezone.localtime(held.expires_at)
        raise ValidationError(f"You have emergency access to this client until {until:%H:%M}.")
    now = timezone.now()
    grant = EmergencyAccess(
        user=user,
        client=client,
        category=category,
        reason=reason,
        granted_at=now,
        expires_at=now + EMERGENCY_ACCESS_DURATION,
        client_team_ids=_client_team_ids(client),
    )
    grant.full_clean()
    grant.save()
    access_log_record(
        user=user,
        client_id=client.pk,
        action=AccessLog.Action.EMERGENCY,
        path=path or reverse("workspace:client", args=[client.pk]),
        ip_address=ip_address,
    )
    transaction.on_commit(partial(emergency_access_notify, grant_id=grant.pk), robust=True)
    return grant


def _supervisors_to_tell(grant: EmergencyAccess) -> list[User]:
    """The active supervisors of the client's teams (with an email address); the active
    administrators when those teams have none, so that a grant is never reviewed by nobody."""
    people = User.objects.filter(is_active=True).exclude(email="").exclude(pk=grant.user_id)
    supervisors = list(
        people.filter(role=Role.SUPERVISOR, supervised_teams__in=grant.client_team_ids)
        .distinct()
        .order_by("pk")
    )
    return supervisors or list(people.filter(role=Role.ADMINISTRATOR).order_by("pk"))


def emergency_access_notify(*, grant_id: int) -> int:
    """Email the supervisors of the grant's client teams (:func:`_supervisors_to_tell`) that
    emergency access was used: who (their role, not the client), when, the kind of emergency
    and a link to the emergency access page. No client's name, record number or the reason's
    text (which may name them) is in the email. Returns how many were sent."""
    grant = EmergencyAccess.objects.select_related("user").get(pk=grant_id)
    recipients = _supervisors_to_tell(grant)
    if not recipients:
        logger.error("emergency access %s: no supervisor or administrator to tell", grant_id)
        return 0
    body = render_to_string(
        "clients/emergency_access_email.txt",
        {
            "role": grant.user.get_role_display().lower(),
            "granted_at": timezone.localtime(grant.granted_at),
            "category": grant.get_category_display(),
            "review_url": settings.SITE_URL.rstrip("/") + reverse("clients:emergency_accesses"),
        },
    )
    connection = get_connection()
    return (
        connection.send_messages(
            [
                EmailMessage(
                    subject="Casework: emergency access to a client record of your team",
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[person.email],
                    connection=connection,
                )
                for person in recipients
            ]
        )
        or 0
    )


def emergency_access_end_all(*, user: User, actor: User) -> int:
    """End every grant of ``user`` in force now (their departure: HIPAA 45 CFR
    164.308(a)(3)(ii)(C), access ends when employment does), one EmergencyAccessEnd row each.
    Returns how many ended."""
    now = timezone.now()
    in_force = list(EmergencyAccess.objects.in_force(at=now).filter(user=user))
    EmergencyAccessEnd.objects.bulk_create(
        [
            EmergencyAccessEnd(
                grant=grant, ended_at=now, ended_by=actor, cause=EmergencyAccessEnd.Cause.DEPARTURE
            )
            for grant in in_force
        ]
    )
    return len(in_force)
