"""The Celery tasks are thin wrappers; saving a record queues one when it commits, and a
broker that is down does not stop the save."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clients import services
from clients.models import Contact
from supervision.models import Flag
from supervision.tasks import evaluate_compliance_nightly, evaluate_enrollment
from tests import factories
from tests.celery_worker import broker_at
from tests.helpers import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_enrollment():
    return factories.EnrollmentFactory(application_date=days_ago(40))


def test_it_evaluates_the_whole_agency_nightly(overdue_enrollment) -> None:
    assert evaluate_compliance_nightly()["raised"] >= 1
    assert Flag.objects.filter(enrollment=overdue_enrollment).exists()


def test_it_is_safe_to_run_twice(overdue_enrollment) -> None:
    evaluate_enrollment(overdue_enrollment.pk)
    flags = set(Flag.objects.values_list("pk", "rule", "resolved_on"))
    assert evaluate_enrollment(overdue_enrollment.pk)["raised"] == 0
    assert set(Flag.objects.values_list("pk", "rule", "resolved_on")) == flags


def test_it_queues_an_evaluation_when_a_contact_commits(
    overdue_enrollment, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_record(
            actor=overdue_enrollment.case_manager,
            enrollment=overdue_enrollment,
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            contact_type=Contact.Type.PHONE,
            duration_minutes=15,
            note="Called to book the assessment.",
        )
    assert Flag.objects.filter(
        enrollment=overdue_enrollment, rule="initial_assessment_overdue"
    ).exists()


def test_it_saves_the_record_when_the_broker_is_down(
    overdue_enrollment, django_capture_on_commit_callbacks
) -> None:
    # Nothing listens on port 1: the broker is down.
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        contact = services.contact_record(
            actor=overdue_enrollment.case_manager,
            enrollment=overdue_enrollment,
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            contact_type=Contact.Type.PHONE,
            duration_minutes=15,
            note="Called to book the assessment.",
        )
    assert Contact.objects.filter(pk=contact.pk).exists()
