"""visible_to / writable_by: the one way into clients, families, enrollments and contacts.

North Team: alice and bob (case managers), sam (their supervisor). South Team: charlie.
ada (administrator) and quinn (QA reviewer) see the whole agency.
"""

from __future__ import annotations

import pytest
from django.db import models

from accounts.models import Team, User
from clients.models import Client, Contact, Enrollment, FamilyMember
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob_enrollment(bob: User) -> Enrollment:
    return factories.EnrollmentFactory(case_manager=bob)


@pytest.fixture
def unenrolled_client(alice: User) -> Client:
    """Registered by alice at intake; no enrollment opened yet."""
    return factories.ClientFactory(created_by=alice)


def visible(model: type[models.Model], user: User) -> set[int]:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))  # type: ignore[attr-defined]


def writable(model: type[models.Model], user: User) -> set[int]:
    return set(model.objects.writable_by(user).values_list("pk", flat=True))  # type: ignore[attr-defined]


# --- Client -----------------------------------------------------------------------------------


def test_it_shows_a_case_manager_every_client_of_her_team(
    alice: User, enrollment: Enrollment, bob_enrollment: Enrollment
) -> None:
    assert visible(Client, alice) == {enrollment.client_id, bob_enrollment.client_id}


def test_it_hides_another_teams_clients_from_a_case_manager(
    alice: User, enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    assert visible(Client, alice) == {enrollment.client_id}


def test_it_lets_a_case_manager_write_only_to_her_caseload(
    alice: User, enrollment: Enrollment, bob_enrollment: Enrollment
) -> None:
    assert writable(Client, alice) == {enrollment.client_id}


def test_it_lets_a_colleague_read_but_not_write_a_client(bob: User, enrollment: Enrollment) -> None:
    assert enrollment.client_id in visible(Client, bob)
    assert enrollment.client_id not in writable(Client, bob)


def test_it_hides_a_client_from_another_team(charlie: User, enrollment: Enrollment) -> None:
    assert enrollment.client_id not in visible(Client, charlie)
    assert enrollment.client_id not in writable(Client, charlie)


def test_it_lets_a_supervisor_read_and_write_the_teams_clients(
    sam: User, enrollment: Enrollment, bob_enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    team_clients = {enrollment.client_id, bob_enrollment.client_id}
    assert visible(Client, sam) == team_clients
    assert writable(Client, sam) == team_clients


def test_it_lets_a_supervisor_of_two_teams_see_both(
    team: Team, other_team: Team, enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    both = factories.SupervisorFactory(username="pat", team=team, supervises=[team, other_team])
    everyone = {enrollment.client_id, other_enrollment.client_id}
    assert visible(Client, both) == everyone
    assert writable(Client, both) == everyone


@pytest.mark.parametrize("who", ["ada", "quinn"])
def test_it_lets_administrators_and_qa_reviewers_read_every_client(
    who: str, enrollment: Enrollment, other_enrollment: Enrollment, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    assert visible(Client, actor) == {enrollment.client_id, other_enrollment.client_id}


@pytest.mark.parametrize("who", ["ada", "quinn"])
def test_it_lets_administrators_and_qa_reviewers_write_no_client(
    who: str, enrollment: Enrollment, other_enrollment: Enrollment, request: pytest.FixtureRequest
) -> None:
    assert writable(Client, request.getfixturevalue(who)) == set()


@pytest.mark.parametrize("who", ["alice", "sam", "ada"])
def test_it_shows_an_inactive_user_no_client(
    who: str, enrollment: Enrollment, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    actor.is_active = False
    actor.save(update_fields=["is_active"])
    assert visible(Client, actor) == set()
    assert writable(Client, actor) == set()


def test_it_shows_an_unenrolled_client_to_the_registering_team(
    bob: User, sam: User, charlie: User, unenrolled_client: Client
) -> None:
    assert unenrolled_client.pk in visible(Client, bob)
    assert unenrolled_client.pk in visible(Client, sam)
    assert unenrolled_client.pk not in visible(Client, charlie)


def test_it_lets_the_registering_case_manager_write_an_unenrolled_client(
    alice: User, bob: User, sam: User, unenrolled_client: Client
) -> None:
    assert unenrolled_client.pk in writable(Client, alice)
    assert unenrolled_client.pk in writable(Client, sam)
    assert unenrolled_client.pk not in writable(Client, bob)


def test_it_shows_a_client_enrolled_in_another_team_to_that_team(
    charlie: User, unenrolled_client: Client
) -> None:
    factories.EnrollmentFactory(client=unenrolled_client, case_manager=charlie)
    assert unenrolled_client.pk in visible(Client, charlie)
    assert unenrolled_client.pk in writable(Client, charlie)


# --- FamilyMember -----------------------------------------------------------------------------


@pytest.fixture
def alice_family(client_record: Client) -> FamilyMember:
    return factories.FamilyMemberFactory(client=client_record)


@pytest.fixture
def bob_family(bob_enrollment: Enrollment) -> FamilyMember:
    return factories.FamilyMemberFactory(client=bob_enrollment.client)


@pytest.fixture
def charlie_family(other_enrollment: Enrollment) -> FamilyMember:
    return factories.FamilyMemberFactory(client=other_enrollment.client)


@pytest.fixture
def families(
    alice_family: FamilyMember, bob_family: FamilyMember, charlie_family: FamilyMember
) -> dict[str, int]:
    return {"alice": alice_family.pk, "bob": bob_family.pk, "charlie": charlie_family.pk}


@pytest.mark.parametrize(
    ("who", "sees", "writes"),
    [
        ("alice", {"alice", "bob"}, {"alice"}),
        ("bob", {"alice", "bob"}, {"bob"}),
        ("sam", {"alice", "bob"}, {"alice", "bob"}),
        ("charlie", {"charlie"}, {"charlie"}),
        ("ada", {"alice", "bob", "charlie"}, set()),
        ("quinn", {"alice", "bob", "charlie"}, set()),
    ],
)
def test_it_scopes_family_members_by_role(
    who: str,
    sees: set[str],
    writes: set[str],
    families: dict[str, int],
    request: pytest.FixtureRequest,
) -> None:
    actor = request.getfixturevalue(who)
    assert visible(FamilyMember, actor) == {families[owner] for owner in sees}
    assert writable(FamilyMember, actor) == {families[owner] for owner in writes}


def test_it_shows_an_inactive_user_no_family_member(alice: User, families: dict[str, int]) -> None:
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert visible(FamilyMember, alice) == set()


# --- Enrollment -------------------------------------------------------------------------------


@pytest.fixture
def enrollments(
    enrollment: Enrollment, bob_enrollment: Enrollment, other_enrollment: Enrollment
) -> dict[str, int]:
    return {"alice": enrollment.pk, "bob": bob_enrollment.pk, "charlie": other_enrollment.pk}


@pytest.mark.parametrize(
    ("who", "sees", "writes"),
    [
        ("alice", {"alice", "bob"}, {"alice"}),
        ("bob", {"alice", "bob"}, {"bob"}),
        ("sam", {"alice", "bob"}, {"alice", "bob"}),
        ("charlie", {"charlie"}, {"charlie"}),
        ("ada", {"alice", "bob", "charlie"}, set()),
        ("quinn", {"alice", "bob", "charlie"}, set()),
    ],
)
def test_it_scopes_enrollments_by_role(
    who: str,
    sees: set[str],
    writes: set[str],
    enrollments: dict[str, int],
    request: pytest.FixtureRequest,
) -> None:
    actor = request.getfixturevalue(who)
    assert visible(Enrollment, actor) == {enrollments[owner] for owner in sees}
    assert writable(Enrollment, actor) == {enrollments[owner] for owner in writes}


def test_it_lets_a_supervisor_of_two_teams_write_both_teams_enrollments(
    team: Team, other_team: Team, enrollments: dict[str, int]
) -> None:
    both = factories.SupervisorFactory(username="pat", team=team, supervises=[team, other_team])
    assert writable(Enrollment, both) == set(enrollments.values())


def test_it_shows_an_inactive_user_no_enrollment(alice: User, enrollments: dict[str, int]) -> None:
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert visible(Enrollment, alice) == set()
    assert writable(Enrollment, alice) == set()


# --- Contact ----------------------------------------------------------------------------------


@pytest.fixture
def contacts(
    enrollment: Enrollment, bob_enrollment: Enrollment, other_enrollment: Enrollment
) -> dict[str, int]:
    return {
        "alice": factories.ContactFactory(enrollment=enrollment).pk,
        "bob": factories.ContactFactory(enrollment=bob_enrollment).pk,
        "charlie": factories.ContactFactory(enrollment=other_enrollment).pk,
    }


@pytest.mark.parametrize(
    ("who", "sees", "writes"),
    [
        ("alice", {"alice", "bob"}, {"alice"}),
        ("bob", {"alice", "bob"}, {"bob"}),
        ("sam", {"alice", "bob"}, {"alice", "bob"}),
        ("charlie", {"charlie"}, {"charlie"}),
        ("ada", {"alice", "bob", "charlie"}, set()),
        ("quinn", {"alice", "bob", "charlie"}, set()),
    ],
)
def test_it_scopes_contacts_by_role(
    who: str,
    sees: set[str],
    writes: set[str],
    contacts: dict[str, int],
    request: pytest.FixtureRequest,
) -> None:
    actor = request.getfixturevalue(who)
    assert visible(Contact, actor) == {contacts[owner] for owner in sees}
    assert writable(Contact, actor) == {contacts[owner] for owner in writes}


def test_it_shows_an_inactive_user_no_contact(alice: User, contacts: dict[str, int]) -> None:
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert visible(Contact, alice) == set()
    assert writable(Contact, alice) == set()
