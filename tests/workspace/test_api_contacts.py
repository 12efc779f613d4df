"""/api/v1/contacts/: the staff log, its bad inputs, the 24-hour correction window, addenda,
and the service-plan goals a contact served."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Contact, ContactAddendum, Enrollment
from serviceplans.models import ContactGoal, Goal, ServicePlan
from tests import factories
from tests.helpers import assert_list_queries_constant, listed_ids

pytestmark = pytest.mark.django_db

LIST_URL = reverse("contact-list")


def detail_url(contact: Contact) -> str:
    return reverse("contact-detail", args=[contact.pk])


def addendum_url(contact: Contact) -> str:
    return reverse("contact-addendum", args=[contact.pk])


def home_visit(*, enrollment: Enrollment, **overrides: object) -> dict[str, object]:
    return {
        "enrollment": enrollment.pk,
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "contact_type": Contact.Type.HOME_VISIT,
        "duration_minutes": 50,
        "travel_minutes": 20,
        "participants": "Client and mother",
        "location": "Family home",
        "note": "Reviewed the school plan with the family.",
        **overrides,
    }


@pytest.fixture
def contact(enrollment: Enrollment) -> Contact:
    """A phone contact alice recorded just now (so its correction window is open)."""
    return factories.ContactFactory(enrollment=enrollment, note="Original note.")


# --- List and retrieve ------------------------------------------------------------------------


def test_it_lists_the_contacts_of_the_own_team(api: APIClient, bob: User, contact: Contact) -> None:
    api.force_login(bob)
    response = api.get(LIST_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {contact.pk}


def test_it_hides_another_teams_contacts(
    api: APIClient, charlie: User, contact: Contact, other_enrollment: Enrollment
) -> None:
    theirs = factories.ContactFactory(enrollment=other_enrollment)
    api.force_login(charlie)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {theirs.pk}


def test_it_lists_every_contact_for_a_qa_reviewer(
    api: APIClient, quinn: User, contact: Contact, other_enrollment: Enrollment
) -> None:
    theirs = factories.ContactFactory(enrollment=other_enrollment)
    api.force_login(quinn)
    response = api.get(LIST_URL)
    assert listed_ids(response) == {contact.pk, theirs.pk}


def test_it_filters_contacts_by_enrollment(api: APIClient, alice: User, contact: Contact) -> None:
    elsewhere = factories.ContactFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    api.force_login(alice)
    response = api.get(LIST_URL, {"enrollment": elsewhere.enrollment_id})
    assert listed_ids(response) == {elsewhere.pk}


def test_it_filters_contacts_by_client(api: APIClient, alice: User, contact: Contact) -> None:
    factories.ContactFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    api.force_login(alice)
    response = api.get(LIST_URL, {"client": contact.client_id})
    assert listed_ids(response) == {contact.pk}


def test_it_lists_contacts_newest_first(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    older = factories.ContactFactory(
        enrollment=enrollment, occurred_at=timezone.now() - dt.timedelta(days=3)
    )
    newer = factories.ContactFactory(
        enrollment=enrollment, occurred_at=timezone.now() - dt.timedelta(hours=3)
    )
    api.force_login(alice)
    response = api.get(LIST_URL)
    assert [row["id"] for row in response.json()["results"]] == [newer.pk, older.pk]


def test_it_lists_contacts_in_a_constant_number_of_queries(
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
        for contact in factories.ContactFactory.create_batch(count, enrollment=enrollment):
            ContactAddendum.objects.create(contact=contact, author=alice, note="Later detail.")

    record(5)
    at_five = queries_for_list(5)
    record(45)
    assert queries_for_list(50) == at_five


def test_it_retrieves_a_contact_with_its_billable_units(
    api: APIClient, alice: User, contact: Contact
) -> None:
    api.force_login(alice)
    response = api.get(detail_url(contact))
    assert response.status_code == 200
    assert response.json()["billable_units"] == 1  # 20 minutes: one unit, 5 left over


def test_it_logs_a_denied_row_for_another_teams_contact(
    api: APIClient, charlie: User, contact: Contact
) -> None:
    api.force_login(charlie)
    api.get(detail_url(contact))
    assert AccessLog.objects.filter(
        user=charlie, client_id=contact.client_id, action=AccessLog.Action.DENIED
    ).exists()


# --- Record -----------------------------------------------------------------------------------


def test_it_records_a_contact(api: APIClient, alice: User, enrollment: Enrollment) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, home_visit(enrollment=enrollment), format="json")
    assert response.status_code == 201
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.author, contact.client_id) == (alice, enrollment.client_id)


def test_it_answers_a_new_contact_with_its_billable_units(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, home_visit(enrollment=enrollment), format="json")
    # 50 minutes with 20 of travel: 70 minutes, four whole units and 10 minutes over.
    assert response.json()["billable_units"] == 5


def test_it_rejects_a_contact_in_the_future(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    response = api.post(
        LIST_URL, home_visit(enrollment=enrollment, occurred_at=tomorrow.isoformat()), format="json"
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()
    assert Contact.objects.count() == 0


def test_it_rejects_a_negative_duration(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL, home_visit(enrollment=enrollment, duration_minutes=-5), format="json"
    )
    assert response.status_code == 400
    assert "duration_minutes" in response.json()
    assert Contact.objects.count() == 0


def test_it_rejects_a_duration_over_24_hours(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        home_visit(enrollment=enrollment, duration_minutes=1441, travel_minutes=0),
        format="json",
    )
    assert response.status_code == 400
    assert "duration_minutes" in response.json()
    assert Contact.objects.count() == 0


def test_it_rejects_travel_that_takes_the_day_over_24_hours(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        home_visit(enrollment=enrollment, duration_minutes=1400, travel_minutes=60),
        format="json",
    )
    assert response.status_code == 400
    assert "travel_minutes" in response.json()
    assert Contact.objects.count() == 0


def test_it_rejects_a_contact_for_a_closed_enrollment(api: APIClient, alice: User) -> None:
    closed = factories.EnrollmentFactory(
        case_manager=alice,
        status=Enrollment.Status.CLOSED,
        closed_on=timezone.localdate(),
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )
    api.force_login(alice)
    response = api.post(LIST_URL, home_visit(enrollment=closed), format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert Contact.objects.count() == 0


def test_it_rejects_a_contact_for_another_teams_client(
    api: APIClient, alice: User, other_enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, home_visit(enrollment=other_enrollment), format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert Contact.objects.count() == 0


def test_it_rejects_a_contact_for_a_teammates_client(
    api: APIClient, bob: User, enrollment: Enrollment
) -> None:
    api.force_login(bob)
    response = api.post(LIST_URL, home_visit(enrollment=enrollment), format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert Contact.objects.count() == 0


def test_it_rejects_an_empty_note_on_a_crisis_intervention(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        home_visit(enrollment=enrollment, contact_type=Contact.Type.CRISIS_INTERVENTION, note=" "),
        format="json",
    )
    assert response.status_code == 400
    assert "note" in response.json()
    assert Contact.objects.count() == 0


def test_it_records_an_attempt_without_a_note(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL,
        home_visit(enrollment=enrollment, contact_type=Contact.Type.ATTEMPTED, note=""),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["billable_units"] == 0


def test_it_lets_the_supervisor_record_a_contact(
    api: APIClient, sam: User, enrollment: Enrollment
) -> None:
    api.force_login(sam)
    response = api.post(LIST_URL, home_visit(enrollment=enrollment), format="json")
    assert response.status_code == 201


def test_it_forbids_an_administrator_recording_a_contact(
    api: APIClient, ada: User, enrollment: Enrollment
) -> None:
    api.force_login(ada)
    response = api.post(LIST_URL, home_visit(enrollment=enrollment), format="json")
    assert response.status_code == 403
    assert Contact.objects.count() == 0


def test_it_does_not_delete_a_contact(api: APIClient, alice: User, contact: Contact) -> None:
    api.force_login(alice)
    response = api.delete(detail_url(contact))
    assert response.status_code == 405
    assert Contact.objects.filter(pk=contact.pk).exists()


# --- Correct within 24 hours, then addenda ----------------------------------------------------


def test_it_lets_the_author_correct_a_contact(
    api: APIClient, alice: User, contact: Contact
) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(contact), {"note": "Corrected note."}, format="json")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.note == "Corrected note."


def test_it_lets_the_author_correct_at_23_hours_59_minutes(
    api: APIClient, alice: User, contact: Contact
) -> None:
    with time_machine.travel(contact.created_at + dt.timedelta(hours=23, minutes=59), tick=False):
        api.force_login(alice)
        response = api.patch(detail_url(contact), {"note": "Corrected note."}, format="json")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.note == "Corrected note."


def test_it_refuses_a_correction_at_24_hours(api: APIClient, alice: User, contact: Contact) -> None:
    with time_machine.travel(contact.created_at + dt.timedelta(hours=24), tick=False):
        api.force_login(alice)
        response = api.patch(detail_url(contact), {"note": "Corrected note."}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    contact.refresh_from_db()
    assert contact.note == "Original note."


def test_it_refuses_a_correction_days_later(api: APIClient, alice: User, contact: Contact) -> None:
    with time_machine.travel(contact.created_at + dt.timedelta(days=3), tick=False):
        api.force_login(alice)
        response = api.patch(detail_url(contact), {"duration_minutes": 90}, format="json")
    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.duration_minutes == 20


def test_it_adds_an_addendum_after_the_correction_window(
    api: APIClient, alice: User, contact: Contact
) -> None:
    with time_machine.travel(contact.created_at + dt.timedelta(hours=30), tick=False):
        api.force_login(alice)
        response = api.post(addendum_url(contact), {"note": "Mother called back."}, format="json")
    assert response.status_code == 201
    assert list(contact.addenda.values_list("note", flat=True)) == ["Mother called back."]
    contact.refresh_from_db()
    assert contact.note == "Original note."


def test_it_shows_the_addenda_on_the_contact(api: APIClient, alice: User, contact: Contact) -> None:
    api.force_login(alice)
    api.post(addendum_url(contact), {"note": "Mother called back."}, format="json")
    response = api.get(detail_url(contact))
    assert [addendum["note"] for addendum in response.json()["addenda"]] == ["Mother called back."]


def test_it_rejects_an_empty_addendum(api: APIClient, alice: User, contact: Contact) -> None:
    api.force_login(alice)
    response = api.post(addendum_url(contact), {"note": ""}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    assert not contact.addenda.exists()


def test_it_rejects_a_correction_to_a_negative_duration(
    api: APIClient, alice: User, contact: Contact
) -> None:
    api.force_login(alice)
    response = api.patch(detail_url(contact), {"duration_minutes": -1}, format="json")
    assert response.status_code == 400
    assert "duration_minutes" in response.json()
    contact.refresh_from_db()
    assert contact.duration_minutes == 20


def test_it_forbids_a_supervisor_correcting_someone_elses_contact(
    api: APIClient, sam: User, contact: Contact
) -> None:
    api.force_login(sam)
    response = api.patch(detail_url(contact), {"note": "Rewritten."}, format="json")
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.note == "Original note."


def test_it_lets_the_supervisor_add_an_addendum(
    api: APIClient, sam: User, contact: Contact
) -> None:
    api.force_login(sam)
    response = api.post(addendum_url(contact), {"note": "Discussed in supervision."}, format="json")
    assert response.status_code == 201


def test_it_forbids_a_teammate_adding_an_addendum(
    api: APIClient, bob: User, contact: Contact
) -> None:
    api.force_login(bob)
    response = api.post(addendum_url(contact), {"note": "Not mine to add."}, format="json")
    assert response.status_code == 403
    assert not contact.addenda.exists()


def test_it_forbids_an_administrator_adding_an_addendum(
    api: APIClient, ada: User, contact: Contact
) -> None:
    api.force_login(ada)
    response = api.post(addendum_url(contact), {"note": "Admin note."}, format="json")
    assert response.status_code == 403
    assert not contact.addenda.exists()


def test_it_answers_404_to_an_addendum_on_another_teams_contact(
    api: APIClient, charlie: User, contact: Contact
) -> None:
    api.force_login(charlie)
    response = api.post(addendum_url(contact), {"note": "Not mine to add."}, format="json")
    assert response.status_code == 404
    assert not contact.addenda.exists()


def phone_call(*, enrollment: Enrollment, **overrides: object) -> dict[str, object]:
    return {
        "enrollment": enrollment.pk,
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "contact_type": Contact.Type.PHONE,
        "duration_minutes": 15,
        "note": "Talked through the housing application.",
        **overrides,
    }


# --- Contacts serve the active plan's goals ---------------------------------------------------


def test_it_links_a_contact_to_the_goals_it_served(
    api: APIClient, alice: User, enrollment: Enrollment, approved_plan: ServicePlan
) -> None:
    goal = approved_plan.goals.get()
    api.force_login(alice)
    response = api.post(LIST_URL, phone_call(enrollment=enrollment, goals=[goal.pk]), format="json")
    assert response.status_code == 201
    assert response.json()["goals"] == [goal.pk]
    assert list(ContactGoal.objects.values_list("contact_id", "goal_id")) == [
        (response.json()["id"], goal.pk)
    ]


def test_it_requires_a_goal_on_a_clinical_contact_once_a_plan_is_active(
    api: APIClient, alice: User, enrollment: Enrollment, approved_plan: ServicePlan
) -> None:
    api.force_login(alice)
    response = api.post(LIST_URL, phone_call(enrollment=enrollment), format="json")
    assert response.status_code == 400
    assert "goals" in response.json()
    assert not Contact.objects.exists()


def test_it_rejects_a_goal_of_a_draft_plan_on_a_contact(
    api: APIClient,
    alice: User,
    enrollment: Enrollment,
    approved_plan: ServicePlan,
    draft_goal: Goal,
) -> None:
    api.force_login(alice)
    response = api.post(
        LIST_URL, phone_call(enrollment=enrollment, goals=[draft_goal.pk]), format="json"
    )
    assert response.status_code == 400
    assert "goals" in response.json()
    assert not Contact.objects.exists()


def test_it_rejects_another_teams_goal_on_a_contact(
    api: APIClient, alice: User, enrollment: Enrollment, other_plan: ServicePlan
) -> None:
    theirs = factories.GoalFactory(plan=other_plan)
    api.force_login(alice)
    response = api.post(
        LIST_URL, phone_call(enrollment=enrollment, goals=[theirs.pk]), format="json"
    )
    assert response.status_code == 400
    assert "goals" in response.json()
    assert not Contact.objects.exists()


def test_it_shows_the_goals_a_listed_contact_served(
    api: APIClient, alice: User, enrollment: Enrollment, approved_plan: ServicePlan
) -> None:
    goal = approved_plan.goals.get()
    contact = factories.ContactFactory(enrollment=enrollment)
    ContactGoal.objects.create(contact=contact, goal=goal)
    api.force_login(alice)
    response = api.get(LIST_URL)
    assert [row["goals"] for row in response.json()["results"]] == [[goal.pk]]


def test_it_lists_contacts_with_their_goals_in_a_constant_number_of_queries(
    api: APIClient, alice: User, enrollment: Enrollment, approved_plan: ServicePlan
) -> None:
    goal = approved_plan.goals.get()
    api.force_login(alice)

    def record(count: int) -> None:
        for contact in factories.ContactFactory.create_batch(count, enrollment=enrollment):
            ContactGoal.objects.create(contact=contact, goal=goal)

    assert_list_queries_constant(api, LIST_URL, record)
