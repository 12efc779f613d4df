"""enrollment_open, enrollment_transfer and enrollment_close."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from time_machine import TimeMachineFixture

from accounts.models import Team, User
from clients import services
from clients.models import Client, Contact, Enrollment, Program
from tests import factories
from tests.clients.test_history import events_of

pytestmark = pytest.mark.django_db

BOISE = ZoneInfo("America/Boise")
TODAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=BOISE), tick=False)


@pytest.fixture
def new_client(alice: User) -> Client:
    """Registered by alice, not yet enrolled."""
    return factories.ClientFactory(created_by=alice)


@pytest.fixture
def program() -> Program:
    return factories.ProgramFactory(name="Children's mental health (SED)", code="sed")


def open_enrollment(
    actor: User,
    client: Client,
    program: Program,
    *,
    case_manager: User | None = None,
    application_date: dt.date = TODAY - dt.timedelta(days=3),
) -> Enrollment:
    return services.enrollment_open(
        actor=actor,
        client=client,
        program=program,
        case_manager=case_manager or actor,
        application_date=application_date,
        continuum_stage=Enrollment.ContinuumStage.CASE_FINDING,
        case_management_model=Enrollment.Model.STRENGTHS_BASED,
        presenting_issue="Refuses to attend school; panic attacks.",
    )


# --- enrollment_open --------------------------------------------------------------------------


def test_it_opens_an_enrollment_on_the_case_managers_caseload(
    alice: User, new_client: Client, program: Program
) -> None:
    enrollment = open_enrollment(alice, new_client, program)
    assert enrollment.is_open
    assert enrollment.case_manager == alice
    assert enrollment.team_id == alice.team_id


def test_it_accepts_an_application_date_of_today(
    alice: User, new_client: Client, program: Program
) -> None:
    enrollment = open_enrollment(alice, new_client, program, application_date=TODAY)
    assert enrollment.application_date == TODAY


def test_it_refuses_an_application_date_in_the_future(
    alice: User, new_client: Client, program: Program
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        open_enrollment(alice, new_client, program, application_date=TODAY + dt.timedelta(days=1))
    assert "application_date" in excinfo.value.message_dict
    assert not new_client.enrollments.exists()


def test_it_does_not_let_a_case_manager_assign_someone_else(
    alice: User, bob: User, new_client: Client, program: Program
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        open_enrollment(alice, new_client, program, case_manager=bob)
    assert "case_manager" in excinfo.value.message_dict
    assert not new_client.enrollments.exists()


def test_it_lets_a_supervisor_assign_a_case_manager_of_their_team(
    sam: User, bob: User, new_client: Client, program: Program
) -> None:
    enrollment = open_enrollment(sam, new_client, program, case_manager=bob)
    assert enrollment.case_manager == bob
    assert enrollment.team_id == bob.team_id


def test_it_does_not_let_a_supervisor_assign_a_case_manager_of_another_team(
    sam: User, charlie: User, new_client: Client, program: Program
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        open_enrollment(sam, new_client, program, case_manager=charlie)
    assert "case_manager" in excinfo.value.message_dict
    assert not new_client.enrollments.exists()


def test_it_refuses_a_second_open_enrollment_in_the_same_program(
    alice: User, new_client: Client, program: Program
) -> None:
    open_enrollment(alice, new_client, program)
    with pytest.raises(ValidationError) as excinfo:
        open_enrollment(alice, new_client, program)
    assert "program" in excinfo.value.message_dict
    assert new_client.enrollments.count() == 1


def test_it_allows_a_new_enrollment_once_the_last_one_is_closed(
    alice: User, new_client: Client, program: Program
) -> None:
    first = open_enrollment(alice, new_client, program)
    services.enrollment_close(
        actor=alice,
        enrollment=first,
        closed_on=TODAY,
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )
    open_enrollment(alice, new_client, program)
    assert new_client.enrollments.count() == 2


def test_it_refuses_an_inactive_program(alice: User, new_client: Client) -> None:
    retired = factories.ProgramFactory(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        open_enrollment(alice, new_client, retired)
    assert "program" in excinfo.value.message_dict
    assert not new_client.enrollments.exists()


def test_it_does_not_let_a_case_manager_enroll_a_client_of_another_team(
    charlie: User, new_client: Client, program: Program
) -> None:
    with pytest.raises(PermissionDenied):
        open_enrollment(charlie, new_client, program)
    assert not new_client.enrollments.exists()


@pytest.mark.parametrize("who", ["ada", "quinn"])
def test_it_does_not_let_administrators_or_qa_reviewers_open_enrollments(
    who: str, alice: User, new_client: Client, program: Program, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        open_enrollment(request.getfixturevalue(who), new_client, program, case_manager=alice)
    assert not new_client.enrollments.exists()


# --- enrollment_transfer ----------------------------------------------------------------------


def test_it_transfers_an_enrollment_to_a_colleague(
    alice: User, bob: User, enrollment: Enrollment
) -> None:
    services.enrollment_transfer(actor=alice, enrollment=enrollment, case_manager=bob)
    enrollment.refresh_from_db()
    assert enrollment.case_manager == bob


def test_it_keeps_both_case_managers_in_the_history_of_a_transfer(
    alice: User, bob: User, enrollment: Enrollment
) -> None:
    services.enrollment_transfer(actor=alice, enrollment=enrollment, case_manager=bob)
    events = Enrollment.pgh_event_model.objects.filter(pgh_obj=enrollment).order_by("pgh_id")
    assert [(e.pgh_label, e.case_manager_id) for e in events] == [
        ("insert", alice.pk),
        ("update", bob.pk),
    ]


def test_it_moves_the_enrollment_to_the_new_case_managers_team(
    sam: User, enrollment: Enrollment, other_team: Team
) -> None:
    sam.supervised_teams.add(other_team)
    dana = factories.CaseManagerFactory(username="dana", team=other_team)
    services.enrollment_transfer(actor=sam, enrollment=enrollment, case_manager=dana)
    enrollment.refresh_from_db()
    assert enrollment.team == other_team


def test_it_does_not_let_a_case_manager_transfer_to_another_team(
    alice: User, charlie: User, enrollment: Enrollment
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.enrollment_transfer(actor=alice, enrollment=enrollment, case_manager=charlie)
    assert "case_manager" in excinfo.value.message_dict
    enrollment.refresh_from_db()
    assert enrollment.case_manager == alice


def test_it_does_not_let_a_colleague_transfer_someone_elses_enrollment(
    bob: User, enrollment: Enrollment
) -> None:
    with pytest.raises(PermissionDenied):
        services.enrollment_transfer(actor=bob, enrollment=enrollment, case_manager=bob)
    enrollment.refresh_from_db()
    assert enrollment.case_manager != bob


# --- enrollment_close -------------------------------------------------------------------------


def close(actor: User, enrollment: Enrollment, **overrides: object) -> Enrollment:
    values: dict[str, object] = {
        "closed_on": TODAY,
        "close_reason": Enrollment.CloseReason.GOALS_MET,
        "close_note": "Back at school full time.",
    }
    values.update(overrides)
    return services.enrollment_close(actor=actor, enrollment=enrollment, **values)


def test_it_closes_an_enrollment_with_a_reason_and_date(
    alice: User, enrollment: Enrollment
) -> None:
    close(alice, enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.CLOSED
    assert enrollment.closed_on == TODAY
    assert enrollment.close_reason == Enrollment.CloseReason.GOALS_MET


def test_it_requires_a_reason_to_close(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as excinfo:
        close(alice, enrollment, close_reason="")
    assert "close_reason" in excinfo.value.message_dict
    enrollment.refresh_from_db()
    assert enrollment.is_open


def test_it_requires_a_date_to_close(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as excinfo:
        close(alice, enrollment, closed_on=None)
    assert "closed_on" in excinfo.value.message_dict
    enrollment.refresh_from_db()
    assert enrollment.is_open


def test_it_refuses_a_closing_date_before_the_application_date(
    alice: User, enrollment: Enrollment
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        close(alice, enrollment, closed_on=enrollment.application_date - dt.timedelta(days=1))
    assert "closed_on" in excinfo.value.message_dict
    enrollment.refresh_from_db()
    assert enrollment.is_open


def test_it_refuses_a_closing_date_in_the_future(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as excinfo:
        close(alice, enrollment, closed_on=TODAY + dt.timedelta(days=1))
    assert "closed_on" in excinfo.value.message_dict
    enrollment.refresh_from_db()
    assert enrollment.is_open


def test_it_does_not_let_a_colleague_close_someone_elses_enrollment(
    bob: User, enrollment: Enrollment
) -> None:
    with pytest.raises(PermissionDenied):
        close(bob, enrollment)
    enrollment.refresh_from_db()
    assert enrollment.is_open


def test_it_refuses_contacts_on_a_closed_enrollment(alice: User, enrollment: Enrollment) -> None:
    close(alice, enrollment)
    with pytest.raises(ValidationError) as excinfo:
        services.contact_record(
            actor=alice,
            enrollment=enrollment,
            occurred_at=timezone.now(),
            contact_type=Contact.Type.PHONE,
            duration_minutes=10,
            note="Called after closing.",
        )
    assert "enrollment" in excinfo.value.message_dict
    assert not enrollment.contacts.exists()


# --- A discharge from detox or inpatient treatment before the enrollment -----------------------

DETOX = Enrollment.DischargedFrom.DETOX
APPLIED = TODAY - dt.timedelta(days=3)


def open_after_discharge(
    actor: User, client: Client, program: Program, **discharge: object
) -> Enrollment:
    return services.enrollment_open(
        actor=actor,
        client=client,
        program=program,
        case_manager=actor,
        application_date=APPLIED,
        continuum_stage=Enrollment.ContinuumStage.PRIMARY_TREATMENT,
        case_management_model=Enrollment.Model.BROKER_GENERALIST,
        presenting_issue="Discharged from detox; no outpatient appointment yet.",
        **discharge,
    )


def test_it_opens_an_enrollment_after_a_detox_discharge(
    alice: User, new_client: Client, program: Program
) -> None:
    discharged_on = APPLIED - dt.timedelta(days=2)
    enrollment = open_after_discharge(
        alice, new_client, program, prior_discharge_on=discharged_on, prior_discharge_from=DETOX
    )
    enrollment.refresh_from_db()
    assert (enrollment.prior_discharge_on, enrollment.prior_discharge_from) == (
        discharged_on,
        DETOX,
    )


def test_it_keeps_the_discharge_in_the_enrollments_history(
    alice: User, new_client: Client, program: Program
) -> None:
    enrollment = open_after_discharge(
        alice, new_client, program, prior_discharge_on=APPLIED, prior_discharge_from=DETOX
    )
    (event,) = events_of(enrollment)
    assert (event.prior_discharge_on, event.prior_discharge_from) == (APPLIED, DETOX)


def test_it_accepts_a_discharge_365_days_before_the_application(
    alice: User, new_client: Client, program: Program
) -> None:
    a_year_before = APPLIED - dt.timedelta(days=365)
    enrollment = open_after_discharge(
        alice, new_client, program, prior_discharge_on=a_year_before, prior_discharge_from=DETOX
    )
    assert enrollment.prior_discharge_on == a_year_before


def test_it_accepts_a_discharge_after_the_application(
    alice: User, new_client: Client, program: Program
) -> None:
    """Applied while still in residential treatment: case management starts on discharge."""
    enrollment = open_after_discharge(
        alice,
        new_client,
        program,
        prior_discharge_on=TODAY,
        prior_discharge_from=Enrollment.DischargedFrom.INPATIENT,
    )
    assert enrollment.prior_discharge_on == TODAY


@pytest.mark.parametrize(
    ("discharge", "field"),
    [
        ({"prior_discharge_on": APPLIED}, "prior_discharge_from"),
        ({"prior_discharge_from": DETOX}, "prior_discharge_on"),
        (
            {"prior_discharge_on": TODAY + dt.timedelta(days=1), "prior_discharge_from": DETOX},
            "prior_discharge_on",
        ),
        (
            {"prior_discharge_on": APPLIED - dt.timedelta(days=366), "prior_discharge_from": DETOX},
            "prior_discharge_on",
        ),
    ],
    ids=["date-without-kind", "kind-without-date", "future", "over-a-year-before-applying"],
)
def test_it_refuses_a_discharge_that_is_not_one(
    alice: User, new_client: Client, program: Program, discharge: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        open_after_discharge(alice, new_client, program, **discharge)
    assert list(excinfo.value.message_dict) == [field]
    assert not new_client.enrollments.exists()


def test_it_records_a_discharge_on_an_open_enrollment(alice: User, enrollment: Enrollment) -> None:
    discharged_on = enrollment.application_date - dt.timedelta(days=4)
    services.enrollment_update(
        actor=alice,
        enrollment=enrollment,
        prior_discharge_on=discharged_on,
        prior_discharge_from=DETOX,
    )
    enrollment.refresh_from_db()
    assert (enrollment.prior_discharge_on, enrollment.prior_discharge_from) == (
        discharged_on,
        DETOX,
    )


def test_it_clears_a_discharge(alice: User, enrollment: Enrollment) -> None:
    services.enrollment_update(
        actor=alice, enrollment=enrollment, prior_discharge_on=TODAY, prior_discharge_from=DETOX
    )
    services.enrollment_update(
        actor=alice, enrollment=enrollment, prior_discharge_on=None, prior_discharge_from=""
    )
    enrollment.refresh_from_db()
    assert (enrollment.prior_discharge_on, enrollment.prior_discharge_from) == (None, "")


def test_it_refuses_to_clear_only_the_kind_of_a_discharge(
    alice: User, enrollment: Enrollment
) -> None:
    services.enrollment_update(
        actor=alice, enrollment=enrollment, prior_discharge_on=TODAY, prior_discharge_from=DETOX
    )
    with pytest.raises(ValidationError) as excinfo:
        services.enrollment_update(actor=alice, enrollment=enrollment, prior_discharge_from="")
    assert list(excinfo.value.message_dict) == ["prior_discharge_from"]
    enrollment.refresh_from_db()
    assert enrollment.prior_discharge_from == DETOX


def test_the_database_refuses_a_discharge_without_its_kind(enrollment: Enrollment) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(prior_discharge_on=TODAY)
