"""accounts.selectors: whose teams a user may read and write, who holds a caseload."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from pytest_django import DjangoAssertNumQueries

from accounts.models import Team, User
from accounts.selectors import (
    case_managers_of_teams,
    team_ids_readable_by,
    team_ids_writable_by,
    teams_visible_to,
    worklist_choice,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["alice", "bob", "sam"])
def test_it_lets_members_of_a_team_read_that_team(
    who: str, team: Team, other_team: Team, request: pytest.FixtureRequest
) -> None:
    assert team_ids_readable_by(request.getfixturevalue(who)) == {team.pk}


def test_it_lets_a_case_manager_of_another_team_read_only_that_team(
    charlie: User, team: Team, other_team: Team
) -> None:
    assert team_ids_readable_by(charlie) == {other_team.pk}


def test_it_lets_a_supervisor_read_every_team_they_supervise(team: Team, other_team: Team) -> None:
    supervisor = factories.SupervisorFactory(team=team, supervises=[team, other_team])
    assert team_ids_readable_by(supervisor) == {team.pk, other_team.pk}


def test_it_lets_a_supervisor_read_their_own_team_too(team: Team, other_team: Team) -> None:
    supervisor = factories.SupervisorFactory(team=team, supervises=[other_team])
    assert team_ids_readable_by(supervisor) == {team.pk, other_team.pk}


@pytest.mark.parametrize("who", ["ada", "quinn"])
def test_it_lets_administrators_and_qa_reviewers_read_every_team(
    who: str, team: Team, request: pytest.FixtureRequest
) -> None:
    assert team_ids_readable_by(request.getfixturevalue(who)) is None


@pytest.mark.parametrize("who", ["alice", "sam", "ada", "quinn"])
def test_it_lets_an_inactive_user_read_no_team(
    who: str, team: Team, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    user.is_active = False
    assert team_ids_readable_by(user) == frozenset()


def test_it_lets_an_anonymous_user_read_no_team() -> None:
    assert team_ids_readable_by(AnonymousUser()) == frozenset()


def test_it_asks_the_database_once_per_user_object(
    sam: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        team_ids_readable_by(sam)
        team_ids_readable_by(sam)


def test_it_lets_a_supervisor_write_their_teams(sam: User, team: Team) -> None:
    assert team_ids_writable_by(sam) == {team.pk}


@pytest.mark.parametrize("who", ["alice", "ada", "quinn"])
def test_it_gives_no_team_wide_write_to_anyone_but_supervisors(
    who: str, team: Team, request: pytest.FixtureRequest
) -> None:
    assert team_ids_writable_by(request.getfixturevalue(who)) == frozenset()


def test_it_gives_an_inactive_supervisor_no_write(sam: User) -> None:
    sam.is_active = False
    assert team_ids_writable_by(sam) == frozenset()


def test_it_lists_the_teams_visible_to_a_case_manager(
    alice: User, team: Team, other_team: Team
) -> None:
    assert list(teams_visible_to(alice)) == [team]


def test_it_lists_every_team_to_an_administrator(ada: User, team: Team, other_team: Team) -> None:
    assert set(teams_visible_to(ada)) == {team, other_team}


def test_it_lists_the_active_case_managers_of_the_given_teams(
    alice: User, bob: User, sam: User, charlie: User, team: Team
) -> None:
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert list(case_managers_of_teams(team_ids=frozenset({team.pk}))) == [alice]


def test_it_lists_every_active_case_manager_for_no_team_filter(
    alice: User, bob: User, sam: User, charlie: User
) -> None:
    assert set(case_managers_of_teams(team_ids=None)) == {alice, bob, charlie}


def test_it_refuses_a_worklist_of_another_teams_case_manager(sam, charlie) -> None:
    with pytest.raises(LookupError):
        worklist_choice(viewer=sam, team_id=None, case_manager_id=charlie.pk)


def test_it_gives_a_case_manager_only_their_own_worklist(alice, bob) -> None:
    choice = worklist_choice(viewer=alice, team_id=None, case_manager_id=bob.pk)
    assert (choice.case_manager_id, choice.team_id) == (alice.pk, None)
