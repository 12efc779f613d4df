"""Record keeping: every change is in history and nothing clinical can be deleted."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, models, transaction

from accounts.models import User
from clients import services
from clients.models import AccessLog, Client, Contact, Enrollment
from tests import factories

pytestmark = pytest.mark.django_db


def events_of(obj: models.Model) -> list[models.Model]:
    event_model = type(obj).pgh_event_model  # type: ignore[attr-defined]
    return list(event_model.objects.filter(pgh_obj=obj).order_by("pgh_id"))


def test_it_records_the_registration_of_a_client(alice: User) -> None:
    client = factories.ClientFactory(created_by=alice, first_name="Maria")
    assert [(e.pgh_label, e.first_name) for e in events_of(client)] == [("insert", "Maria")]


def test_it_keeps_the_old_and_new_values_of_a_client_update(
    alice: User, client_record: Client
) -> None:
    old_phone = client_record.phone
    services.client_update(actor=alice, client=client_record, phone="208-555-0199")
    assert [(e.pgh_label, e.phone) for e in events_of(client_record)] == [
        ("insert", old_phone),
        ("update", "208-555-0199"),
    ]


def test_it_records_a_queryset_update(client_record: Client) -> None:
    Client.objects.filter(pk=client_record.pk).update(city="Nampa")
    assert [(e.pgh_label, e.city) for e in events_of(client_record)][-1] == ("update", "Nampa")


def test_it_records_a_contact_correction(alice: User, enrollment: Enrollment) -> None:
    contact = factories.ContactFactory(enrollment=enrollment, note="First version.")
    services.contact_correct(actor=alice, contact=contact, note="Second version.")
    assert [e.note for e in events_of(contact)] == ["First version.", "Second version."]


def test_it_records_a_family_member_update(alice: User, client_record: Client) -> None:
    member = factories.FamilyMemberFactory(client=client_record, takes_part_in_planning=False)
    services.family_member_update(actor=alice, member=member, takes_part_in_planning=True)
    assert [e.takes_part_in_planning for e in events_of(member)] == [False, True]


def test_it_keeps_history_append_only(alice: User, client_record: Client) -> None:
    services.client_update(actor=alice, client=client_record, phone="208-555-0199")
    event_model = Client.pgh_event_model  # type: ignore[attr-defined]
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        event_model.objects.filter(pgh_obj=client_record).update(phone="rewritten")
    assert [e.phone for e in events_of(client_record)][-1] == "208-555-0199"


# --- No deletes -------------------------------------------------------------------------------
# Each object has no dependants, so Django's PROTECT (ProtectedError, itself an IntegrityError)
# never fires: the refusal comes from the database trigger (psycopg's RaiseException, which
# Django raises as a ProgrammingError).


def assert_cannot_delete(obj: models.Model) -> None:
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        obj.delete()
    assert type(obj)._base_manager.filter(pk=obj.pk).exists()


def test_it_refuses_to_delete_a_client() -> None:
    assert_cannot_delete(factories.ClientFactory())


def test_it_refuses_to_delete_a_family_member() -> None:
    assert_cannot_delete(factories.FamilyMemberFactory())


def test_it_refuses_to_delete_an_enrollment() -> None:
    assert_cannot_delete(factories.EnrollmentFactory())


def test_it_refuses_to_delete_a_contact() -> None:
    assert_cannot_delete(factories.ContactFactory())


def test_it_refuses_to_delete_through_a_queryset() -> None:
    contact = factories.ContactFactory()
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).delete()
    assert Contact.objects.filter(pk=contact.pk).exists()


# --- Access log -------------------------------------------------------------------------------


@pytest.fixture
def log_row(alice: User, client_record: Client) -> AccessLog:
    return services.access_log_record(
        user=alice,
        client_id=client_record.pk,
        action=AccessLog.Action.VIEWED,
        path=f"/clients/{client_record.pk}/",
        ip_address="10.0.0.7",
    )


def test_it_refuses_to_update_an_access_log_row(log_row: AccessLog) -> None:
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        AccessLog.objects.filter(pk=log_row.pk).update(path="/elsewhere/")
    log_row.refresh_from_db()
    assert log_row.path.startswith("/clients/")


def test_it_refuses_to_delete_an_access_log_row(log_row: AccessLog) -> None:
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        log_row.delete()
    assert AccessLog.objects.filter(pk=log_row.pk).exists()
