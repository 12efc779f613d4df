"""/api/v1/enrollments/: open, update, transfer and close through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Client, Enrollment, Program
from tests import factories
from tests.helpers import listed_ids, today

pytestmark = pytest.mark.django_db

LIST_URL = reverse("enrollment-list")


def detail_url(enrollment: Enrollment) -> str:
    return reverse("enrollment-detail", args=[enrollment.pk])


def transfer_url(enrollment: Enrollment) -> str:
    return reverse("enrollment-transfer", args=[enrollment.pk])


def close_url(enrollment: Enrollment) -> str:
    return reverse("enrollment-close", args=[enrollment.pk])


@pytest.fixture
def program(db: None) -> Program:
    return factories.ProgramFactory(name="HIV community follow-up", code="hiv")


def opening(*, client: Client, program: Program, case_manager: User, **overrides: object) -> dict:
    return {
        "client": client.pk,
        "program": program.pk,
        "case_manager": case_manager.pk,
        "application_date": (today() - dt.timedelta(days=2)).isoformat(),
        "continuum_stage": Enrollment.ContinuumStage.CASE_FINDING,
        "case_management_model": Enrollment.Model.BROKER_GENERALIST,
        "presenting_issue": "Newly diagnosed, not yet linked to medical care.",
        **overrides,
    }


# --- List -------------------------------------------------------------------------------------


def test_it_lists_the_enrollments_of_the_own_team(
    api: APIClient, alice: User, bob: User, enrollment: Enrollment
) -> None:
    bobs = factories.EnrollmentFactory(case_manager=bob)
    api.force_login(alice)
    response = api.get(LIST_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {enrollment.pk, bobs.pk}


def test_it_hides_another_teams_enrollments(
    api: APIClient, charlie: User, enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    api.force_login(charlie)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {other_enrollment.pk}


def test_it_lists_every_enrollment_for_an_administrator(
    api: APIClient, ada: User, enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    api.force_login(ada)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {enrollment.pk, other_enrollment.pk}


def test_it_filters_enrollments_by_client(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    factories.EnrollmentFactory(case_manager=alice)
    api.force_login(alice)
    response = api.get(LIST_URL, {"client": enrollment.client_id})
    assert listed_ids(response) == {enrollment.pk}


def test_it_filters_enrollments_by_status(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    closed = factories.EnrollmentFactory(
        case_manager=alice,
        status=Enrollment.Status.CLOSED,
        closed_on=today(),
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )
    api.force_login(alice)
    response = api.get(LIST_URL, {"status": "closed"})
    assert listed_ids(response) == {closed.pk}


def test_it_filters_enrollments_by_case_manager(
    api: APIClient, alice: User, bob: User, enrollment: Enrollment
) -> None:
    bobs = factories.EnrollmentFactory(case_manager=bob)
    api.force_login(alice)
    response = api.get(LIST_URL, {"case_manager": bob.pk})
    assert listed_ids(response) == {bobs.pk}


def test_it_finds_nothing_when_filtering_by_another_teams_client(
    api: APIClient, alice: User, enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.get(LIST_URL, {"client": other_enrollment.client_id})
    assert response.status_code == 200
    assert listed_ids(response) == set()


def test_it_rejects_an_unknown_status_filter(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.get(LIST_URL, {"status": "archived"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_it_lists_enrollments_in_a_constant_number_of_queries(
    api: APIClient, sam: User, alice: User, bob: User
) -> None:
    api.force_login(sam)
    api.get(LIST_URL)  # the session's first request stamps the login time

    def queries_for_list(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(LIST_URL)
        assert response.json()["count"] == expected_rows
        return len(queries.captured_queries)

    factories.EnrollmentFactory.create_batch(5, case_manager=alice)
    at_five = queries_for_list(5)
    factories.EnrollmentFactory.create_batch(45, case_manager=bob)
    assert queries_for_list(50) == at_five


# --- Retrieve ---------------------------------------------------------------------------------


def test_it_retrieves_an_enrollment(api: APIClient, alice: User, enrollment: Enrollment) -> None:
    api.force_login(alice)
    response = api.get(detail_url(enrollment))
    assert response.status_code == 200
    assert response.json()["client"] == enrollment.client_id
    assert response.json()["status"] == "open"


def test_it_logs_a_denied_row_for_another_teams_enrollment(
    api: APIClient, charlie: User, enrollment: Enrollment
) -> None:
    api.force_login(charlie)
    api.get(detail_url(enrollment))
    assert AccessLog.objects.filter(
        user=charlie, client_id=enrollment.client_id, action=AccessLog.Action.DENIED
    ).exists()


# --- Open -------------------------------------------------------------------------------------


def test_it_opens_an_enrollment(
    api: APIClient, alice: User, client_record: Client, program: Program
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        opening(client=client_record, program=program, case_manager=alice),
        format="json",
    )
    assert response.status_code == 201
    opened = Enrollment.objects.get(pk=response.json()["id"])
    assert (opened.client, opened.program, opened.team_id) == (
        client_record,
        program,
        alice.team_id,
    )


def test_it_lets_a_supervisor_open_an_enrollment_for_a_case_manager(
    api: APIClient, sam: User, bob: User, client_record: Client, program: Program
) -> None:
    api.force_login(sam)
    response = api.post(
        LIST_URL, opening(client=client_record, program=program, case_manager=bob), format="json"
    )
    assert response.status_code == 201
    assert response.json()["case_manager"] == bob.pk


def test_it_rejects_an_enrollment_for_another_teams_client(
    api: APIClient, charlie: User, client_record: Client, program: Program
) -> None:
    api.force_login(charlie)
    response = api.post(
        LIST_URL,
        opening(client=client_record, program=program, case_manager=charlie),
        format="json",
    )
    assert response.status_code == 400
    assert "client" in response.json()
    assert Enrollment.objects.count() == 1


def test_it_rejects_a_case_manager_of_another_team(
    api: APIClient, alice: User, charlie: User, client_record: Client, program: Program
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        opening(client=client_record, program=program, case_manager=charlie),
        format="json",
    )
    assert response.status_code == 400
    assert "case_manager" in response.json()
    assert Enrollment.objects.count() == 1


def test_it_rejects_a_case_manager_opening_on_a_colleagues_caseload(
    api: APIClient, alice: User, bob: User, client_record: Client, program: Program
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL, opening(client=client_record, program=program, case_manager=bob), format="json"
    )
    assert response.status_code == 400
    assert "case_manager" in response.json()
    assert Enrollment.objects.count() == 1


def test_it_rejects_a_second_open_enrollment_in_the_same_program(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        opening(client=enrollment.client, program=enrollment.program, case_manager=alice),
        format="json",
    )
    assert response.status_code == 400
    assert "program" in response.json()
    assert Enrollment.objects.count() == 1


def test_it_rejects_a_future_application_date(
    api: APIClient, alice: User, client_record: Client, program: Program
) -> None:
    tomorrow = today() + dt.timedelta(days=1)
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        opening(
            client=client_record,
            program=program,
            case_manager=alice,
            application_date=tomorrow.isoformat(),
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "application_date" in response.json()
    assert Enrollment.objects.count() == 1


def test_it_opens_an_enrollment_after_an_inpatient_discharge(
    api: APIClient, alice: User, client_record: Client, program: Program
) -> None:
    discharged_on = today() - dt.timedelta(days=5)
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        opening(
            client=client_record,
            program=program,
            case_manager=alice,
            prior_discharge_on=discharged_on.isoformat(),
            prior_discharge_from="inpatient",
        ),
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["prior_discharge_on"], body["prior_discharge_from"]) == (
        discharged_on.isoformat(),
        "inpatient",
    )


def test_it_rejects_a_discharge_in_the_future(
    api: APIClient, alice: User, client_record: Client, program: Program
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        opening(
            client=client_record,
            program=program,
            case_manager=alice,
            prior_discharge_on=(today() + dt.timedelta(days=1)).isoformat(),
            prior_discharge_from="detox",
        ),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["prior_discharge_on"]
    assert Enrollment.objects.count() == 1


def test_it_rejects_a_discharge_date_without_where_from(
    api: APIClient, alice: User, client_record: Client, program: Program
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        opening(
            client=client_record,
            program=program,
            case_manager=alice,
            prior_discharge_on=today().isoformat(),
        ),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["prior_discharge_from"]
    assert Enrollment.objects.count() == 1


def test_it_rejects_an_unknown_kind_of_discharge(
    api: APIClient, alice: User, client_record: Client, program: Program
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        opening(
            client=client_record,
            program=program,
            case_manager=alice,
            prior_discharge_on=today().isoformat(),
            prior_discharge_from="jail",
        ),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["prior_discharge_from"]
    assert Enrollment.objects.count() == 1


def test_it_forbids_an_administrator_opening_an_enrollment(
    api: APIClient, ada: User, alice: User, client_record: Client, program: Program
) -> None:
    api.force_login(ada)
    response = api.post(
        LIST_URL,
        opening(client=client_record, program=program, case_manager=alice),
        format="json",
    )
    assert response.status_code == 403
    assert Enrollment.objects.count() == 1


# --- Update -----------------------------------------------------------------------------------


def test_it_updates_the_continuum_stage(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(enrollment), {"continuum_stage": "aftercare"}, format="json")
    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.continuum_stage == Enrollment.ContinuumStage.AFTERCARE


def test_it_records_a_discharge_on_an_update(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.patch(
        detail_url(enrollment),
        {"prior_discharge_on": today().isoformat(), "prior_discharge_from": "detox"},
        format="json",
    )
    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert (enrollment.prior_discharge_on, enrollment.prior_discharge_from) == (today(), "detox")


def test_it_rejects_where_from_without_a_discharge_date_on_an_update(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(enrollment), {"prior_discharge_from": "detox"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["prior_discharge_on"]
    enrollment.refresh_from_db()
    assert enrollment.prior_discharge_from == ""


def test_it_leaves_the_case_manager_out_of_an_update(
    api: APIClient, alice: User, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(enrollment), {"case_manager": bob.pk}, format="json")
    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.case_manager == alice


def test_it_rejects_an_unknown_continuum_stage(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(enrollment), {"continuum_stage": "detox"}, format="json")
    assert response.status_code == 400
    assert "continuum_stage" in response.json()


def test_it_forbids_a_teammate_updating_an_enrollment(
    api: APIClient, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(bob)
    response = api.patch(detail_url(enrollment), {"continuum_stage": "aftercare"}, format="json")
    assert response.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.continuum_stage == Enrollment.ContinuumStage.PRIMARY_TREATMENT


def test_it_does_not_replace_an_enrollment_with_put(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.put(detail_url(enrollment), {"continuum_stage": "aftercare"}, format="json")
    assert response.status_code == 405


def test_it_does_not_delete_an_enrollment(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.delete(detail_url(enrollment))
    assert response.status_code == 405
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


# --- Transfer ---------------------------------------------------------------------------------


def test_it_transfers_an_enrollment_to_a_teammate(
    api: APIClient, alice: User, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(transfer_url(enrollment), {"case_manager": bob.pk}, format="json")
    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.case_manager == bob


def test_it_keeps_a_transfer_in_history(
    api: APIClient, alice: User, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    api.post(transfer_url(enrollment), {"case_manager": bob.pk}, format="json")
    assigned = list(
        Enrollment.pgh_event_model.objects.filter(pgh_obj=enrollment)
        .order_by("pgh_id")
        .values_list("case_manager_id", flat=True)
    )
    assert assigned == [alice.pk, bob.pk]


def test_it_rejects_a_transfer_to_another_team(
    api: APIClient, alice: User, charlie: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(transfer_url(enrollment), {"case_manager": charlie.pk}, format="json")
    assert response.status_code == 400
    assert "case_manager" in response.json()
    enrollment.refresh_from_db()
    assert enrollment.case_manager == alice


def test_it_rejects_a_transfer_to_the_same_case_manager(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(transfer_url(enrollment), {"case_manager": alice.pk}, format="json")
    assert response.status_code == 400
    assert "case_manager" in response.json()


def test_it_lets_a_supervisor_transfer_an_enrollment(
    api: APIClient, sam: User, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(sam)
    response = api.post(transfer_url(enrollment), {"case_manager": bob.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["case_manager"] == bob.pk


def test_it_forbids_a_teammate_transferring_an_enrollment(
    api: APIClient, alice: User, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(bob)
    response = api.post(transfer_url(enrollment), {"case_manager": bob.pk}, format="json")
    assert response.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.case_manager == alice


def test_it_closes_an_enrollment(api: APIClient, alice: User, enrollment: Enrollment) -> None:
    api.force_login(alice)
    response = api.post(
        close_url(enrollment),
        {"closed_on": today().isoformat(), "close_reason": "goals_met", "close_note": "Done."},
        format="json",
    )
    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.closed_on, enrollment.close_reason) == (
        Enrollment.Status.CLOSED,
        today(),
        Enrollment.CloseReason.GOALS_MET,
    )


def test_it_rejects_a_closing_date_in_the_future(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    tomorrow = today() + dt.timedelta(days=1)
    api.force_login(alice)
    response = api.post(
        close_url(enrollment),
        {"closed_on": tomorrow.isoformat(), "close_reason": "goals_met"},
        format="json",
    )
    assert response.status_code == 400
    assert "closed_on" in response.json()
    enrollment.refresh_from_db()
    assert enrollment.is_open


def test_it_rejects_a_closing_date_before_the_application(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    before = enrollment.application_date - dt.timedelta(days=1)
    response = api.post(
        close_url(enrollment),
        {"closed_on": before.isoformat(), "close_reason": "goals_met"},
        format="json",
    )
    assert response.status_code == 400
    assert "closed_on" in response.json()
    enrollment.refresh_from_db()
    assert enrollment.is_open


def test_it_rejects_closing_without_a_reason(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(close_url(enrollment), {"closed_on": today().isoformat()}, format="json")
    assert response.status_code == 400
    assert "close_reason" in response.json()


def test_it_rejects_closing_a_closed_enrollment(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    body = {"closed_on": today().isoformat(), "close_reason": "goals_met"}
    api.force_login(alice)
    api.post(close_url(enrollment), body, format="json")
    response = api.post(close_url(enrollment), {**body, "close_reason": "moved"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    enrollment.refresh_from_db()
    assert enrollment.close_reason == Enrollment.CloseReason.GOALS_MET


def test_it_forbids_a_qa_reviewer_closing_an_enrollment(
    api: APIClient, quinn: User, enrollment: Enrollment
) -> None:
    api.force_login(quinn)
    response = api.post(
        close_url(enrollment),
        {"closed_on": today().isoformat(), "close_reason": "goals_met"},
        format="json",
    )
    assert response.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.is_open
