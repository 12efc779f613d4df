"""A save through the web pages evaluates the changed enrollment's compliance in the same
request, so the page that refreshes after it shows the flags as they now stand (issue 11); a
save through the API queues the evaluation for the workers instead.

The saves run in real transactions (their on-commit reactions run as in production), and
Celery sends to an in-memory broker nobody consumes: a flag that changes did so in-process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from casemgmt.middleware import InteractiveRequestMiddleware
from casemgmt.reactions import interactive, is_interactive
from clients.events import EnrollmentChanged
from clients.models import Contact, Enrollment
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule
from supervision.tasks import queue_enrollment_evaluation
from tests import factories
from tests.celery_worker import broker_at

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 in America/Boise
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def unconsumed_broker() -> Iterator[None]:
    with broker_at("memory://"):
        yield


@pytest.fixture
def gap(alice: User, frozen: None) -> Enrollment:
    """alice's enrollment, applied 40 days ago and never contacted: a monitoring gap flag."""
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=40)
    )
    compliance_evaluate(as_of=TODAY, enrollment_ids=[enrollment.pk])
    return enrollment


def _gap_open(enrollment: Enrollment) -> bool:
    return Flag.objects.open().filter(enrollment=enrollment, rule=FlagRule.MONITORING_GAP).exists()


def _phone_call(enrollment: Enrollment) -> dict[str, object]:
    return {
        "enrollment": enrollment.pk,
        "occurred_at": "2026-03-02T12:30",
        "contact_type": Contact.Type.PHONE,
        "duration_minutes": 20,
        "note": "Called about the school meeting.",
    }


@pytest.mark.django_db(transaction=True)
def test_it_resolves_the_flag_in_the_same_web_request(
    client, alice, gap, unconsumed_broker
) -> None:
    assert _gap_open(gap)
    client.force_login(alice)
    response = client.post(
        reverse("workspace:contact_create", args=[gap.client_id]),
        _phone_call(gap),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert not _gap_open(gap)


@pytest.mark.django_db(transaction=True)
def test_it_leaves_an_api_save_to_the_workers(api, alice, gap, unconsumed_broker) -> None:
    api.force_login(alice)
    payload = {**_phone_call(gap), "occurred_at": "2026-03-02T12:30:00-07:00"}
    response = api.post(reverse("contact-list"), payload, format="json")
    assert response.status_code == 201, response.data
    assert _gap_open(gap)


@pytest.mark.django_db
def test_it_evaluates_at_once_when_interactive(gap, unconsumed_broker) -> None:
    factories.ContactFactory(enrollment=gap, occurred_at=FROZEN - dt.timedelta(hours=1))
    with interactive():
        queue_enrollment_evaluation(EnrollmentChanged(enrollment_id=gap.pk))
    assert not _gap_open(gap)


@pytest.mark.django_db
def test_it_queues_when_not_interactive(gap, unconsumed_broker) -> None:
    factories.ContactFactory(enrollment=gap, occurred_at=FROZEN - dt.timedelta(hours=1))
    queue_enrollment_evaluation(EnrollmentChanged(enrollment_id=gap.pk))
    assert _gap_open(gap)


def _interactive_during(path: str) -> bool:
    seen: list[bool] = []

    def view(request) -> HttpResponse:
        seen.append(is_interactive())
        return HttpResponse()

    InteractiveRequestMiddleware(view)(RequestFactory().post(path))
    return seen[0]


def test_the_web_pages_are_interactive() -> None:
    assert _interactive_during("/clients/1/contacts/new/")


def test_the_api_is_not_interactive() -> None:
    assert not _interactive_during("/api/v1/contacts/")


def test_nothing_is_interactive_outside_a_request() -> None:
    assert not is_interactive()
