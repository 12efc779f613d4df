"""/api/v1/variances/: scoped lists, asking through variance_request, and the administrators'
approve and deny actions; bad input is a 400 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import Enrollment
from supervision.models import Flag, FlagRule, Variance
from tests import factories
from tests.helpers import in_days, listed_ids

pytestmark = pytest.mark.django_db

VARIANCES_URL = reverse("variance-list")
INITIAL = FlagRule.INITIAL_ASSESSMENT_OVERDUE


def _approve_url(variance: Variance) -> str:
    return reverse("variance-approve", args=[variance.pk])


def _deny_url(variance: Variance) -> str:
    return reverse("variance-deny", args=[variance.pk])


@pytest.fixture
def pending(overdue: Enrollment, flag: Flag) -> Variance:
    return factories.VarianceFactory(enrollment=overdue, flag=flag, proposed_due_on=in_days(14))


def _ask(enrollment: Enrollment, **overrides: Any) -> dict[str, Any]:
    return {
        "enrollment": enrollment.pk,
        "rule": INITIAL,
        "reason": "The family was out of state.",
        "proposed_due_on": in_days(14).isoformat(),
        **overrides,
    }


# --- Reading ----------------------------------------------------------------------------------


def test_it_lists_the_variances_of_the_users_teams(
    api: APIClient, bob: User, pending: Variance, charlie: User
) -> None:
    factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=charlie))
    api.force_authenticate(bob)
    assert listed_ids(api.get(VARIANCES_URL)) == {pending.pk}


def test_it_filters_by_status(api: APIClient, ada: User, pending: Variance) -> None:
    api.force_authenticate(ada)
    assert listed_ids(api.get(VARIANCES_URL, {"status": "approved"})) == set()
    assert listed_ids(api.get(VARIANCES_URL, {"status": "pending"})) == {pending.pk}


def test_the_list_uses_the_same_number_of_queries_at_2_and_10_variances(
    api: APIClient, ada: User, alice: User
) -> None:
    def queries() -> int:
        api.force_authenticate(ada)
        with CaptureQueriesContext(connection) as captured:
            assert api.get(VARIANCES_URL).status_code == 200
        return len(captured)

    for _ in range(2):
        factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    at_two = queries()
    for _ in range(8):
        factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    assert queries() == at_two


# --- Asking -----------------------------------------------------------------------------------


def test_a_case_manager_asks_against_a_flag(api: APIClient, alice: User, flag: Flag) -> None:
    api.force_authenticate(alice)
    response = api.post(
        VARIANCES_URL, _ask(flag.enrollment, rule=None, flag=flag.pk), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["rule"], body["flag"], body["status"]) == (INITIAL, flag.pk, "pending")
    assert body["requested_by"] == alice.pk


def test_a_past_proposed_date_is_a_400_on_the_field(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_authenticate(alice)
    response = api.post(
        VARIANCES_URL, _ask(enrollment, proposed_due_on=in_days(-1).isoformat()), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "proposed_due_on": ["The proposed new due date must be after today."]
    }
    assert not Variance.objects.exists()


def test_a_date_that_is_not_a_date_is_a_400_on_the_field(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_authenticate(alice)
    response = api.post(
        VARIANCES_URL, _ask(enrollment, proposed_due_on="2026-02-30"), format="json"
    )
    assert response.status_code == 400
    assert "proposed_due_on" in response.json()


def test_a_second_pending_request_is_a_400_on_the_rule(
    api: APIClient, alice: User, pending: Variance
) -> None:
    api.force_authenticate(alice)
    response = api.post(VARIANCES_URL, _ask(pending.enrollment), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["rule"]


def test_a_teammate_gets_403_asking_for_alices_enrollment(
    api: APIClient, bob: User, enrollment: Enrollment
) -> None:
    api.force_authenticate(bob)
    assert api.post(VARIANCES_URL, _ask(enrollment), format="json").status_code == 403


def test_an_outsiders_enrollment_is_not_found(
    api: APIClient, charlie: User, enrollment: Enrollment
) -> None:
    api.force_authenticate(charlie)
    response = api.post(VARIANCES_URL, _ask(enrollment), format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()


# --- Deciding ---------------------------------------------------------------------------------


def test_an_administrator_approves_and_the_flag_is_resolved(
    api: APIClient, ada: User, pending: Variance, flag: Flag
) -> None:
    api.force_authenticate(ada)
    response = api.post(
        _approve_url(pending), {"approved_due_on": in_days(21).isoformat()}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["approved_due_on"]) == (
        "approved",
        in_days(21).isoformat(),
    )
    flag.refresh_from_db()
    assert not flag.is_open


def test_an_approval_date_in_the_past_is_a_400_on_the_field(
    api: APIClient, ada: User, pending: Variance
) -> None:
    api.force_authenticate(ada)
    response = api.post(
        _approve_url(pending), {"approved_due_on": in_days(-2).isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"approved_due_on": ["The approved due date cannot be in the past."]}


def test_a_denial_without_a_note_is_a_400_on_the_note(
    api: APIClient, ada: User, pending: Variance
) -> None:
    api.force_authenticate(ada)
    response = api.post(_deny_url(pending), {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"note": ["Say why the variance is denied."]}


def test_an_administrator_denies_with_a_note(api: APIClient, ada: User, pending: Variance) -> None:
    api.force_authenticate(ada)
    response = api.post(_deny_url(pending), {"note": "Assess this week."}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "denied")


@pytest.mark.parametrize("who", ["alice", "sam", "quinn"])
def test_non_administrators_get_403_deciding(
    request: pytest.FixtureRequest, api: APIClient, who: str, pending: Variance
) -> None:
    api.force_authenticate(request.getfixturevalue(who))
    assert api.post(_approve_url(pending), {}, format="json").status_code == 403
    assert api.post(_deny_url(pending), {"note": "No."}, format="json").status_code == 403
    pending.refresh_from_db()
    assert pending.status == Variance.Status.PENDING


def test_a_decided_variance_is_a_400(api: APIClient, ada: User, pending: Variance) -> None:
    api.force_authenticate(ada)
    api.post(_approve_url(pending), {}, format="json")
    response = api.post(_deny_url(pending), {"note": "Changed my mind."}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
