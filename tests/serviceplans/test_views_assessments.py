"""The comprehensive assessment's pages: start (from the client page), the author's draft,
the read-only page with its addenda, and the assessments card of the client page. (Another
team's 404 on the read-only page is a row of tests/test_url_matrix.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from clients.models import AccessLog
from serviceplans.models import Assessment, AssessmentAddendum, Domain
from tests import factories

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def draft(frozen, alice):
    """alice's initial draft; her client applied on 20 February."""
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2026, 2, 20)
    )
    assessment = factories.AssessmentFactory(enrollment=enrollment)
    for domain in Domain.values:
        assessment.findings.create(domain=domain)
    return assessment


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _form(**overrides):
    """Every domain written up and rated, and a completion date of today."""
    data = {"summary": "Anxious, engaged, school is the priority.", "completed_on": "2026-03-02"}
    for domain in Domain.values:
        data[f"{domain}_findings"] = f"Findings on {domain}."
        data[f"{domain}_need_level"] = "moderate"
    data.update(overrides)
    return data


def _edit(client, assessment, action="save", **overrides):
    return client.post(
        reverse("serviceplans:assessment_edit", args=[assessment.pk]),
        {**_form(**overrides), "action": action},
    )


def _nothing_saved(assessment) -> bool:
    fresh = Assessment.objects.get(pk=assessment.pk)
    return (
        fresh.status == Assessment.Status.DRAFT
        and fresh.summary == ""
        and not fresh.findings.exclude(findings="", need_level="").exists()
    )


# --- Start ------------------------------------------------------------------------------------


def test_it_starts_an_assessment_and_opens_it(client, alice, enrollment):
    client.force_login(alice)
    response = client.post(reverse("serviceplans:assessment_start", args=[enrollment.pk]))
    assessment = Assessment.objects.get()
    assert response.url == reverse("serviceplans:assessment_edit", args=[assessment.pk])
    assert (assessment.kind, assessment.author) == (Assessment.Kind.INITIAL, alice)
    assert assessment.findings.count() == len(Domain.values)


def test_it_starts_only_from_a_post(client, alice, enrollment):
    client.force_login(alice)
    response = client.get(reverse("serviceplans:assessment_start", args=[enrollment.pk]))
    assert response.status_code == 405
    assert not Assessment.objects.exists()


def test_it_sends_a_second_start_back_to_the_client_with_the_reason(client, alice, enrollment):
    factories.AssessmentFactory(enrollment=enrollment)
    client.force_login(alice)
    response = client.post(reverse("serviceplans:assessment_start", args=[enrollment.pk]))
    assert response.url == reverse("workspace:client", args=[enrollment.client_id])
    assert _messages(response) == ["A draft assessment is already open for this enrollment."]
    assert Assessment.objects.count() == 1


def test_it_answers_403_to_a_teammate_starting_one(client, bob, enrollment):
    client.force_login(bob)
    response = client.post(reverse("serviceplans:assessment_start", args=[enrollment.pk]))
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_it_answers_404_to_another_team_starting_one(client, charlie, enrollment):
    client.force_login(charlie)
    response = client.post(reverse("serviceplans:assessment_start", args=[enrollment.pk]))
    assert response.status_code == 404
    assert not Assessment.objects.exists()
    assert AccessLog.objects.get().action == AccessLog.Action.DENIED


# --- The draft --------------------------------------------------------------------------------


def test_it_shows_the_eight_domains_with_findings_and_need_level(client, alice, draft):
    client.force_login(alice)
    response = client.get(reverse("serviceplans:assessment_edit", args=[draft.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert [label for label, _, _ in form.domains()] == list(Domain.labels)
    assert 'name="strengths_need_level"' in response.content.decode()
    assert form["completed_on"].value() == TODAY


def test_it_saves_the_draft(client, alice, draft):
    client.force_login(alice)
    response = _edit(client, draft, housing_need_level="high", housing_findings="Eviction notice.")
    assert response.url == reverse("serviceplans:assessment_edit", args=[draft.pk])
    housing = draft.findings.get(domain="housing")
    assert (housing.findings, housing.need_level) == ("Eviction notice.", "high")
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == ("draft", "Anxious, engaged, school is the priority.")


def test_it_saves_a_draft_with_domains_not_yet_rated(client, alice, draft):
    client.force_login(alice)
    response = _edit(client, draft, legal_need_level="", legal_findings="")
    assert response.status_code == 302
    assert draft.findings.get(domain="legal").need_level == ""


def test_it_completes_and_locks_with_the_last_edits(client, alice, draft):
    client.force_login(alice)
    response = _edit(client, draft, action="complete", strengths_findings="Loves football.")
    assert response.url == reverse("serviceplans:assessment_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.status, draft.completed_on) == (Assessment.Status.COMPLETED, TODAY)
    assert draft.findings.get(domain="strengths").findings == "Loves football."
    assert _messages(response) == ["Assessment completed and locked."]


def test_it_refuses_completion_before_the_application_date(client, alice, draft):
    client.force_login(alice)
    response = _edit(client, draft, action="complete", completed_on="2026-02-19")
    assert response.status_code == 400
    assert response.context["form"].errors["completed_on"] == [
        "The completion date cannot be before the application date."
    ]
    assert _nothing_saved(draft)


def test_it_refuses_completion_in_the_future(client, alice, draft):
    client.force_login(alice)
    response = _edit(client, draft, action="complete", completed_on="2026-03-03")
    assert response.status_code == 400
    assert response.context["form"].errors["completed_on"] == [
        "The completion date cannot be in the future."
    ]
    assert _nothing_saved(draft)


def test_it_refuses_completion_without_a_date(client, alice, draft):
    client.force_login(alice)
    response = _edit(client, draft, action="complete", completed_on="")
    assert response.status_code == 400
    assert "completed_on" in response.context["form"].errors
    assert _nothing_saved(draft)


def test_it_refuses_completion_with_a_domain_not_rated(client, alice, draft):
    client.force_login(alice)
    response = _edit(client, draft, action="complete", family_need_level="")
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["family_need_level"] == ["Rate the need in this domain."]
    assert form.non_field_errors() == ["Rate the need in every domain: Family and relationships."]
    assert "housing_need_level" not in form.errors
    assert _nothing_saved(draft)


def test_it_refuses_an_unknown_need_level(client, alice, draft):
    client.force_login(alice)
    response = _edit(client, draft, housing_need_level="extreme")
    assert response.status_code == 400
    assert "housing_need_level" in response.context["form"].errors
    assert _nothing_saved(draft)


def test_it_sends_an_edit_of_a_locked_assessment_to_its_page(client, alice, enrollment):
    completed = factories.AssessmentFactory(enrollment=enrollment, completed=True, summary="Done.")
    client.force_login(alice)
    response = _edit(client, completed, summary="Rewritten.")
    assert response.url == reverse("serviceplans:assessment_detail", args=[completed.pk])
    assert _messages(response) == [
        "This assessment is completed and locked; add an addendum instead."
    ]
    completed.refresh_from_db()
    assert completed.summary == "Done."


def test_it_answers_403_to_a_teammate_editing(client, bob, draft):
    client.force_login(bob)
    response = _edit(client, draft)
    assert response.status_code == 403
    assert _nothing_saved(draft)


def test_it_answers_403_to_the_supervisor_editing_the_authors_draft(client, sam, draft):
    client.force_login(sam)
    response = _edit(client, draft)
    assert response.status_code == 403
    assert _nothing_saved(draft)


def test_it_answers_404_to_another_team_editing(client, charlie, draft):
    client.force_login(charlie)
    response = _edit(client, draft)
    assert response.status_code == 404
    assert _nothing_saved(draft)


# --- The assessment's page and its addenda ----------------------------------------------------


@pytest.fixture
def completed(frozen, alice, enrollment):
    assessment = factories.AssessmentFactory(
        enrollment=enrollment, completed=True, summary="Engaged; school first."
    )
    for domain in Domain.values:
        assessment.findings.create(domain=domain, findings=f"On {domain}.", need_level="low")
    return assessment


def test_it_shows_a_completed_assessment_to_a_reader(client, bob, completed):
    client.force_login(bob)
    response = client.get(reverse("serviceplans:assessment_detail", args=[completed.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Engaged; school first." in page
    assert "Education / employment" in page
    assert "Completed" in page
    assert response.context["addendum_form"] is None


def test_it_logs_a_view_of_the_assessment(client, bob, completed):
    client.force_login(bob)
    client.get(reverse("serviceplans:assessment_detail", args=[completed.pk]))
    row = AccessLog.objects.get()
    assert (row.user, row.client_id, row.action) == (
        bob,
        completed.enrollment.client_id,
        AccessLog.Action.VIEWED,
    )


def test_it_offers_the_addendum_form_to_a_writer(client, alice, completed):
    client.force_login(alice)
    response = client.get(reverse("serviceplans:assessment_detail", args=[completed.pk]))
    assert response.context["addendum_form"] is not None


def test_it_adds_an_addendum(client, alice, completed):
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:assessment_addendum", args=[completed.pk]),
        {"note": "School records arrived."},
    )
    assert response.url == reverse("serviceplans:assessment_detail", args=[completed.pk])
    assert [(a.author, a.note) for a in completed.addenda.all()] == [
        (alice, "School records arrived.")
    ]
    completed.refresh_from_db()
    assert completed.summary == "Engaged; school first."


def test_it_shows_the_addenda_on_the_page(client, bob, alice, completed):
    AssessmentAddendum.objects.create(assessment=completed, author=alice, note="IEP in place.")
    client.force_login(bob)
    response = client.get(reverse("serviceplans:assessment_detail", args=[completed.pk]))
    assert "IEP in place." in response.content.decode()


def test_it_refuses_an_empty_addendum(client, alice, completed):
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:assessment_addendum", args=[completed.pk]), {"note": ""}
    )
    assert response.status_code == 400
    assert "note" in response.context["addendum_form"].errors
    assert not AssessmentAddendum.objects.exists()


def test_it_refuses_an_addendum_to_a_draft(client, alice, draft):
    client.force_login(alice)
    response = client.post(
        reverse("serviceplans:assessment_addendum", args=[draft.pk]), {"note": "Too early."}
    )
    assert response.status_code == 400
    assert response.context["addendum_form"].non_field_errors() == [
        "Edit the draft itself; addenda are for completed assessments."
    ]
    assert not AssessmentAddendum.objects.exists()


def test_it_answers_403_to_a_teammate_adding_an_addendum(client, bob, completed):
    client.force_login(bob)
    response = client.post(
        reverse("serviceplans:assessment_addendum", args=[completed.pk]), {"note": "Not mine."}
    )
    assert response.status_code == 403
    assert not AssessmentAddendum.objects.exists()


def test_it_answers_404_to_another_team_adding_an_addendum(client, charlie, completed):
    client.force_login(charlie)
    response = client.post(
        reverse("serviceplans:assessment_addendum", args=[completed.pk]), {"note": "Outsider."}
    )
    assert response.status_code == 404
    assert not AssessmentAddendum.objects.exists()


# --- The client page --------------------------------------------------------------------------


def _client_page(client, user, enrollment):
    client.force_login(user)
    return client.get(reverse("workspace:client", args=[enrollment.client_id]))


def test_it_shows_when_the_initial_assessment_is_due(client, alice, frozen):
    # Applied 10 February: the initial assessment is due 12 March, in 10 days.
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2026, 2, 10)
    )
    response = _client_page(client, alice, enrollment)
    assert "due in 10 days" in response.content.decode()


def test_it_shows_an_overdue_update(client, alice, frozen):
    # Last completed 25 February 2025: the update was due 25 February 2026.
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2025, 2, 1)
    )
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=dt.date(2025, 2, 25)
    )
    response = _client_page(client, alice, enrollment)
    assert "overdue by 5 days" in response.content.decode()


@pytest.mark.parametrize(("due_in", "tone"), [(7, "warning"), (8, "light"), (-1, "danger")])
def test_it_shows_how_soon_the_next_assessment_is_due(client, alice, frozen, due_in, tone):
    # Due soon within due_dates.ASSESSMENT_DUE_SOON_DAYS (7): the page shows the domain's tone.
    due_on = FROZEN.date() + dt.timedelta(days=due_in)
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=due_on - dt.timedelta(days=30)
    )
    response = _client_page(client, alice, enrollment)
    (item,) = response.context["assessments"].enrollments
    assert item.due.tone == tone
    assert f'class="badge text-bg-{tone} border"' in response.content.decode()


def test_it_lists_the_enrollments_assessments(client, bob, enrollment):
    first = factories.AssessmentFactory(enrollment=enrollment, completed=True)
    update = factories.AssessmentFactory(enrollment=enrollment, kind=Assessment.Kind.UPDATE)
    response = _client_page(client, bob, enrollment)
    (item,) = response.context["assessments"].enrollments
    assert item.assessments == [update, first]
    assert item.draft == update
    page = response.content.decode()
    assert reverse("serviceplans:assessment_detail", args=[first.pk]) in page
    assert reverse("serviceplans:assessment_detail", args=[update.pk]) in page


def test_it_offers_a_writer_the_start_button(client, alice, enrollment):
    response = _client_page(client, alice, enrollment)
    assert reverse("serviceplans:assessment_start", args=[enrollment.pk]) in (
        response.content.decode()
    )


def test_it_offers_no_start_button_while_a_draft_is_open(client, alice, enrollment):
    draft = factories.AssessmentFactory(enrollment=enrollment)
    page = _client_page(client, alice, enrollment).content.decode()
    assert reverse("serviceplans:assessment_start", args=[enrollment.pk]) not in page
    assert reverse("serviceplans:assessment_edit", args=[draft.pk]) in page


def test_it_offers_a_reader_no_buttons(client, bob, enrollment):
    page = _client_page(client, bob, enrollment).content.decode()
    assert reverse("serviceplans:assessment_start", args=[enrollment.pk]) not in page
    assert reverse("serviceplans:risk_screen_create", args=[enrollment.pk]) not in page
