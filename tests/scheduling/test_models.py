import pytest
from django.db import IntegrityError, ProgrammingError, transaction

from scheduling import services
from scheduling.models import PlannedVisit

pytestmark = pytest.mark.django_db


def test_planning_and_cancelling_are_in_history(alice, visit):
    services.visit_cancel(actor=alice, visit=visit)
    events = PlannedVisit.pgh_event_model.objects.filter(pgh_obj=visit).order_by("pgh_id")
    assert [e.status for e in events] == ["planned", "cancelled"]


def test_a_visit_cannot_be_deleted(visit):
    with pytest.raises(ProgrammingError), transaction.atomic():
        PlannedVisit.objects.filter(pk=visit.pk).delete()


def test_a_recorded_visit_must_name_its_contact(visit):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlannedVisit.objects.filter(pk=visit.pk).update(status="recorded")


def test_it_is_visible_to_the_team_and_writable_by_its_case_manager(alice, bob, charlie, visit):
    assert list(PlannedVisit.objects.visible_to(bob)) == [visit]
    assert not PlannedVisit.objects.writable_by(bob).exists()
    assert list(PlannedVisit.objects.writable_by(alice)) == [visit]
    assert not PlannedVisit.objects.visible_to(charlie).exists()
