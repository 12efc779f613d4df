"""A member of staff leaving the agency (issue 13, "Leaving staff"): at once, their account is
deactivated, their sessions end, their API tokens and calendar feed are revoked, their
emergency grants in force end (clients.emergency), and their open caseload moves to a
successor, so that no client is left with a case manager who cannot sign in.

HIPAA 45 CFR 164.308(a)(3)(ii)(C), termination procedures: access ends when employment does.
The calendar feed is revoked by scheduling, which reacts to the account's deactivation
(scheduling.receivers); an inactive account's session is also refused by Django's
authentication on its next request, and the feed checks ``is_active`` on fetch.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.sessions import sessions_end, tokens_revoke_all
from casemgmt.roles import is_active_administrator
from clients.emergency import emergency_access_end_all
from clients.models import Enrollment


def open_caseload_of(user: User) -> int:
    """How many open enrollments ``user`` is the case manager of."""
    return Enrollment.objects.filter(case_manager=user, status=Enrollment.Status.OPEN).count()


def _check_successor(user: User, successor: User) -> None:
    if successor.pk == user.pk:
        raise ValidationError({"successor": "Choose someone other than the person leaving."})
    if not (successor.is_active and successor.is_case_manager and successor.team_id):
        raise ValidationError({"successor": "Choose an active case manager with a team."})


@transaction.atomic
def staff_depart(*, actor: User, user: User, successor: User | None = None) -> int:
    """Deactivate ``user``, end their sessions, API tokens and emergency grants, and move their
    open enrollments to ``successor`` (with the successor's team, as a transfer does; each
    change stays in the enrollment's history). Returns how many enrollments moved.
    Administrators only; a successor is required when there is a caseload to move."""
    if not is_active_administrator(actor):
        raise PermissionDenied("Only an administrator can deactivate an account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if not user.is_active:
        raise ValidationError("This account is already inactive.")
    caseload = Enrollment.objects.filter(case_manager=user, status=Enrollment.Status.OPEN)
    moved = 0
    if successor is not None:
        _check_successor(user, successor)
        moved = caseload.update(
            case_manager=successor, team_id=successor.team_id, updated_at=timezone.now()
        )
    elif caseload.exists():
        raise ValidationError(
            {"successor": "Choose who takes over the open caseload before deactivating."}
        )
    user.is_active = False
    user.save(update_fields=["is_active"])  # scheduling revokes the calendar feed on this save
    sessions_end(user)
    tokens_revoke_all(user)
    emergency_access_end_all(user=user, actor=actor)
    return moved
