"""client_register, client_update, family_member_add and family_member_update."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from time_machine import TimeMachineFixture

from accounts.models import User
from clients import services
from clients.models import Client, FamilyMember
from tests import factories

pytestmark = pytest.mark.django_db

BOISE = ZoneInfo("America/Boise")
TODAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=BOISE), tick=False)


def register(actor: User, **fields: object) -> Client:
    values: dict[str, object] = {
        "first_name": "Maria",
        "last_name": "Lopez",
        "date_of_birth": dt.date(2011, 4, 2),
    }
    values.update(fields)
    return services.client_register(actor=actor, **values)


# --- client_register --------------------------------------------------------------------------


def test_it_registers_a_client_in_the_actors_team(alice: User) -> None:
    client = register(alice)
    assert client.registered_team_id == alice.team_id
    assert client.created_by == alice


def test_it_generates_record_numbers_starting_cw(alice: User) -> None:
    client = register(alice)
    assert client.record_number.startswith("CW-")


def test_it_generates_unique_record_numbers(alice: User) -> None:
    numbers = {register(alice, first_name=f"Client{n}").record_number for n in range(5)}
    assert len(numbers) == 5


def test_it_keeps_a_given_legacy_record_number(alice: User) -> None:
    client = register(alice, record_number="LEG-00042")
    client.refresh_from_db()
    assert client.record_number == "LEG-00042"


def test_it_refuses_a_duplicate_legacy_record_number(alice: User) -> None:
    register(alice, record_number="LEG-00042")
    with pytest.raises(ValidationError) as excinfo:
        register(alice, first_name="Other", record_number="LEG-00042")
    assert "record_number" in excinfo.value.message_dict


def test_it_saves_nothing_when_the_record_number_is_taken(alice: User) -> None:
    register(alice, record_number="LEG-00042")
    with pytest.raises(ValidationError):
        register(alice, first_name="Other", record_number="LEG-00042")
    assert Client.objects.filter(first_name="Other").count() == 0
    assert Client.objects.count() == 1


def test_it_refuses_a_duplicate_legacy_record_number_in_another_case(alice: User) -> None:
    register(alice, record_number="LEG-00042")
    with pytest.raises(ValidationError) as excinfo:
        register(alice, first_name="Other", record_number="leg-00042")
    assert "record_number" in excinfo.value.message_dict


def test_it_refuses_a_given_number_in_the_generated_series(alice: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        register(alice, record_number="CW-000001")
    assert "record_number" in excinfo.value.message_dict
    assert Client.objects.count() == 0


def test_it_accepts_a_date_of_birth_of_today(alice: User) -> None:
    client = register(alice, date_of_birth=TODAY)
    assert client.date_of_birth == TODAY


def test_it_refuses_a_date_of_birth_of_tomorrow(alice: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        register(alice, date_of_birth=TODAY + dt.timedelta(days=1))
    assert "date_of_birth" in excinfo.value.message_dict
    assert Client.objects.count() == 0


def test_it_lets_a_supervisor_register(sam: User) -> None:
    client = register(sam)
    assert client.registered_team_id == sam.team_id


@pytest.mark.parametrize("who", ["ada", "quinn"])
def test_it_does_not_let_administrators_or_qa_reviewers_register(
    who: str, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        register(actor)
    assert Client.objects.count() == 0


# --- client_update ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "sam"])
def test_it_lets_a_writer_update_a_client(
    who: str, client_record: Client, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    services.client_update(actor=actor, client=client_record, preferred_name="Mia")
    client_record.refresh_from_db()
    assert client_record.preferred_name == "Mia"


@pytest.mark.parametrize("who", ["bob", "charlie", "ada", "quinn"])
def test_it_does_not_let_others_update_a_client(
    who: str, client_record: Client, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.client_update(actor=actor, client=client_record, preferred_name="Mia")
    client_record.refresh_from_db()
    assert client_record.preferred_name == ""


def test_it_refuses_a_future_date_of_birth_on_update(alice: User, client_record: Client) -> None:
    born = client_record.date_of_birth
    with pytest.raises(ValidationError) as excinfo:
        services.client_update(
            actor=alice, client=client_record, date_of_birth=TODAY + dt.timedelta(days=1)
        )
    assert "date_of_birth" in excinfo.value.message_dict
    client_record.refresh_from_db()
    assert client_record.date_of_birth == born


def test_it_refuses_another_clients_record_number_on_update(
    alice: User, client_record: Client
) -> None:
    other = factories.ClientFactory(record_number="LEG-7")
    with pytest.raises(ValidationError) as excinfo:
        services.client_update(actor=alice, client=client_record, record_number=other.record_number)
    assert "record_number" in excinfo.value.message_dict


# --- family members ---------------------------------------------------------------------------


def add_parent(actor: User, client: Client) -> FamilyMember:
    return services.family_member_add(
        actor=actor,
        client=client,
        first_name="Rosa",
        last_name="Lopez",
        relationship=FamilyMember.Relationship.PARENT,
        is_guardian=True,
    )


@pytest.mark.parametrize("who", ["alice", "sam"])
def test_it_lets_a_writer_add_a_family_member(
    who: str, client_record: Client, request: pytest.FixtureRequest
) -> None:
    add_parent(request.getfixturevalue(who), client_record)
    assert client_record.family_members.count() == 1


@pytest.mark.parametrize("who", ["bob", "charlie", "ada", "quinn"])
def test_it_does_not_let_others_add_a_family_member(
    who: str, client_record: Client, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        add_parent(actor, client_record)
    assert client_record.family_members.count() == 0


def test_it_refuses_a_family_member_born_tomorrow(alice: User, client_record: Client) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.family_member_add(
            actor=alice,
            client=client_record,
            first_name="Baby",
            last_name="Lopez",
            relationship=FamilyMember.Relationship.SIBLING,
            date_of_birth=TODAY + dt.timedelta(days=1),
        )
    assert "date_of_birth" in excinfo.value.message_dict
    assert client_record.family_members.count() == 0


@pytest.mark.parametrize("who", ["alice", "sam"])
def test_it_lets_a_writer_update_a_family_member(
    who: str, alice: User, client_record: Client, request: pytest.FixtureRequest
) -> None:
    member = add_parent(alice, client_record)
    services.family_member_update(
        actor=request.getfixturevalue(who), member=member, takes_part_in_planning=True
    )
    member.refresh_from_db()
    assert member.takes_part_in_planning


@pytest.mark.parametrize("who", ["bob", "charlie", "ada", "quinn"])
def test_it_does_not_let_others_update_a_family_member(
    who: str, alice: User, client_record: Client, request: pytest.FixtureRequest
) -> None:
    member = add_parent(alice, client_record)
    with pytest.raises(PermissionDenied):
        services.family_member_update(
            actor=request.getfixturevalue(who), member=member, takes_part_in_planning=True
        )
    member.refresh_from_db()
    assert not member.takes_part_in_planning
