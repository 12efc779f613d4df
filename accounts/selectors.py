"""Reads about staff: whose teams a user may see, who can hold a caseload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from accounts.models import Role, Team, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


_READABLE_TEAMS_CACHE = "_readable_team_ids"


def team_ids_readable_by(user: User | AnonymousUser) -> frozenset[int] | None:
    """The ids of the teams whose clients ``user`` may read; ``None`` means every team.

    Case managers read their own team; supervisors the teams they supervise (and their own);
    administrators and QA reviewers the whole agency (DESIGN.md, "Who uses it"). Cached on
    the user object so that one request asks at most once.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.sees_whole_agency:
        return None
    cached: frozenset[int] | None = getattr(user, _READABLE_TEAMS_CACHE, None)
    if cached is not None:
        return cached
    ids: set[int] = set()
    if user.team_id:
        ids.add(user.team_id)
    if user.is_supervisor:
        # .all(), so that a list of users read with prefetch_related("supervised_teams") (the
        # digest) asks nothing more.
        ids.update(team.pk for team in user.supervised_teams.all())
    readable = frozenset(ids)
    setattr(user, _READABLE_TEAMS_CACHE, readable)
    return readable


def team_ids_writable_by(user: User | AnonymousUser) -> frozenset[int]:
    """Teams whose clinical records ``user`` may change as a supervisor (none for others)."""
    if not user.is_authenticated or not user.is_active or not user.is_supervisor:
        return frozenset()
    return team_ids_readable_by(user) or frozenset()


def teams_visible_to(user: User) -> QuerySet[Team]:
    ids = team_ids_readable_by(user)
    teams = Team.objects.select_related("region")
    return teams if ids is None else teams.filter(id__in=ids)


def case_managers_of_teams(*, team_ids: frozenset[int] | None) -> QuerySet[User]:
    """Active case managers (who hold caseloads) in the given teams, or all when ``None``."""
    staff = User.objects.filter(role=Role.CASE_MANAGER, is_active=True).select_related("team")
    return staff if team_ids is None else staff.filter(team_id__in=team_ids)


@dataclass(frozen=True)
class WorklistChoice:
    """Whose work a list page shows: one case manager's, or one team's."""

    teams: list[Team]
    case_managers: list[User]
    team_id: int | None
    case_manager_id: int | None


def worklist_choice(
    *, viewer: User, team_id: int | None, case_manager_id: int | None
) -> WorklistChoice:
    """The caseload and the referral list show a case manager their own work; supervisors
    switch between the case managers of their teams (or a whole team); administrators and QA
    reviewers pick any team. Raises ``LookupError`` for a case manager outside the viewer's
    teams (the views answer 404).
    """
    teams = list(teams_visible_to(viewer))
    if viewer.is_case_manager:
        return WorklistChoice(
            teams=teams, case_managers=[], team_id=None, case_manager_id=viewer.pk
        )
    team_ids = frozenset(t.pk for t in teams)
    staff = {u.pk: u for u in case_managers_of_teams(team_ids=team_ids)}
    if case_manager_id is not None and case_manager_id not in staff:
        raise LookupError("No such case manager in your teams.")
    if team_id not in team_ids:
        if case_manager_id is not None:
            team_id = staff[case_manager_id].team_id
        else:
            team_id = teams[0].pk if teams else None
    # A team chosen after a case manager wins: the case manager must be of that team.
    if case_manager_id is not None and staff[case_manager_id].team_id != team_id:
        case_manager_id = None
    return WorklistChoice(
        teams=teams,
        case_managers=[u for u in staff.values() if u.team_id == team_id],
        team_id=team_id,
        case_manager_id=case_manager_id,
    )
