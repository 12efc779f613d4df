import datetime as dt

import pytest
import time_machine
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
    response = client.get(reverse("workspace:caseload"))
    assert response.status_code == 200
    assert _rows(response) == [enrollment]


def test_it_does_not_list_a_teammates_caseload_for_a_case_manager(client, alice, bob, enrollment):
    factories.EnrollmentFactory(case_manager=bob)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), {"case_manager": bob.pk})
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
    response = client.get(reverse("workspace:caseload"))
    assert response.context["rows"][0]["days_since_contact"] == 12


def test_it_searches_by_name(client, alice, enrollment):
    other = factories.EnrollmentFactory(case_manager=alice)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), {"q": enrollment.client.last_name})
    assert enrollment in _rows(response)
    assert other not in _rows(response) or other.client.last_name == enrollment.client.last_name


def test_it_searches_by_record_number(client, alice, enrollment):
    factories.EnrollmentFactory(case_manager=alice)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), {"q": enrollment.client.record_number})
    assert _rows(response) == [enrollment]


def test_it_answers_400_to_a_search_with_a_nul_character(client, alice, enrollment):
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload") + "?q=%00")
    assert response.status_code == 400
    assert b"A search cannot contain a NUL character." in response.content


def test_it_lets_a_supervisor_switch_between_case_managers(client, sam, alice, bob, enrollment):
    bobs = factories.EnrollmentFactory(case_manager=bob)
    client.force_login(sam)
    assert _rows(client.get(reverse("workspace:caseload"), {"case_manager": bob.pk})) == [bobs]
    assert _rows(client.get(reverse("workspace:caseload"), {"case_manager": alice.pk})) == [
        enrollment
    ]


def test_it_shows_a_supervisor_the_whole_team_by_default(client, sam, bob, enrollment):
    bobs = factories.EnrollmentFactory(case_manager=bob)
    client.force_login(sam)
    assert set(_rows(client.get(reverse("workspace:caseload")))) == {enrollment, bobs}


def test_it_answers_404_to_a_supervisor_asking_for_another_teams_case_manager(
    client, sam, charlie, other_enrollment
):
    client.force_login(sam)
    assert (
        client.get(reverse("workspace:caseload"), {"case_manager": charlie.pk}).status_code == 404
    )


def test_it_lets_an_administrator_see_any_team(client, ada, other_enrollment, enrollment):
    client.force_login(ada)
    response = client.get(reverse("workspace:caseload"), {"team": other_enrollment.team_id})
    assert _rows(response) == [other_enrollment]


def test_it_offers_no_record_contact_button_to_a_qa_reviewer(client, quinn, enrollment):
    client.force_login(quinn)
    response = client.get(reverse("workspace:caseload"), {"team": enrollment.team_id})
    assert response.context["rows"][0]["can_record"] is False


def test_it_answers_the_htmx_search_with_the_table_only(client, alice, enrollment):
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "workspace/_caseload_table.html"


def _queries_for_caseload(client, user, url_params=None) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:caseload"), url_params or {})
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
    response = client.get(
        reverse("workspace:caseload"), {"team": charlie.team_id, "case_manager": bob.pk}
    )
    assert response.context["selected_case_manager"] is None
    assert _rows(response) == [other_team_enrollment]


def test_it_lists_only_the_chosen_teams_case_managers(client, ada, alice, charlie):
    client.force_login(ada)
    response = client.get(reverse("workspace:caseload"), {"team": charlie.team_id})
    assert response.context["case_managers"] == [charlie]


# --- Next assessment and risk -----------------------------------------------------------------

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _row(response, enrollment):
    return next(row for row in response.context["rows"] if row["enrollment"] == enrollment)


def _cell(response, enrollment, css_class):
    """The text of one cell of the enrollment's row, markup included."""
    html = response.content.decode()
    row = html[html.index(f'data-enrollment="{enrollment.pk}"') :]
    row = row[: row.index("</tr>")]
    cell = row[row.index(f'class="{css_class}"') :]
    return cell[cell.index(">") + 1 : cell.index("</td>")]


def test_it_shows_when_the_initial_assessment_is_due(client, alice, frozen):
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=25)
    )
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"))
    assert _row(response, enrollment)["assessment_due"].label == "due in 5 days"
    cell = _cell(response, enrollment, "assessment-due")
    assert "due in 5 days" in cell
    assert "badge" not in cell


def test_it_shows_an_overdue_assessment_in_a_red_badge(client, alice, frozen):
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=33)
    )
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"))
    assert _row(response, enrollment)["assessment_due"].label == "overdue by 3 days"
    cell = _cell(response, enrollment, "assessment-due")
    assert '<span class="badge text-bg-danger">overdue by 3 days</span>' in cell


def test_it_counts_the_update_from_the_last_completed_assessment(client, alice, frozen):
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=400)
    )
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=TODAY - dt.timedelta(days=390)
    )
    factories.AssessmentFactory(
        enrollment=enrollment,
        completed=True,
        kind="update",
        completed_on=TODAY - dt.timedelta(days=355),
    )
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"))
    assert _row(response, enrollment)["assessment_due"].label == "due in 10 days"


@pytest.mark.parametrize(
    ("days_since_application", "label", "overdue"),
    [(29, "due in 1 day", False), (30, "due today", False), (31, "overdue by 1 day", True)],
)
def test_it_is_due_on_day_30_and_overdue_from_day_31(
    client, alice, frozen, days_since_application, label, overdue
):
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=days_since_application)
    )
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"))
    assert _row(response, enrollment)["assessment_due"].label == label
    assert ("badge text-bg-danger" in _cell(response, enrollment, "assessment-due")) is overdue


def _three_enrollments(alice):
    """Ordered differently by last contact and by the next assessment's due date."""
    now = timezone.now()
    due_later = factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=5)
    )
    overdue = factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=40)
    )
    due_soon = factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=28)
    )
    factories.ContactFactory(enrollment=overdue, occurred_at=now - dt.timedelta(days=1))
    factories.ContactFactory(enrollment=due_soon, occurred_at=now - dt.timedelta(days=3))
    return due_later, overdue, due_soon


def test_it_sorts_by_the_longest_without_contact_by_default(client, alice, frozen):
    due_later, overdue, due_soon = _three_enrollments(alice)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"))
    assert _rows(response) == [due_later, due_soon, overdue]
    assert response.context["sort"] == "last_contact"


def test_it_sorts_by_the_next_assessment_most_overdue_first(client, alice, frozen):
    due_later, overdue, due_soon = _three_enrollments(alice)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), {"sort": "assessment_due"})
    assert _rows(response) == [overdue, due_soon, due_later]


def test_it_ignores_an_unknown_sort(client, alice, frozen):
    due_later, overdue, due_soon = _three_enrollments(alice)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), {"sort": "client__date_of_birth"})
    assert _rows(response) == [due_later, due_soon, overdue]


def test_it_links_the_column_headers_to_the_orders_keeping_the_search(client, alice, enrollment):
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), {"q": "Smith Jones"})
    html = response.content.decode()
    assert 'href="?q=Smith+Jones&amp;sort=assessment_due">Next assessment</a>' in html
    assert 'href="?q=Smith+Jones">Days since last contact</a>' in html


def test_it_keeps_the_sort_in_the_search_form(client, alice, enrollment):
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), {"sort": "assessment_due"})
    filters = response.content.decode().split('id="caseload-filters"')[1].split("</form>")[0]
    assert '<input type="hidden" name="sort" value="assessment_due">' in filters


def test_it_keeps_the_sort_when_htmx_searches(client, alice, frozen):
    due_later, overdue, due_soon = _three_enrollments(alice)
    client.force_login(alice)
    response = client.get(
        reverse("workspace:caseload"), {"sort": "assessment_due", "q": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.templates[0].name == "workspace/_caseload_table.html"
    assert _rows(response) == [overdue, due_soon, due_later]


def test_it_keeps_the_sort_and_filters_in_the_page_links(client, sam, alice):
    for _ in range(51):
        factories.EnrollmentFactory(case_manager=alice)
    client.force_login(sam)
    response = client.get(
        reverse("workspace:caseload"), {"sort": "assessment_due", "case_manager": alice.pk}
    )
    assert f'href="?case_manager={alice.pk}&amp;sort=assessment_due&amp;page=2"' in (
        response.content.decode()
    )


def test_it_marks_a_client_at_risk_after_a_positive_screen(client, alice, enrollment):
    factories.RiskScreenFactory(enrollment=enrollment, suicidal_ideation=True, positive=True)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"))
    assert _row(response, enrollment)["at_risk"] is True
    assert "At risk</span>" in response.content.decode()


def test_it_does_not_mark_a_client_at_risk_whose_latest_screen_is_negative(
    client, alice, enrollment
):
    factories.RiskScreenFactory(
        enrollment=enrollment,
        screened_on=timezone.localdate() - dt.timedelta(days=7),
        crisis=True,
        positive=True,
    )
    factories.RiskScreenFactory(enrollment=enrollment)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"))
    assert _row(response, enrollment)["at_risk"] is False
    assert "At risk</span>" not in response.content.decode()


def _enrollment_with_assessments_and_screens(alice):
    e = factories.EnrollmentFactory(
        case_manager=alice, application_date=timezone.localdate() - dt.timedelta(days=60)
    )
    factories.ContactFactory(enrollment=e)
    factories.AssessmentFactory(enrollment=e, completed=True)
    factories.AssessmentFactory(enrollment=e, kind="update")
    factories.RiskScreenFactory(enrollment=e, aggressive_behaviour=True, positive=True)
    return e


@pytest.mark.parametrize("sort", ["last_contact", "assessment_due"])
@pytest.mark.parametrize("role", ["case_manager", "supervisor"])
def test_it_uses_the_same_number_of_queries_with_assessments_and_screens(
    client, role, sort, alice, sam
):
    viewer = alice if role == "case_manager" else sam
    for _ in range(5):
        _enrollment_with_assessments_and_screens(alice)
    at_five = _queries_for_caseload(client, viewer, {"sort": sort})
    for _ in range(45):
        _enrollment_with_assessments_and_screens(alice)
    assert _queries_for_caseload(client, viewer, {"sort": sort}) == at_five
