import datetime as dt
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from clients import contact_rules
from clients.models import Contact
from serviceplans.models import ContactGoal
from tests import factories

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 in America/Boise


def _form(enrollment, **overrides):
    data = {
        "enrollment": enrollment.pk,
        "occurred_at": "2026-03-02T08:30",
        "contact_type": Contact.Type.PHONE,
        "duration_minutes": 20,
        "travel_minutes": 0,
        "participants": "Client, mother",
        "location": "",
        "note": "Talked through the school meeting.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def test_it_renders_the_modal_form_for_htmx(client, alice, enrollment):
    client.force_login(alice)
    response = client.get(
        reverse("workspace:contact_create", args=[enrollment.client_id]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.templates[0].name == "workspace/_contact_form.html"


def test_it_records_a_contact_and_closes_the_modal(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.post(
        reverse("workspace:contact_create", args=[enrollment.client_id]),
        _form(enrollment),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204, response.context["form"].errors
    assert "contactRecorded" in response.headers["HX-Trigger"]
    contact = Contact.objects.get()
    assert (contact.author, contact.enrollment, contact.duration_minutes) == (alice, enrollment, 20)


def test_it_shows_a_service_error_beside_the_field(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.post(
        reverse("workspace:contact_create", args=[enrollment.client_id]),
        _form(enrollment, contact_type=Contact.Type.CRISIS_INTERVENTION, note=" "),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", "2026-03-03T09:00"),
        ("duration_minutes", -5),
        ("duration_minutes", 1441),
    ],
)
def test_it_refuses_bad_input_without_saving(client, alice, enrollment, frozen, field, value):
    client.force_login(alice)
    response = client.post(
        reverse("workspace:contact_create", args=[enrollment.client_id]),
        _form(enrollment, **{field: value}),
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Contact.objects.exists()


def test_it_refuses_a_teammates_enrollment_posted_by_id(client, alice, bob, enrollment, frozen):
    bobs = factories.EnrollmentFactory(case_manager=bob, client=enrollment.client)
    client.force_login(alice)
    response = client.post(
        reverse("workspace:contact_create", args=[enrollment.client_id]), _form(bobs)
    )
    assert response.status_code == 400
    assert "enrollment" in response.context["form"].errors
    assert not Contact.objects.exists()


# --- Contacts serve goals ---------------------------------------------------------------------


@pytest.fixture
def active_plan(enrollment):
    return factories.ServicePlanFactory(enrollment=enrollment, active=True)


@pytest.fixture
def school_goal(active_plan):
    return factories.GoalFactory(plan=active_plan, client_words="I want to go to school.")


@pytest.fixture
def sleep_goal(active_plan):
    return factories.GoalFactory(plan=active_plan, client_words="I want to sleep through.")


def _modal(client, enrollment):
    return client.get(
        reverse("workspace:contact_create", args=[enrollment.client_id]), HTTP_HX_REQUEST="true"
    )


def _post(client, enrollment, **overrides):
    return client.post(
        reverse("workspace:contact_create", args=[enrollment.client_id]),
        _form(enrollment, **overrides),
        HTTP_HX_REQUEST="true",
    )


def test_it_offers_the_goals_of_the_active_plan(client, alice, enrollment, school_goal, sleep_goal):
    factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=enrollment), client_words="A draft goal."
    )
    client.force_login(alice)
    response = _modal(client, enrollment)
    field = response.context["form"].fields["goals"]
    assert list(field.queryset) == [school_goal, sleep_goal]
    html = response.content.decode()
    assert 'name="goals"' in html
    assert "I want to go to school." in html
    assert "A draft goal." not in html


def test_it_labels_the_goals_by_program_with_several_enrollments(
    client, alice, enrollment, school_goal
):
    second = factories.EnrollmentFactory(case_manager=alice, client=enrollment.client)
    housing = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=second, active=True),
        client_words="A place of our own.",
    )
    client.force_login(alice)
    response = _modal(client, enrollment)
    field = response.context["form"].fields["goals"]
    labels = {goal: field.label_from_instance(goal) for goal in field.queryset}
    assert labels == {
        school_goal: f"{enrollment.program.name}: I want to go to school.",
        housing: f"{second.program.name}: A place of our own.",
    }


def test_it_offers_no_goals_without_an_active_plan(client, alice, enrollment):
    factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    client.force_login(alice)
    response = _modal(client, enrollment)
    assert "goals" not in response.context["form"].fields


def test_it_refuses_a_clinical_contact_without_a_goal_once_a_plan_is_active(
    client, alice, enrollment, school_goal, frozen
):
    client.force_login(alice)
    response = _post(client, enrollment)
    assert response.status_code == 200
    assert response.context["form"].errors["goals"] == [
        "Name at least one goal of the active plan this contact served."
    ]
    assert 'id="div_id_goals"' in response.content.decode()
    assert not Contact.objects.exists()


def test_it_records_a_contact_with_the_goals_it_served(
    client, alice, enrollment, school_goal, sleep_goal, frozen
):
    client.force_login(alice)
    response = _post(client, enrollment, goals=[school_goal.pk])
    assert response.status_code == 204, response.context["form"].errors
    contact = Contact.objects.get()
    assert [link.goal for link in contact.goal_links.all()] == [school_goal]


def test_it_records_an_attempted_contact_without_a_goal(
    client, alice, enrollment, school_goal, frozen
):
    client.force_login(alice)
    response = _post(client, enrollment, contact_type=Contact.Type.ATTEMPTED)
    assert response.status_code == 204, response.context["form"].errors
    assert not Contact.objects.get().goal_links.exists()


def test_it_needs_no_goal_without_an_active_plan(client, alice, enrollment, frozen):
    factories.ServicePlanFactory(enrollment=enrollment)  # a draft is not in force yet
    client.force_login(alice)
    response = _post(client, enrollment)
    assert response.status_code == 204, response.context["form"].errors
    assert Contact.objects.count() == 1


def test_it_refuses_a_goal_of_a_superseded_plan(client, alice, enrollment, school_goal, frozen):
    old_plan = factories.ServicePlanFactory(enrollment=enrollment, active=True, status="superseded")
    old_goal = factories.GoalFactory(plan=old_plan)
    client.force_login(alice)
    response = _post(client, enrollment, goals=[old_goal.pk])
    assert "goals" in response.context["form"].errors
    assert not Contact.objects.exists()


def test_it_refuses_a_goal_of_the_clients_other_enrollment(
    client, alice, enrollment, school_goal, frozen
):
    second = factories.EnrollmentFactory(case_manager=alice, client=enrollment.client)
    other_goal = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=second, active=True)
    )
    client.force_login(alice)
    response = _post(client, enrollment, goals=[school_goal.pk, other_goal.pk])
    assert response.context["form"].errors["goals"] == ["Choose goals of the active plan."]
    assert not Contact.objects.exists()


def test_it_refuses_a_goal_of_another_teams_plan(
    client, alice, enrollment, school_goal, other_enrollment, frozen
):
    outsider = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=other_enrollment, active=True)
    )
    client.force_login(alice)
    response = _post(client, enrollment, goals=[outsider.pk])
    assert "goals" in response.context["form"].errors
    assert not Contact.objects.exists()


def test_it_shows_the_goals_a_contact_served_on_the_timeline(
    client, alice, enrollment, school_goal, sleep_goal, frozen
):
    client.force_login(alice)
    _post(client, enrollment, goals=[school_goal.pk, sleep_goal.pk])
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    html = response.content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert "I want to go to school.</span>" in timeline
    assert "I want to sleep through.</span>" in timeline


def _queries_for_client_page(client, client_record) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:client", args=[client_record.pk]))
    assert response.status_code == 200
    return len(queries)


def test_it_shows_the_goals_on_the_timeline_in_a_constant_number_of_queries(
    client, alice, enrollment, school_goal, sleep_goal
):
    def add(n):
        for _ in range(n):
            contact = factories.ContactFactory(enrollment=enrollment)
            ContactGoal.objects.create(contact=contact, goal=school_goal)
            ContactGoal.objects.create(contact=contact, goal=sleep_goal)

    client.force_login(alice)
    add(5)
    at_five = _queries_for_client_page(client, enrollment.client)
    add(15)
    assert _queries_for_client_page(client, enrollment.client) == at_five


# --- The modal: labelled, explained, rules before Save, confirmation (issue 11) ----------------


def test_the_dialog_is_labelled_by_its_title(client, alice, enrollment):
    client.force_login(alice)
    page = client.get(reverse("workspace:caseload")).content.decode()
    assert 'role="dialog"' in page
    assert 'aria-labelledby="modal-title"' in page
    assert "modal-fullscreen-sm-down" in page
    assert 'id="modal-title"' in _modal(client, enrollment).content.decode()


def test_it_shows_the_rule_of_each_type_before_save(client, alice, enrollment, school_goal):
    client.force_login(alice)
    page = _modal(client, enrollment).content.decode()
    assert contact_rules.GOAL_RULE in page
    assert contact_rules.NOTE_RULE in page
    assert contact_rules.NO_NOTE_RULE in page


def test_it_shows_the_chosen_types_rule_and_hides_the_others(client, alice, enrollment):
    client.force_login(alice)
    response = client.post(
        reverse("workspace:contact_create", args=[enrollment.client_id]),
        _form(enrollment, note=""),
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert re.search(r'data-rules-for="phone" data-note-required="true">', page)
    assert re.search(r'data-rules-for="attempted" data-note-required="false" hidden>', page)


def test_it_explains_every_type(client, alice, enrollment):
    client.force_login(alice)
    page = _modal(client, enrollment).content.decode()
    for explanation in contact_rules.TYPE_EXPLANATIONS.values():
        assert escape(explanation) in page


def test_it_leaves_travel_minutes_empty(client, alice, enrollment):
    client.force_login(alice)
    form = _modal(client, enrollment).context["form"]
    assert form["travel_minutes"].value() is None


def test_it_records_no_travel_when_left_empty(client, alice, enrollment, frozen):
    client.force_login(alice)
    assert _post(client, enrollment, travel_minutes="").status_code == 204
    assert Contact.objects.get().travel_minutes == 0


def test_it_offers_the_number_pad_and_a_date_time_picker(client, alice, enrollment):
    client.force_login(alice)
    page = _modal(client, enrollment).content.decode()
    assert re.search(r'<input type="number" name="duration_minutes"[^>]*inputmode="numeric"', page)
    assert re.search(r'<input type="number" name="travel_minutes"[^>]*inputmode="numeric"', page)
    assert re.search(r'<input type="datetime-local" name="occurred_at"', page)


def test_it_marks_required_fields_for_screen_readers(client, alice, enrollment):
    client.force_login(alice)
    page = _modal(client, enrollment).content.decode()
    assert re.search(r'name="duration_minutes"[^>]*aria-required="true"', page)
    assert not re.search(r'name="location"[^>]*aria-required', page)


def test_it_announces_the_errors_in_a_summary(client, alice, enrollment, frozen):
    client.force_login(alice)
    page = _post(client, enrollment, note="").content.decode()
    assert re.search(r'role="alert" id="contact-form-errors"', page)
    assert "Note: A note is required for phone." in page


def test_it_confirms_what_was_recorded(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = _post(client, enrollment, duration_minutes=20, travel_minutes=10)
    trigger = json.loads(response.headers["HX-Trigger"])
    assert trigger["contactRecorded"] == {
        "message": "Phone contact recorded: 20 min + 10 min travel, 2 billable units."
    }


def test_it_confirms_on_the_client_page_without_htmx(client, alice, enrollment, frozen):
    client.force_login(alice)
    response = client.post(
        reverse("workspace:contact_create", args=[enrollment.client_id]),
        _form(enrollment),
        follow=True,
    )
    assert "Phone contact recorded: 20 min, 1 billable unit." in response.content.decode()
