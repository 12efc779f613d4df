"""Who may do what, by role: each check written once.

The roles are those of DESIGN.md ("Who uses it"). Case managers and supervisors write clinical
records; administrators read everything and write configuration and decisions (variances,
regional plans, the provider directory), never clinical notes; QA reviewers read everything and
write review findings only. A deactivated account may do nothing. Services call the
``require_*`` checks (they raise ``PermissionDenied``); views, templates' context and the API's
permission classes ask the predicates, so that a button is shown exactly when the service would
accept its action.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import User
from accounts.selectors import team_ids_writable_by


def is_clinical_writer(user: User) -> bool:
    """Case managers and supervisors write clinical records (contacts, assessments, plans,
    referrals, supervision notes); administrators and QA reviewers read them."""
    return user.is_active and (user.is_case_manager or user.is_supervisor)


def is_active_administrator(user: User) -> bool:
    """Division administration: approves variances and regional plans, keeps the directory."""
    return user.is_active and user.is_administrator


def supervises_team(user: User, team_id: int | None) -> bool:
    """A supervisor of the team gives its case-specific supervision (CFP bulletin 18B-08):
    writes its supervision notes and runs its case conferences."""
    return team_id is not None and team_id in team_ids_writable_by(user)


def require_clinical_writer(actor: User, *, to: str = "write clinical records") -> None:
    if not is_clinical_writer(actor):
        raise PermissionDenied(f"Only case managers and supervisors {to}.")


def require_administrator(actor: User, *, to: str) -> None:
    if not is_active_administrator(actor):
        raise PermissionDenied(f"Only division administration {to}.")
