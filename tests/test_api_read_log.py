"""API reads of clinical records are in the access log (casemgmt.api.ReadLoggedMixin): one row
per list page or record answered, naming the records returned and their clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Enrollment
from tests import factories

pytestmark = pytest.mark.django_db


def _sam_note(enrollment: Enrollment) -> Any:
    return factories.SupervisionNoteFactory(
        enrollment=enrollment, author=User.objects.get(username="sam")
    )


# Each logged endpoint, with a record of alice's enrollment to find in it.
RECORDS: dict[str, Callable[[Enrollment], Any]] = {
    "client": lambda e: e.client,
    "enrollment": lambda e: e,
    "contact": lambda e: factories.ContactFactory(enrollment=e),
    "assessment": lambda e: factories.AssessmentFactory(enrollment=e),
    "risk-screen": lambda e: factories.RiskScreenFactory(enrollment=e),
    "plan": lambda e: factories.ServicePlanFactory(enrollment=e),
    "consent": lambda e: factories.ConsentFactory(client=e.client),
    "referral": lambda e: factories.ReferralFactory(enrollment=e),
    "supervision-note": _sam_note,
}


def _reads() -> list[AccessLog]:
    return list(AccessLog.objects.filter(action=AccessLog.Action.VIEWED))


@pytest.mark.parametrize("basename", sorted(RECORDS))
def test_a_list_read_is_logged_with_the_records_returned(
    api: APIClient, alice: User, sam: User, enrollment: Enrollment, basename: str
) -> None:
    record = RECORDS[basename](enrollment)
    api.force_login(alice)
    response = api.get(reverse(f"{basename}-list"))
    assert response.status_code == 200
    (row,) = _reads()
    assert (row.user, row.record_ids, row.client_ids, row.row_count) == (
        alice,
        [record.pk],
        [enrollment.client_id],
        1,
    )


@pytest.mark.parametrize("basename", sorted(RECORDS))
def test_a_record_read_is_logged_with_its_client(
    api: APIClient, alice: User, sam: User, enrollment: Enrollment, basename: str
) -> None:
    record = RECORDS[basename](enrollment)
    api.force_login(alice)
    response = api.get(reverse(f"{basename}-detail", args=[record.pk]))
    assert response.status_code == 200
    (row,) = _reads()
    assert (row.client_id, row.record_ids, row.path) == (
        enrollment.client_id,
        [record.pk],
        reverse(f"{basename}-detail", args=[record.pk]),
    )


def test_a_list_over_several_clients_names_each(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    other = factories.EnrollmentFactory(case_manager=alice)
    api.force_login(alice)
    api.get(reverse("enrollment-list"))
    (row,) = _reads()
    assert row.client_id is None
    assert row.client_ids == sorted([enrollment.client_id, other.client_id])


def test_a_refused_read_is_logged_as_a_refusal_only(
    api: APIClient, charlie: User, enrollment: Enrollment
) -> None:
    api.force_login(charlie)
    assert api.get(reverse("enrollment-detail", args=[enrollment.pk])).status_code == 404
    assert [row.action for row in AccessLog.objects.all()] == [AccessLog.Action.DENIED]


def test_a_write_is_not_logged_as_a_read(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    api.patch(
        reverse("client-detail", args=[enrollment.client_id]),
        {"preferred_name": "Jo"},
        format="json",
    )
    assert _reads() == []
