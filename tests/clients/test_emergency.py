"""Emergency access, "break the glass" (clients.emergency): the grant, what it opens and for how
long, who is told, and how it ends.

alice (North Team) asks for charlie's client (South Team, supervised by sue)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import Team, User
from audit.coverage import covered_tables
from clients.departures import staff_depart
from clients.emergency import (
    clients_outside_scope_matching,
    emergency_access_grant,
    exact_match,
)
from clients.models import (
    AccessLog,
    Client,
    Contact,
    EmergencyAccess,
    EmergencyAccessEnd,
    Enrollment,
)
from referrals.models import Referral
from serviceplans.models import ServicePlan
from tests import factories

pytestmark = pytest.mark.django_db

REASON = "The crisis line called: she is in the emergency room and asks for us."
GRANTED_AT = dt.datetime(2026, 3, 10, 14, 2, tzinfo=dt.UTC)


@pytest.fixture
def sue(other_team: Team) -> User:
    """The supervisor of charlie's team (South Team)."""
    return factories.SupervisorFactory(username="sue", team=other_team)


@pytest.fixture
def theirs(other_enrollment: Enrollment) -> Client:
    """charlie's client, outside alice's team."""
    return other_enrollment.client


def _grant(user: User, client: Client, **changes: str) -> EmergencyAccess:
    given = {"category": EmergencyAccess.Category.CRISIS, "reason": REASON, **changes}
    return emergency_access_grant(user=user, client=client, **given)


# --- Input ------------------------------------------------------------------------------------


def test_it_grants_12_hours_with_the_reason(alice: User, theirs: Client) -> None:
    with time_machine.travel(GRANTED_AT, tick=False):
        grant = _grant(alice, theirs)
    assert (grant.user, grant.client, grant.reason) == (alice, theirs, REASON)
    assert grant.expires_at - grant.granted_at == dt.timedelta(hours=12)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "boredom"}, "category"),
        ({"category": ""}, "category"),
        ({"reason": "Need it."}, "reason"),
        ({"reason": "                         "}, "reason"),
    ],
)
def test_it_refuses_bad_input_with_field_errors_and_saves_nothing(
    alice: User, theirs: Client, changes: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _grant(alice, theirs, **changes)
    assert field in refused.value.message_dict
    assert not EmergencyAccess.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EMERGENCY).exists()


def test_it_refuses_a_client_of_the_users_own_team(alice: User, client_record: Client) -> None:
    with pytest.raises(ValidationError):
        _grant(alice, client_record)
    assert not EmergencyAccess.objects.exists()


def test_it_refuses_a_second_grant_in_force_for_the_same_client(
    alice: User, theirs: Client
) -> None:
    _grant(alice, theirs)
    with pytest.raises(ValidationError):
        _grant(alice, theirs)
    assert EmergencyAccess.objects.count() == 1


@pytest.mark.parametrize("role", ["ada", "quinn"])
def test_it_refuses_the_roles_that_read_every_client(
    request: pytest.FixtureRequest, role: str, theirs: Client
) -> None:
    with pytest.raises(PermissionDenied):
        _grant(request.getfixturevalue(role), theirs)


def test_a_supervisor_may_request_it_too(sam: User, theirs: Client) -> None:
    assert _grant(sam, theirs).user == sam


def test_the_database_refuses_a_grant_of_another_length(alice: User, theirs: Client) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        factories.EmergencyAccessFactory(
            user=alice, client=theirs, expires_at=timezone.now() + dt.timedelta(days=3)
        )


# --- What it opens ----------------------------------------------------------------------------


def test_it_makes_the_client_readable(alice: User, theirs: Client) -> None:
    _grant(alice, theirs)
    assert Client.objects.visible_to(alice).filter(pk=theirs.pk).exists()


def test_it_does_not_make_the_client_writable(alice: User, theirs: Client) -> None:
    _grant(alice, theirs)
    assert not Client.objects.writable_by(alice).filter(pk=theirs.pk).exists()
    assert not Enrollment.objects.writable_by(alice).filter(client=theirs).exists()


def test_it_opens_the_clients_record_read_only(
    alice: User, theirs: Client, other_enrollment: Enrollment
) -> None:
    contact = factories.ContactFactory(enrollment=other_enrollment)
    plan = factories.ServicePlanFactory(enrollment=other_enrollment)
    referral = factories.ReferralFactory(enrollment=other_enrollment)
    _grant(alice, theirs)
    assert list(Enrollment.objects.visible_to(alice).filter(client=theirs)) == [other_enrollment]
    assert list(Contact.objects.visible_to(alice).filter(client=theirs)) == [contact]
    assert list(ServicePlan.objects.visible_to(alice).filter(pk=plan.pk)) == [plan]
    assert list(Referral.objects.visible_to(alice).filter(pk=referral.pk)) == [referral]
    assert not Contact.objects.writable_by(alice).filter(pk=contact.pk).exists()


def test_it_leaves_other_clients_of_that_team_out_of_scope(
    alice: User, theirs: Client, charlie: User
) -> None:
    another = factories.EnrollmentFactory(case_manager=charlie)
    _grant(alice, theirs)
    assert not Client.objects.visible_to(alice).filter(pk=another.client_id).exists()
    assert not Enrollment.objects.visible_to(alice).filter(pk=another.pk).exists()


def test_it_opens_the_client_to_the_grantee_only(alice: User, bob: User, theirs: Client) -> None:
    _grant(alice, theirs)
    assert not Client.objects.visible_to(bob).filter(pk=theirs.pk).exists()


def test_it_keeps_the_client_open_until_just_before_12_hours(alice: User, theirs: Client) -> None:
    with time_machine.travel(GRANTED_AT, tick=False):
        _grant(alice, theirs)
    with time_machine.travel(GRANTED_AT + dt.timedelta(hours=11, minutes=59), tick=False):
        assert Client.objects.visible_to(alice).filter(pk=theirs.pk).exists()


def test_it_closes_the_client_at_12_hours(alice: User, theirs: Client) -> None:
    with time_machine.travel(GRANTED_AT, tick=False):
        _grant(alice, theirs)
    with time_machine.travel(GRANTED_AT + dt.timedelta(hours=12), tick=False):
        assert not Client.objects.visible_to(alice).filter(pk=theirs.pk).exists()
        assert not Enrollment.objects.visible_to(alice).filter(client=theirs).exists()


def test_an_expired_grant_may_be_followed_by_a_new_one(alice: User, theirs: Client) -> None:
    with time_machine.travel(GRANTED_AT, tick=False):
        _grant(alice, theirs)
    with time_machine.travel(GRANTED_AT + dt.timedelta(hours=13), tick=False):
        _grant(alice, theirs)
    assert EmergencyAccess.objects.filter(user=alice, client=theirs).count() == 2


def test_it_does_not_let_the_grantee_open_an_enrollment(alice: User, theirs: Client) -> None:
    _grant(alice, theirs)
    assert not Client.objects.in_scope_of(alice).filter(pk=theirs.pk).exists()


# --- The record of it -------------------------------------------------------------------------


def test_it_writes_an_emergency_row_in_the_access_log(alice: User, theirs: Client) -> None:
    _grant(alice, theirs)
    row = AccessLog.objects.get(action=AccessLog.Action.EMERGENCY)
    assert (row.user, row.client, row.outcome) == (alice, theirs, AccessLog.Outcome.READ)


def test_the_grant_cannot_be_changed(alice: User, theirs: Client) -> None:
    grant = _grant(alice, theirs)
    with pytest.raises(DatabaseError), transaction.atomic():
        EmergencyAccess.objects.filter(pk=grant.pk).update(expires_at=timezone.now())


def test_the_grant_cannot_be_deleted(alice: User, theirs: Client) -> None:
    grant = _grant(alice, theirs)
    with pytest.raises(DatabaseError), transaction.atomic():
        EmergencyAccess.objects.filter(pk=grant.pk).delete()


def test_the_audit_chain_covers_the_grants_and_their_ends() -> None:
    tables = covered_tables()
    assert {"clients_emergencyaccess", "clients_emergencyaccessend"} <= set(tables)


# --- Who is told ------------------------------------------------------------------------------


def test_the_clients_supervisor_sees_the_grant_in_the_app(
    alice: User, sue: User, sam: User, theirs: Client
) -> None:
    grant = _grant(alice, theirs)
    assert list(EmergencyAccess.objects.visible_to(sue)) == [grant]
    assert not EmergencyAccess.objects.visible_to(sam).exists()


def test_the_clients_supervisor_gets_an_email_at_once(
    alice: User, sue: User, theirs: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _grant(alice, theirs)
    assert [message.to for message in mail.outbox] == [[sue.email]]
    assert "/clients/emergency-access/granted/" in mail.outbox[0].body


def test_the_email_names_no_client(
    alice: User, sue: User, theirs: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _grant(alice, theirs)
    (message,) = mail.outbox
    for text in (message.subject, message.body):
        for identifying in (theirs.first_name, theirs.last_name, theirs.record_number, REASON):
            assert identifying not in text


def test_the_email_goes_to_the_administrators_when_the_team_has_no_supervisor(
    alice: User, ada: User, theirs: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _grant(alice, theirs)
    assert [message.to for message in mail.outbox] == [[ada.email]]


def test_no_email_goes_when_the_grant_is_refused(
    alice: User, sue: User, theirs: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _grant(alice, theirs, reason="short")
    assert mail.outbox == []


# --- How it ends ------------------------------------------------------------------------------


def test_a_departure_ends_the_grants_at_once(
    ada: User, alice: User, bob: User, theirs: Client, enrollment: Enrollment
) -> None:
    grant = _grant(alice, theirs)
    staff_depart(actor=ada, user=alice, successor=bob)
    end = EmergencyAccessEnd.objects.get(grant=grant)
    assert (end.ended_by, end.cause) == (ada, EmergencyAccessEnd.Cause.DEPARTURE)
    assert not EmergencyAccess.objects.in_force().exists()


def test_an_ended_grant_no_longer_opens_the_client(ada: User, alice: User, theirs: Client) -> None:
    grant = _grant(alice, theirs)
    EmergencyAccessEnd.objects.create(
        grant=grant, ended_at=timezone.now(), ended_by=ada, cause="departure"
    )
    assert not Client.objects.visible_to(alice).filter(pk=theirs.pk).exists()


# --- Exact enough to count ---------------------------------------------------------------------


@pytest.mark.parametrize("search", ["maria", "Lopez", "1985-04-12", "208 555 0101", "Mar Lop"])
def test_a_search_that_names_no_one_exactly_counts_nothing(alice: User, search: str) -> None:
    factories.ClientFactory(
        first_name="Maria",
        last_name="Lopez",
        date_of_birth=dt.date(1985, 4, 12),
        phone="208 555 0101",
    )
    assert clients_outside_scope_matching(viewer=alice, search=search).count() == 0


def test_a_full_name_as_registered_counts(alice: User) -> None:
    factories.ClientFactory(first_name="Maria", last_name="Lopez")
    assert clients_outside_scope_matching(viewer=alice, search="maria LOPEZ").count() == 1


def test_an_empty_search_is_not_exact_enough() -> None:
    assert exact_match("   ") is None


def test_a_full_name_with_a_birth_date_names_one_person(alice: User) -> None:
    born = dt.date(1985, 4, 12)
    maria = factories.ClientFactory(first_name="Maria", last_name="Lopez", date_of_birth=born)
    factories.ClientFactory(first_name="Maria", last_name="Lopez")
    match = exact_match("Maria  Lopez 1985-04-12")
    assert match is not None
    assert list(Client.objects.filter(match)) == [maria]
