import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Contact
from tests import factories

pytestmark = pytest.mark.django_db


def _rows(response):
    return [row["enrollment"] for row in response.context["rows"]]


def test_it_lists_the_case_managers_open_enrollments(client, alice, enrollment):
    closed = factories.EnrollmentFactory(case_manager=alice)
    closed.status, closed.closed_on, closed.close_reason = (
        "closed",
        timezone.localdate(),
        "goals_met",
    )
    closed.save()
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert _rows(response) == [enrollment]


def test_it_does_not_list_a_teammates_caseload_for_a_case_manager(client, alice, bob, enrollment):
    factories.EnrollmentFactory(case_manager=bob)
    client.force_login(alice)
    response = client.get(reverse("home"), {"case_manager": bob.pk})
    assert _rows(response) == [enrollment]


def test_it_shows_days_since_the_last_completed_contact(client, alice, enrollment):
    now = timezone.now()
    factories.ContactFactory(enrollment=enrollment, occurred_at=now - dt.timedelta(days=12))
    factories.ContactFactory(
        enrollment=enrollment,
        occurred_at=now - dt.timedelta(days=2),
        contact_type=Contact.Type.ATTEMPTED,
    )
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.context["rows"][0]["days_since_contact"] == 12


def test_it_searches_by_name(client, alice, enrollment):
    other = factories.EnrollmentFactory(case_manager=alice)
    client.force_login(alice)
    response = client.get(reverse("home"), {"q": enrollment.client.last_name})
    assert enrollment in _rows(response)
    assert other not in _rows(response) or other.client.last_name == enrollment.client.last_name


def test_it_searches_by_record_number(client, alice, enrollment):
    factories.EnrollmentFactory(case_manager=alice)
    client.force_login(alice)
    response = client.get(reverse("home"), {"q": enrollment.client.record_number})
    assert _rows(response) == [enrollment]


def test_it_lets_a_supervisor_switch_between_case_managers(client, sam, alice, bob, enrollment):
    bobs = factories.EnrollmentFactory(case_manager=bob)
    client.force_login(sam)
    assert _rows(client.get(reverse("home"), {"case_manager": bob.pk})) == [bobs]
    assert _rows(client.get(reverse("home"), {"case_manager": alice.pk})) == [enrollment]


def test_it_shows_a_supervisor_the_whole_team_by_default(client, sam, bob, enrollment):
    bobs = factories.EnrollmentFactory(case_manager=bob)
    client.force_login(sam)
    assert set(_rows(client.get(reverse("home")))) == {enrollment, bobs}


def test_it_answers_404_to_a_supervisor_asking_for_another_teams_case_manager(
    client, sam, charlie, other_enrollment
):
    client.force_login(sam)
    assert client.get(reverse("home"), {"case_manager": charlie.pk}).status_code == 404


def test_it_lets_an_administrator_see_any_team(client, ada, other_enrollment, enrollment):
    client.force_login(ada)
    response = client.get(reverse("home"), {"team": other_enrollment.team_id})
    assert _rows(response) == [other_enrollment]


def test_it_offers_no_record_contact_button_to_a_qa_reviewer(client, quinn, enrollment):
    client.force_login(quinn)
    response = client.get(reverse("home"), {"team": enrollment.team_id})
    assert response.context["rows"][0]["can_record"] is False


def test_it_answers_the_htmx_search_with_the_table_only(client, alice, enrollment):
    client.force_login(alice)
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "clients/_caseload_table.html"


def _queries_for_caseload(client, user, url_params=None) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"), url_params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["case_manager", "supervisor"])
def test_it_uses_the_same_number_of_queries_at_5_and_50_rows(client, role, alice, sam):
    viewer = alice if role == "case_manager" else sam
    for _ in range(5):
        e = factories.EnrollmentFactory(case_manager=alice)
        factories.ContactFactory(enrollment=e)
    at_five = _queries_for_caseload(client, viewer)
    for _ in range(45):
        e = factories.EnrollmentFactory(case_manager=alice)
        factories.ContactFactory(enrollment=e)
    assert _queries_for_caseload(client, viewer) == at_five


def test_it_drops_a_case_manager_who_is_not_in_the_chosen_team(client, charlie, bob, ada):
    other_team_enrollment = factories.EnrollmentFactory(case_manager=charlie)
    client.force_login(ada)
    response = client.get(reverse("home"), {"team": charlie.team_id, "case_manager": bob.pk})
    assert response.context["selected_case_manager"] is None
    assert _rows(response) == [other_team_enrollment]


def test_it_lists_only_the_chosen_teams_case_managers(client, ada, alice, charlie):
    client.force_login(ada)
    response = client.get(reverse("home"), {"team": charlie.team_id})
    assert response.context["case_managers"] == [charlie]
