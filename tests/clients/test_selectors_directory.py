"""clients.selectors.client_directory and recent_clients: the client directory's reads."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients import services
from clients.models import AccessLog, Client, Enrollment
from clients.selectors import (
    DirectoryStatus,
    client_directory,
    directory_status,
    parse_birth_date,
    phone_search_digits,
    recent_clients,
)
from tests import factories

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


def _ids(clients) -> list[int]:
    return [c.pk for c in clients]


def _close(enrollment: Enrollment, closed_on: dt.date) -> Enrollment:
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.CLOSED, closed_on=closed_on, close_reason="goals_met"
    )
    enrollment.refresh_from_db()
    return enrollment


def _former(alice, *, closed_on: dt.date = dt.date(2026, 1, 5)) -> Client:
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2025, 1, 1)
    )
    return _close(enrollment, closed_on).client


def _never_enrolled(user, **fields) -> Client:
    return factories.ClientFactory(created_by=user, **fields)


# --- Scope ------------------------------------------------------------------------------------


def test_it_lists_a_teammates_client_to_a_case_manager(alice, bob):
    bobs = factories.EnrollmentFactory(case_manager=bob).client
    assert _ids(client_directory(viewer=alice)) == [bobs.pk]


def test_it_never_lists_a_client_of_another_team(alice, other_enrollment):
    assert _ids(client_directory(viewer=alice)) == []


def test_it_never_finds_a_client_of_another_team_by_record_number(alice, other_enrollment):
    search = other_enrollment.client.record_number
    assert _ids(client_directory(viewer=alice, search=search)) == []


def test_it_lists_every_client_to_an_administrator(ada, enrollment, other_enrollment):
    assert set(_ids(client_directory(viewer=ada))) == {
        enrollment.client_id,
        other_enrollment.client_id,
    }


def test_it_lists_both_teams_to_a_supervisor_of_both(enrollment, other_enrollment, other_team):
    supervisor = factories.SupervisorFactory(team=enrollment.team)
    supervisor.supervised_teams.add(other_team)
    assert set(_ids(client_directory(viewer=supervisor))) == {
        enrollment.client_id,
        other_enrollment.client_id,
    }


def test_it_lists_what_visible_to_lists(alice, bob, enrollment, other_enrollment):
    _former(bob)
    _never_enrolled(bob)
    _never_enrolled(factories.CaseManagerFactory())
    assert set(_ids(client_directory(viewer=alice))) == set(
        Client.objects.visible_to(alice).values_list("pk", flat=True)
    )


# --- Former clients and clients never enrolled ------------------------------------------------


def test_it_lists_a_former_client(alice):
    former = _former(alice)
    assert _ids(client_directory(viewer=alice)) == [former.pk]


def test_it_lists_a_client_never_enrolled(alice):
    walk_in = _never_enrolled(alice)
    assert _ids(client_directory(viewer=alice)) == [walk_in.pk]


# --- Statuses ---------------------------------------------------------------------------------


def test_it_says_an_open_client_is_open_in_each_program_with_whom(alice, bob, enrollment):
    program = factories.ProgramFactory(name="Zeta program")
    factories.EnrollmentFactory(client=enrollment.client, case_manager=bob, program=program)
    (row,) = client_directory(viewer=alice)
    assert directory_status(row) == DirectoryStatus.OPEN
    assert row.open_enrollment_rows == [
        {"program": enrollment.program.name, "case_manager": alice.get_full_name()},
        {"program": "Zeta program", "case_manager": bob.get_full_name()},
    ]


def test_it_says_when_a_former_client_was_last_closed(alice):
    former = _former(alice, closed_on=dt.date(2026, 1, 5))
    earlier = factories.EnrollmentFactory(
        client=former, case_manager=alice, application_date=dt.date(2024, 1, 1)
    )
    _close(earlier, dt.date(2024, 6, 1))
    (row,) = client_directory(viewer=alice)
    assert directory_status(row) == DirectoryStatus.CLOSED
    assert row.last_closed_on == dt.date(2026, 1, 5)


def test_it_says_a_client_never_enrolled_has_no_enrollment(alice):
    _never_enrolled(alice)
    (row,) = client_directory(viewer=alice)
    assert directory_status(row) == DirectoryStatus.NONE


def test_it_shows_no_enrollment_of_another_team_in_the_status(alice, charlie, enrollment):
    factories.EnrollmentFactory(client=enrollment.client, case_manager=charlie)
    (row,) = client_directory(viewer=alice)
    assert [r["case_manager"] for r in row.open_enrollment_rows] == [alice.get_full_name()]


# --- Search -----------------------------------------------------------------------------------


def test_it_finds_a_near_match_by_name(alice):
    john = _never_enrolled(alice, first_name="John", last_name="Smith")
    _never_enrolled(alice, first_name="Maria", last_name="Lopez")
    assert _ids(client_directory(viewer=alice, search="Jon Smyth")) == [john.pk]


def test_it_finds_a_client_by_a_word_of_the_name(alice):
    john = _never_enrolled(alice, first_name="John", last_name="Smithfield")
    _never_enrolled(alice, first_name="Maria", last_name="Lopez")
    assert _ids(client_directory(viewer=alice, search="smithf")) == [john.pk]


def test_it_ranks_the_best_name_match_first(alice):
    near = _never_enrolled(alice, first_name="Jon", last_name="Smithers")
    exact = _never_enrolled(alice, first_name="John", last_name="Smith")
    assert _ids(client_directory(viewer=alice, search="John Smith"))[0] == exact.pk
    assert near.pk in _ids(client_directory(viewer=alice, search="John Smith"))


def test_it_finds_a_client_by_record_number_in_any_case(alice):
    client = _never_enrolled(alice, record_number="AB-0042")
    _never_enrolled(alice)
    assert _ids(client_directory(viewer=alice, search="ab-0042")) == [client.pk]


def test_it_finds_a_client_by_an_iso_birth_date(alice):
    born = _never_enrolled(alice, date_of_birth=dt.date(1980, 3, 7))
    _never_enrolled(alice, date_of_birth=dt.date(1980, 7, 3))
    assert _ids(client_directory(viewer=alice, search="1980-03-07")) == [born.pk]


def test_it_finds_a_client_by_a_us_birth_date(alice):
    born = _never_enrolled(alice, date_of_birth=dt.date(1980, 3, 7))
    _never_enrolled(alice, date_of_birth=dt.date(1980, 7, 3))
    assert _ids(client_directory(viewer=alice, search="03/07/1980")) == [born.pk]


def test_it_finds_a_client_by_phone_whatever_the_punctuation(alice):
    client = _never_enrolled(alice, phone="(208) 555-0142")
    _never_enrolled(alice, phone="(208) 555-0143")
    assert _ids(client_directory(viewer=alice, search="208.555.0142")) == [client.pk]


def test_it_finds_a_client_by_phone_without_the_area_code(alice):
    client = _never_enrolled(alice, phone="+1 (208) 555-0142")
    assert _ids(client_directory(viewer=alice, search="555-0142")) == [client.pk]


def test_it_finds_no_one_by_a_few_digits_of_a_phone(alice):
    _never_enrolled(alice, phone="(208) 555-0142")
    assert _ids(client_directory(viewer=alice, search="0142")) == []


def test_it_reads_the_usual_birth_date_formats():
    assert parse_birth_date("1980-03-07") == dt.date(1980, 3, 7)
    assert parse_birth_date("3/7/1980") == dt.date(1980, 3, 7)
    assert parse_birth_date("03-07-1980") == dt.date(1980, 3, 7)
    assert parse_birth_date("John") is None


def test_it_reads_a_phone_number_as_its_digits():
    assert phone_search_digits("(208) 555-0142") == "2085550142"
    assert phone_search_digits("D-0031") is None
    assert phone_search_digits("0142") is None


# --- Filters ----------------------------------------------------------------------------------


def test_it_filters_by_program(alice, enrollment):
    factories.EnrollmentFactory(case_manager=alice)
    found = client_directory(viewer=alice, program_id=enrollment.program_id)
    assert _ids(found) == [enrollment.client_id]


def test_it_filters_by_open_status(alice, enrollment):
    _former(alice)
    _never_enrolled(alice)
    assert _ids(client_directory(viewer=alice, status=DirectoryStatus.OPEN)) == [
        enrollment.client_id
    ]


def test_it_filters_former_clients(alice, enrollment):
    former = _former(alice)
    _never_enrolled(alice)
    assert _ids(client_directory(viewer=alice, status=DirectoryStatus.CLOSED)) == [former.pk]


def test_it_counts_a_client_with_an_open_enrollment_as_no_former_client(alice, enrollment):
    earlier = factories.EnrollmentFactory(
        client=enrollment.client, case_manager=alice, application_date=dt.date(2024, 1, 1)
    )
    _close(earlier, dt.date(2024, 6, 1))
    assert _ids(client_directory(viewer=alice, status=DirectoryStatus.CLOSED)) == []


def test_it_filters_clients_never_enrolled(alice, enrollment):
    _former(alice)
    walk_in = _never_enrolled(alice)
    assert _ids(client_directory(viewer=alice, status=DirectoryStatus.NONE)) == [walk_in.pk]


def test_it_filters_by_team(ada, enrollment, other_enrollment, team):
    walk_in = _never_enrolled(enrollment.case_manager)
    found = client_directory(viewer=ada, team_id=team.pk)
    assert set(_ids(found)) == {enrollment.client_id, walk_in.pk}


def test_it_filters_by_case_manager(sam, alice, bob, enrollment):
    factories.EnrollmentFactory(case_manager=bob)
    found = client_directory(viewer=sam, case_manager_id=alice.pk)
    assert _ids(found) == [enrollment.client_id]


def test_it_applies_program_and_status_to_the_same_enrollment(alice, enrollment):
    other_program = factories.ProgramFactory()
    earlier = factories.EnrollmentFactory(
        client=enrollment.client,
        case_manager=alice,
        program=other_program,
        application_date=dt.date(2024, 1, 1),
    )
    _close(earlier, dt.date(2024, 6, 1))
    found = client_directory(
        viewer=alice, program_id=enrollment.program_id, status=DirectoryStatus.CLOSED
    )
    assert _ids(found) == []


def test_it_refuses_an_unknown_status(alice):
    with pytest.raises(ValueError):
        client_directory(viewer=alice, status="lost")


def test_it_reads_a_page_with_its_statuses_in_one_query(alice, bob):
    for _ in range(3):
        factories.EnrollmentFactory(case_manager=alice)
        _former(bob)
        _never_enrolled(alice)
    with CaptureQueriesContext(connection) as queries:
        rows = list(client_directory(viewer=alice)[:50])
        [directory_status(row) for row in rows]
    assert len(queries.captured_queries) == 1


# --- Recent clients ---------------------------------------------------------------------------


def _viewed(user, client: Client, at: dt.datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.access_log_record(
            user=user,
            client_id=client.pk,
            action=AccessLog.Action.VIEWED,
            path=f"/clients/{client.pk}/",
            ip_address=None,
        )


def test_it_lists_recent_clients_newest_first(alice):
    first, second = _never_enrolled(alice), _never_enrolled(alice)
    _viewed(alice, first, FROZEN)
    _viewed(alice, second, FROZEN + dt.timedelta(minutes=1))
    assert _ids(recent_clients(viewer=alice)) == [second.pk, first.pk]


def test_it_lists_a_recent_client_once_at_its_latest_view(alice):
    first, second = _never_enrolled(alice), _never_enrolled(alice)
    _viewed(alice, first, FROZEN)
    _viewed(alice, second, FROZEN + dt.timedelta(minutes=1))
    _viewed(alice, first, FROZEN + dt.timedelta(minutes=2))
    recent = recent_clients(viewer=alice)
    assert _ids(recent) == [first.pk, second.pk]
    assert recent[0].last_viewed_at == FROZEN + dt.timedelta(minutes=2)


def test_it_lists_ten_recent_clients(alice):
    clients = [_never_enrolled(alice) for _ in range(12)]
    for minute, client in enumerate(clients):
        _viewed(alice, client, FROZEN + dt.timedelta(minutes=minute))
    assert _ids(recent_clients(viewer=alice)) == [c.pk for c in reversed(clients)][:10]


def test_it_lists_only_the_viewers_own_recent_clients(alice, bob):
    _viewed(bob, _never_enrolled(alice), FROZEN)
    assert recent_clients(viewer=alice) == []


def test_it_leaves_out_a_recent_client_no_longer_visible(alice, charlie, enrollment):
    _viewed(alice, enrollment.client, FROZEN)
    Enrollment.objects.filter(pk=enrollment.pk).update(team=charlie.team, case_manager=charlie)
    assert recent_clients(viewer=alice) == []


def test_it_leaves_out_refused_attempts_from_recent_clients(alice, bob):
    teammates = _never_enrolled(bob)
    services.access_log_record(
        user=alice,
        client_id=teammates.pk,
        action=AccessLog.Action.DENIED,
        outcome=AccessLog.Outcome.REFUSED,
        path=f"/clients/{teammates.pk}/edit/",
        ip_address=None,
    )
    assert recent_clients(viewer=alice) == []


def test_it_reads_recent_clients_in_one_query(alice):
    for minute in range(5):
        _viewed(alice, _never_enrolled(alice), FROZEN + dt.timedelta(minutes=minute))
    with CaptureQueriesContext(connection) as queries:
        recent_clients(viewer=alice)
    assert len(queries.captured_queries) == 1
