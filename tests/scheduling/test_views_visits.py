import pytest
from django.urls import reverse

from clients.models import AccessLog, Contact
from scheduling.models import PlannedVisit
from tests import factories
from tests.scheduling.conftest import local

pytestmark = pytest.mark.django_db

PLAN_URL = reverse("scheduling:visit_plan")


def _form(enrollment, **overrides):
    data = {
        "enrollment": enrollment.pk,
        "scheduled_start": "2026-03-06T09:30",
        "expected_minutes": 45,
        "place": "home",
        "location": "Blue house",
        "contact_type": "home_visit",
        "with_whom": "Client and mother",
        "purpose": "Plan review",
    }
    data.update(overrides)
    return data


def test_it_opens_the_plan_form_for_a_client(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.get(f"{PLAN_URL}?client={enrollment.client_id}")
    assert response.status_code == 200
    assert list(response.context["form"].fields["enrollment"].queryset) == [enrollment]


def test_it_plans_a_visit_and_returns_to_its_week(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.post(PLAN_URL, _form(enrollment))
    assert response.status_code == 302
    assert response.url.endswith("?week=2026-W10")
    assert PlannedVisit.objects.get().case_manager == alice


def test_a_past_day_is_a_form_error(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.post(PLAN_URL, _form(enrollment, scheduled_start="2026-03-01T09:30"))
    assert response.status_code == 400
    assert "scheduled_start" in response.context["form"].errors


def test_a_garbled_date_is_a_form_error(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.post(PLAN_URL, _form(enrollment, scheduled_start="tomorrow\x00"))
    assert response.status_code == 400


def test_a_client_of_another_team_answers_404_and_is_logged(client, alice, other_enrollment):
    client.force_login(alice)
    response = client.get(f"{PLAN_URL}?client={other_enrollment.client_id}")
    assert response.status_code == 404
    assert AccessLog.objects.filter(action="denied", client=other_enrollment.client).exists()


def test_an_enrollment_of_another_caseload_is_not_offered(client, alice, other_enrollment, frozen):
    client.force_login(alice)
    response = client.post(PLAN_URL, _form(other_enrollment))
    assert response.status_code == 400
    assert "enrollment" in response.context["form"].errors


def test_an_administrator_may_not_plan(client, ada):
    client.force_login(ada)
    assert client.get(PLAN_URL).status_code == 403


def test_it_reschedules_a_visit(client, alice, visit):
    client.force_login(alice)
    data = _form(visit.enrollment, scheduled_start="2026-03-10T11:00")
    del data["enrollment"]
    response = client.post(reverse("scheduling:visit_edit", args=[visit.pk]), data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.scheduled_start == local(2026, 3, 10, 11)


def test_another_teams_visit_answers_404(client, charlie, visit):
    client.force_login(charlie)
    assert client.get(reverse("scheduling:visit_edit", args=[visit.pk])).status_code == 404


def test_a_teammates_visit_answers_403(client, bob, visit):
    client.force_login(bob)
    assert client.get(reverse("scheduling:visit_edit", args=[visit.pk])).status_code == 403


def test_cancel_asks_for_confirmation_first(client, alice, visit):
    client.force_login(alice)
    response = client.get(reverse("scheduling:visit_cancel", args=[visit.pk]))
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_it_cancels_on_post(client, alice, visit):
    client.force_login(alice)
    client.post(reverse("scheduling:visit_cancel", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.status == "cancelled"


def test_cancelling_twice_answers_400(client, alice, visit):
    client.force_login(alice)
    client.post(reverse("scheduling:visit_cancel", args=[visit.pk]))
    assert client.post(reverse("scheduling:visit_cancel", args=[visit.pk])).status_code == 400


def test_it_marks_missed_on_post_with_an_attempted_contact(client, alice, past_visit):
    client.force_login(alice)
    url = reverse("scheduling:visit_mark_missed", args=[past_visit.pk])
    response = client.post(url, {"note": "No answer"})
    assert response.status_code == 302
    assert Contact.objects.get().contact_type == "attempted"


def test_marking_missed_twice_answers_400_with_one_contact(client, alice, past_visit):
    client.force_login(alice)
    url = reverse("scheduling:visit_mark_missed", args=[past_visit.pk])
    client.post(url, {"note": ""})
    assert client.post(url, {"note": ""}).status_code == 400
    assert Contact.objects.count() == 1


# --- The contact modal opened from a visit ----------------------------------------------------


def _contact_url(visit):
    return reverse("workspace:contact_create", args=[visit.enrollment.client_id]) + (
        f"?visit={visit.pk}"
    )


def test_the_contact_modal_is_prefilled_from_the_visit(client, alice, past_visit):
    client.force_login(alice)
    form = client.get(_contact_url(past_visit), HTTP_HX_REQUEST="true").context["form"]
    assert form.initial["contact_type"] == "home_visit"
    assert form.initial["occurred_at"] == past_visit.scheduled_start
    assert form.initial["location"] == "Client's home: Back door, dog in the yard"


def test_saving_the_contact_marks_the_visit_recorded(client, alice, past_visit):
    client.force_login(alice)
    response = client.post(
        _contact_url(past_visit),
        {
            "enrollment": past_visit.enrollment_id,
            "occurred_at": "2026-03-02T10:00",
            "contact_type": "home_visit",
            "duration_minutes": 50,
            "travel_minutes": 20,
            "participants": "Client and mother",
            "location": "Client's home",
            "note": "Reviewed the attendance plan.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    past_visit.refresh_from_db()
    assert (past_visit.status, past_visit.contact) == ("recorded", Contact.objects.get())


def test_a_visit_of_another_client_answers_404_in_the_modal(client, alice, past_visit):
    other = factories.EnrollmentFactory(case_manager=alice)
    client.force_login(alice)
    url = reverse("workspace:contact_create", args=[other.client_id]) + f"?visit={past_visit.pk}"
    assert client.get(url).status_code == 404


def test_a_visit_of_another_team_answers_404_in_the_modal(client, charlie, other_enrollment, visit):
    client.force_login(charlie)
    url = reverse("workspace:contact_create", args=[other_enrollment.client_id])
    assert client.get(f"{url}?visit={visit.pk}").status_code == 404
