import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clients.models import Contact
from scheduling import services
from scheduling.models import Place, PlannedVisit
from tests import factories
from tests.scheduling.conftest import local

pytestmark = pytest.mark.django_db


def _plan(actor, enrollment, **overrides):
    fields = {
        "scheduled_start": local(2026, 3, 6, 9, 30),
        "expected_minutes": 45,
        "place": Place.HOME,
        "location": "Blue house",
        "contact_type": Contact.Type.HOME_VISIT,
        "with_whom": "Client",
        "purpose": "Plan review",
    }
    fields.update(overrides)
    return services.visit_plan(actor=actor, enrollment=enrollment, **fields)


def test_it_plans_a_visit_on_the_case_managers_schedule(frozen, alice, enrollment):
    visit = _plan(alice, enrollment)
    assert (visit.case_manager, visit.status, visit.contact) == (alice, "planned", None)


def test_a_supervisor_plans_on_the_case_managers_schedule(frozen, alice, sam, enrollment):
    visit = _plan(sam, enrollment)
    assert visit.case_manager == alice


def test_it_refuses_a_visit_planned_on_a_past_day(frozen, alice, enrollment):
    with pytest.raises(ValidationError) as refused:
        _plan(alice, enrollment, scheduled_start=local(2026, 3, 3, 16))
    assert "scheduled_start" in refused.value.message_dict
    assert not PlannedVisit.objects.exists()


def test_it_allows_an_earlier_time_today(frozen, alice, enrollment):
    visit = _plan(alice, enrollment, scheduled_start=local(2026, 3, 4, 8))
    assert visit.pk


def test_it_refuses_an_attempt_as_the_planned_type(frozen, alice, enrollment):
    with pytest.raises(ValidationError) as refused:
        _plan(alice, enrollment, contact_type=Contact.Type.ATTEMPTED)
    assert "contact_type" in refused.value.message_dict


def test_it_refuses_zero_expected_minutes(frozen, alice, enrollment):
    with pytest.raises(ValidationError) as refused:
        _plan(alice, enrollment, expected_minutes=0)
    assert "expected_minutes" in refused.value.message_dict


def test_it_refuses_a_client_of_another_caseload(frozen, alice, other_enrollment):
    with pytest.raises(ValidationError) as refused:
        _plan(alice, other_enrollment)
    assert "enrollment" in refused.value.message_dict


def test_an_administrator_cannot_plan(frozen, ada, enrollment):
    with pytest.raises(PermissionDenied):
        _plan(ada, enrollment)


def test_it_reschedules_a_planned_visit(alice, visit):
    services.visit_update(actor=alice, visit=visit, scheduled_start=local(2026, 3, 9, 14))
    visit.refresh_from_db()
    assert visit.scheduled_start == local(2026, 3, 9, 14)


def test_it_refuses_to_change_a_cancelled_visit(alice, visit):
    services.visit_cancel(actor=alice, visit=visit)
    with pytest.raises(ValidationError):
        services.visit_update(actor=alice, visit=visit, purpose="Other")


def test_it_cancels_without_deleting(alice, visit):
    services.visit_cancel(actor=alice, visit=visit)
    assert PlannedVisit.objects.get().status == PlannedVisit.Status.CANCELLED


def test_a_teammate_cannot_cancel(bob, visit):
    with pytest.raises(PermissionDenied):
        services.visit_cancel(actor=bob, visit=visit)


def test_marking_missed_records_an_attempted_contact(alice, past_visit):
    services.visit_mark_missed(actor=alice, visit=past_visit, note="No answer at the door")
    contact = Contact.objects.get()
    past_visit.refresh_from_db()
    assert (past_visit.status, past_visit.contact) == ("missed", contact)
    assert (contact.contact_type, contact.occurred_at) == ("attempted", past_visit.scheduled_start)
    assert contact.location == "Client's home: Back door, dog in the yard"


def test_marking_missed_twice_is_refused_and_records_one_contact(alice, past_visit):
    services.visit_mark_missed(actor=alice, visit=past_visit)
    with pytest.raises(ValidationError):
        services.visit_mark_missed(actor=alice, visit=past_visit)
    assert Contact.objects.count() == 1


def test_a_visit_to_come_cannot_be_marked_missed(alice, visit):
    with pytest.raises(ValidationError):
        services.visit_mark_missed(actor=alice, visit=visit)
    assert not Contact.objects.exists()


def test_recording_the_contact_marks_the_visit_recorded(alice, past_visit):
    contact = services.visit_record_contact(
        actor=alice,
        visit=past_visit,
        enrollment=past_visit.enrollment,
        occurred_at=past_visit.scheduled_start,
        contact_type=Contact.Type.HOME_VISIT,
        duration_minutes=50,
        note="Walked through the attendance plan with mother.",
    )
    past_visit.refresh_from_db()
    assert (past_visit.status, past_visit.contact) == ("recorded", contact)


def test_a_contact_refused_leaves_the_visit_planned(alice, past_visit):
    with pytest.raises(ValidationError):
        services.visit_record_contact(
            actor=alice,
            visit=past_visit,
            enrollment=past_visit.enrollment,
            occurred_at=past_visit.scheduled_start,
            contact_type=Contact.Type.HOME_VISIT,
            duration_minutes=50,
            note="",
        )
    past_visit.refresh_from_db()
    assert past_visit.status == "planned"


def test_a_visit_of_another_enrollment_is_not_linked(alice, past_visit):
    other = factories.EnrollmentFactory(case_manager=alice, client=past_visit.enrollment.client)
    with pytest.raises(ValidationError):
        services.visit_record_contact(
            actor=alice,
            visit=past_visit,
            enrollment=other,
            occurred_at=past_visit.scheduled_start,
            contact_type=Contact.Type.PHONE,
            duration_minutes=10,
            note="Called.",
        )
    assert not Contact.objects.exists()
