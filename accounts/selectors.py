"""Reads about staff: whose teams a user may see, who can hold a caseload."""

from __future__ import annotations

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
        ids.update(user.supervised_teams.values_list("id", flat=True))
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
