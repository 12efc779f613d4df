"""/api/v1/assessments/: drafts, completion and its lock, addenda, scope. (Another team's 404
on an assessment is a row of tests/test_url_matrix.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Enrollment
from serviceplans import services
from serviceplans.models import Assessment, AssessmentAddendum, AssessmentFinding, Domain
from tests import factories
from tests.helpers import listed_ids

pytestmark = pytest.mark.django_db

LIST_URL = reverse("assessment-list")


def detail_url(assessment: Assessment) -> str:
    return reverse("assessment-detail", args=[assessment.pk])


def complete_url(assessment: Assessment) -> str:
    return reverse("assessment-complete", args=[assessment.pk])


def addendum_url(assessment: Assessment) -> str:
    return reverse("assessment-addendum", args=[assessment.pk])


def every_domain_rated(level: str = "low") -> dict[str, dict[str, str]]:
    return {domain: {"findings": "Discussed.", "need_level": level} for domain in Domain.values}


@pytest.fixture
def draft(alice: User, enrollment: Enrollment) -> Assessment:
    """alice's draft, started as the service starts one: an empty finding per domain."""
    return services.assessment_start(actor=alice, enrollment=enrollment)


@pytest.fixture
def rated_draft(alice: User, draft: Assessment) -> Assessment:
    return services.assessment_save(actor=alice, assessment=draft, findings=every_domain_rated())


@pytest.fixture
def completed(alice: User, rated_draft: Assessment) -> Assessment:
    return services.assessment_complete(
        actor=alice, assessment=rated_draft, completed_on=timezone.localdate()
    )


# --- List and retrieve ------------------------------------------------------------------------


def test_it_lists_the_assessments_of_the_own_team(
    api: APIClient, bob: User, draft: Assessment
) -> None:
    api.force_login(bob)
    response = api.get(LIST_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {draft.pk}


def test_it_hides_another_teams_assessments(
    api: APIClient, charlie: User, draft: Assessment, other_enrollment: Enrollment
) -> None:
    theirs = factories.AssessmentFactory(enrollment=other_enrollment)
    api.force_login(charlie)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {theirs.pk}


def test_it_lists_every_assessment_for_an_administrator(
    api: APIClient, ada: User, draft: Assessment, other_enrollment: Enrollment
) -> None:
    theirs = factories.AssessmentFactory(enrollment=other_enrollment)
    api.force_login(ada)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {draft.pk, theirs.pk}


def test_it_lists_every_assessment_for_a_qa_reviewer(
    api: APIClient, quinn: User, draft: Assessment, other_enrollment: Enrollment
) -> None:
    theirs = factories.AssessmentFactory(enrollment=other_enrollment)
    api.force_login(quinn)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {draft.pk, theirs.pk}


def test_it_filters_assessments_by_enrollment(
    api: APIClient, alice: User, draft: Assessment
) -> None:
    elsewhere = factories.AssessmentFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice)
    )
    api.force_login(alice)
    response = api.get(LIST_URL, {"enrollment": elsewhere.enrollment_id})
    assert listed_ids(response) == {elsewhere.pk}


def test_it_filters_assessments_by_status(
    api: APIClient, alice: User, enrollment: Enrollment, draft: Assessment
) -> None:
    done = factories.AssessmentFactory(enrollment=enrollment, completed=True)
    api.force_login(alice)
    response = api.get(LIST_URL, {"status": Assessment.Status.COMPLETED})
    assert listed_ids(response) == {done.pk}


def test_it_lists_assessments_in_a_constant_number_of_queries(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    api.get(LIST_URL)  # the session's first request stamps the login time

    def queries_for_list(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(LIST_URL)
        assert response.json()["count"] == expected_rows
        return len(queries.captured_queries)

    def record(count: int) -> None:
        for assessment in factories.AssessmentFactory.create_batch(
            count, enrollment=enrollment, completed=True
        ):
            AssessmentFinding.objects.create(
                assessment=assessment, domain=Domain.HOUSING, need_level="low"
            )
            AssessmentAddendum.objects.create(assessment=assessment, author=alice, note="Later.")

    record(5)
    at_five = queries_for_list(5)
    record(45)
    assert queries_for_list(50) == at_five


def test_it_retrieves_an_assessment_with_a_finding_per_domain(
    api: APIClient, alice: User, draft: Assessment
) -> None:
    api.force_login(alice)
    response = api.get(detail_url(draft))
    assert response.status_code == 200
    assert [row["domain"] for row in response.json()["findings"]] == Domain.values


def test_it_shows_the_addenda_on_an_assessment(
    api: APIClient, alice: User, completed: Assessment
) -> None:
    services.assessment_add_addendum(actor=alice, assessment=completed, note="School called.")
    api.force_login(alice)
    response = api.get(detail_url(completed))
    assert [row["note"] for row in response.json()["addenda"]] == ["School called."]


def test_it_logs_a_denied_row_for_another_teams_assessment(
    api: APIClient, charlie: User, draft: Assessment
) -> None:
    api.force_login(charlie)
    api.get(detail_url(draft))
    assert AccessLog.objects.filter(
        user=charlie, action=AccessLog.Action.DENIED, path=detail_url(draft)
    ).exists()


# --- Start a draft ----------------------------------------------------------------------------


def test_it_starts_a_draft_assessment(api: APIClient, alice: User, enrollment: Enrollment) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, {"enrollment": enrollment.pk}, format="json")
    assert response.status_code == 201
    assessment = Assessment.objects.get(pk=response.json()["id"])
    assert (assessment.status, assessment.kind, assessment.author) == (
        Assessment.Status.DRAFT,
        Assessment.Kind.INITIAL,
        alice,
    )


def test_it_answers_a_new_draft_with_a_finding_per_domain(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, {"enrollment": enrollment.pk}, format="json")
    assert [row["domain"] for row in response.json()["findings"]] == Domain.values


def test_it_starts_an_update_once_an_assessment_is_completed(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True)
    api.force_login(alice)
    response = api.post(LIST_URL, {"enrollment": enrollment.pk}, format="json")
    assert response.json()["kind"] == Assessment.Kind.UPDATE


def test_it_refuses_a_second_draft(api: APIClient, alice: User, draft: Assessment) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, {"enrollment": draft.enrollment_id}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Assessment.objects.count() == 1


def test_it_rejects_an_assessment_for_another_teams_enrollment(
    api: APIClient, alice: User, other_enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, {"enrollment": other_enrollment.pk}, format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert not Assessment.objects.exists()


def test_it_forbids_a_teammate_starting_an_assessment(
    api: APIClient, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(bob)
    response = api.post(LIST_URL, {"enrollment": enrollment.pk}, format="json")
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_it_forbids_an_administrator_starting_an_assessment(
    api: APIClient, ada: User, enrollment: Enrollment
) -> None:
    api.force_login(ada)
    response = api.post(LIST_URL, {"enrollment": enrollment.pk}, format="json")
    assert response.status_code == 403
    assert not Assessment.objects.exists()


# --- Save the draft ---------------------------------------------------------------------------


def test_it_saves_findings_on_the_draft(api: APIClient, alice: User, draft: Assessment) -> None:
    api.force_login(alice)
    response = api.patch(
        detail_url(draft),
        {"findings": {"housing": {"findings": "Eviction notice.", "need_level": "high"}}},
        format="json",
    )
    assert response.status_code == 200
    housing = draft.findings.get(domain=Domain.HOUSING)
    assert (housing.findings, housing.need_level) == ("Eviction notice.", "high")


def test_it_saves_the_summary(api: APIClient, alice: User, draft: Assessment) -> None:
    api.force_login(alice)
    api.patch(detail_url(draft), {"summary": "Family under strain."}, format="json")
    draft.refresh_from_db()
    assert draft.summary == "Family under strain."


def test_it_rejects_an_unknown_domain(api: APIClient, alice: User, draft: Assessment) -> None:
    api.force_login(alice)
    response = api.patch(
        detail_url(draft),
        {"summary": "Changed.", "findings": {"astrology": {"need_level": "low"}}},
        format="json",
    )
    assert response.status_code == 400
    assert "findings" in response.json()
    draft.refresh_from_db()
    assert draft.summary == ""


def test_it_rejects_an_unknown_need_level(api: APIClient, alice: User, draft: Assessment) -> None:
    api.force_login(alice)
    response = api.patch(
        detail_url(draft), {"findings": {"housing": {"need_level": "dire"}}}, format="json"
    )
    assert response.status_code == 400
    assert "findings" in response.json()
    assert draft.findings.get(domain=Domain.HOUSING).need_level == ""


def test_it_refuses_to_edit_a_completed_assessment(
    api: APIClient, alice: User, completed: Assessment
) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(completed), {"summary": "Rewritten."}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    completed.refresh_from_db()
    assert completed.summary == ""


def test_it_forbids_the_supervisor_editing_the_authors_draft(
    api: APIClient, sam: User, draft: Assessment
) -> None:
    api.force_login(sam)
    response = api.patch(detail_url(draft), {"summary": "Rewritten."}, format="json")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.summary == ""


def test_it_forbids_a_teammate_editing_a_draft(
    api: APIClient, bob: User, draft: Assessment
) -> None:
    api.force_login(bob)
    response = api.patch(detail_url(draft), {"summary": "Rewritten."}, format="json")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.summary == ""


def test_it_answers_404_to_an_edit_of_another_teams_draft(
    api: APIClient, charlie: User, draft: Assessment
) -> None:
    api.force_login(charlie)
    response = api.patch(detail_url(draft), {"summary": "Rewritten."}, format="json")
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.summary == ""


# --- Complete ---------------------------------------------------------------------------------


def test_it_completes_and_locks_a_rated_draft(
    api: APIClient, alice: User, rated_draft: Assessment
) -> None:
    api.force_login(alice)
    today = timezone.localdate()
    response = api.post(complete_url(rated_draft), {"completed_on": today}, format="json")
    assert response.status_code == 200
    rated_draft.refresh_from_db()
    assert (rated_draft.status, rated_draft.completed_on) == (Assessment.Status.COMPLETED, today)


def test_it_completes_on_the_application_date(
    api: APIClient, alice: User, enrollment: Enrollment, rated_draft: Assessment
) -> None:
    api.force_login(alice)
    response = api.post(
        complete_url(rated_draft), {"completed_on": enrollment.application_date}, format="json"
    )
    assert response.status_code == 200


def test_it_rejects_a_completion_before_the_application_date(
    api: APIClient, alice: User, enrollment: Enrollment, rated_draft: Assessment
) -> None:
    api.force_login(alice)
    day_before = enrollment.application_date - dt.timedelta(days=1)
    response = api.post(complete_url(rated_draft), {"completed_on": day_before}, format="json")
    assert response.status_code == 400
    assert "completed_on" in response.json()
    rated_draft.refresh_from_db()
    assert rated_draft.status == Assessment.Status.DRAFT


def test_it_rejects_a_completion_in_the_future(
    api: APIClient, alice: User, rated_draft: Assessment
) -> None:
    api.force_login(alice)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = api.post(complete_url(rated_draft), {"completed_on": tomorrow}, format="json")
    assert response.status_code == 400
    assert "completed_on" in response.json()
    rated_draft.refresh_from_db()
    assert rated_draft.status == Assessment.Status.DRAFT


def test_it_rejects_a_completion_without_a_date(
    api: APIClient, alice: User, rated_draft: Assessment
) -> None:
    api.force_login(alice)
    response = api.post(complete_url(rated_draft), {}, format="json")
    assert response.status_code == 400
    assert "completed_on" in response.json()


def test_it_refuses_to_complete_with_a_domain_unrated(
    api: APIClient, alice: User, draft: Assessment
) -> None:
    api.force_login(alice)
    response = api.post(complete_url(draft), {"completed_on": timezone.localdate()}, format="json")
    assert response.status_code == 400
    assert "findings" in response.json()
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_it_forbids_the_supervisor_completing_the_authors_draft(
    api: APIClient, sam: User, rated_draft: Assessment
) -> None:
    api.force_login(sam)
    response = api.post(
        complete_url(rated_draft), {"completed_on": timezone.localdate()}, format="json"
    )
    assert response.status_code == 403
    rated_draft.refresh_from_db()
    assert rated_draft.status == Assessment.Status.DRAFT


# --- Addenda ----------------------------------------------------------------------------------


def test_it_adds_an_addendum_to_a_completed_assessment(
    api: APIClient, alice: User, completed: Assessment
) -> None:
    api.force_login(alice)
    response = api.post(addendum_url(completed), {"note": "School called."}, format="json")
    assert response.status_code == 201
    assert list(completed.addenda.values_list("note", flat=True)) == ["School called."]


def test_it_refuses_an_addendum_on_a_draft(api: APIClient, alice: User, draft: Assessment) -> None:
    api.force_login(alice)
    response = api.post(addendum_url(draft), {"note": "Too early."}, format="json")
    assert response.status_code == 400
    assert not draft.addenda.exists()


def test_it_rejects_an_empty_addendum(api: APIClient, alice: User, completed: Assessment) -> None:
    api.force_login(alice)
    response = api.post(addendum_url(completed), {"note": ""}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    assert not completed.addenda.exists()


def test_it_lets_the_supervisor_add_an_addendum(
    api: APIClient, sam: User, completed: Assessment
) -> None:
    api.force_login(sam)
    response = api.post(addendum_url(completed), {"note": "Discussed."}, format="json")
    assert response.status_code == 201


def test_it_forbids_a_teammate_adding_an_addendum(
    api: APIClient, bob: User, completed: Assessment
) -> None:
    api.force_login(bob)
    response = api.post(addendum_url(completed), {"note": "Not mine."}, format="json")
    assert response.status_code == 403
    assert not completed.addenda.exists()


def test_it_answers_404_to_an_addendum_on_another_teams_assessment(
    api: APIClient, charlie: User, completed: Assessment
) -> None:
    api.force_login(charlie)
    response = api.post(addendum_url(completed), {"note": "Not mine."}, format="json")
    assert response.status_code == 404
    assert not completed.addenda.exists()


# --- Nothing deleted or replaced --------------------------------------------------------------


def test_it_does_not_delete_an_assessment(api: APIClient, alice: User, draft: Assessment) -> None:
    api.force_login(alice)
    response = api.delete(detail_url(draft))
    assert response.status_code == 405
    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_it_does_not_replace_an_assessment_with_put(
    api: APIClient, alice: User, draft: Assessment
) -> None:
    api.force_login(alice)
    response = api.put(detail_url(draft), {"summary": "Replaced."}, format="json")
    assert response.status_code == 405


# --- Schema -----------------------------------------------------------------------------------


def test_it_publishes_the_assessment_endpoints_in_the_schema(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert {
        "/api/v1/assessments/",
        "/api/v1/assessments/{id}/",
        "/api/v1/assessments/{id}/complete/",
        "/api/v1/assessments/{id}/addendum/",
    } <= set(paths)
