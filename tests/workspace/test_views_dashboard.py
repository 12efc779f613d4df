"""The supervisor's dashboard: who may open it, the case managers' summaries, the review
queue, the chart of open flags, and a query count that does not grow with the team."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from serviceplans.models import RiskAlert
from supervision import selectors
from supervision.models import FlagRule
from tests import factories

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _positive_screen(enrollment, **items):
    """A positive risk screen and its alert, as serviceplans.services.risk_screen_record
    leaves them."""
    items = items or {"suicidal_ideation": True}
    screen = factories.RiskScreenFactory(enrollment=enrollment, positive=True, **items)
    return RiskAlert.objects.create(risk_screen=screen, team_id=enrollment.team_id)


def _dashboard(client, user, **params):
    client.force_login(user)
    return client.get(reverse("workspace:dashboard"), params)


def _summary(response, user):
    return next(s for s, _ in response.context["summaries"] if s.case_manager_id == user.pk)


def _queue(response):
    return [row.enrollment for row in response.context["queue"]]


# --- Who opens it -----------------------------------------------------------------------------


def test_it_shows_a_supervisor_their_team(client, sam, alice):
    response = _dashboard(client, sam)
    assert response.status_code == 200
    assert response.context["team"] == sam.team


def test_it_sends_a_supervisor_from_home_to_the_dashboard(client, sam):
    client.force_login(sam)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:dashboard")


def test_it_sends_a_case_manager_from_home_to_my_work(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:my_work")


def test_it_keeps_a_supervisor_to_their_own_teams(client, sam, charlie, other_enrollment):
    factories.FlagFactory(enrollment=other_enrollment)
    response = _dashboard(client, sam, team=charlie.team_id)
    assert response.context["team"] == sam.team
    assert other_enrollment not in _queue(response)


def test_it_lets_a_supervisor_of_two_teams_choose_one(client, team, other_team, other_enrollment):
    supervisor = factories.SupervisorFactory(team=team, supervises=[team, other_team])
    factories.FlagFactory(enrollment=other_enrollment)
    response = _dashboard(client, supervisor, team=other_team.pk)
    assert response.context["team"] == other_team
    assert _queue(response) == [other_enrollment]


@pytest.mark.parametrize("role", ["ada", "quinn"])
def test_it_lets_administrators_and_qa_open_any_team(client, request, role, other_enrollment):
    factories.FlagFactory(enrollment=other_enrollment)
    response = _dashboard(client, request.getfixturevalue(role), team=other_enrollment.team_id)
    assert response.status_code == 200
    assert _queue(response) == [other_enrollment]


# --- Per case manager -------------------------------------------------------------------------


def test_it_counts_each_case_managers_open_enrollments(client, sam, alice, bob, enrollment):
    factories.EnrollmentFactory(case_manager=alice)
    factories.EnrollmentFactory(
        case_manager=alice, status="closed", closed_on=dt.date.today(), close_reason="moved"
    )
    response = _dashboard(client, sam)
    assert _summary(response, alice).caseload == 2
    assert _summary(response, bob).caseload == 0


def test_it_counts_open_flags_by_rule(client, sam, alice, enrollment):
    second = factories.EnrollmentFactory(case_manager=alice)
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    factories.FlagFactory(enrollment=second, rule=FlagRule.MONITORING_GAP)
    factories.FlagFactory(enrollment=second, rule=FlagRule.NO_SERVICE_PLAN)
    summary = _summary(_dashboard(client, sam), alice)
    assert summary.flags_by_rule == {FlagRule.NO_SERVICE_PLAN: 1, FlagRule.MONITORING_GAP: 2}
    assert summary.open_flags == 3


def test_it_leaves_resolved_flags_out_of_the_counts(client, sam, alice, enrollment):
    factories.FlagFactory(
        enrollment=enrollment,
        resolved_on=dt.date.today(),
        resolved_at=dt.datetime.now(tz=dt.UTC),
        resolution="Contact made.",
    )
    assert _summary(_dashboard(client, sam), alice).open_flags == 0


def test_it_shows_a_column_per_rule_with_open_flags_only(client, sam, enrollment):
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    response = _dashboard(client, sam)
    assert response.context["rules"] == [(FlagRule.MONITORING_GAP, "Monitoring gap")]


def test_it_counts_a_client_with_a_positive_latest_screen_at_risk(client, sam, alice, enrollment):
    alert = _positive_screen(enrollment)
    RiskAlert.objects.filter(pk=alert.pk).update(reviewed_at=dt.datetime.now(tz=dt.UTC))
    assert _summary(_dashboard(client, sam), alice).at_risk == 1


def test_it_counts_an_unreviewed_alert_at_risk_after_a_negative_screen(
    client, sam, alice, enrollment
):
    _positive_screen(enrollment)
    factories.RiskScreenFactory(enrollment=enrollment, screened_on=dt.date.today())
    assert _summary(_dashboard(client, sam), alice).at_risk == 1


def test_it_does_not_count_a_reviewed_alert_after_a_negative_screen(client, sam, alice, enrollment):
    alert = _positive_screen(enrollment)
    RiskAlert.objects.filter(pk=alert.pk).update(reviewed_at=dt.datetime.now(tz=dt.UTC))
    factories.RiskScreenFactory(enrollment=enrollment, screened_on=dt.date.today())
    assert _summary(_dashboard(client, sam), alice).at_risk == 0


# --- The review queue -------------------------------------------------------------------------


def test_it_puts_an_unreviewed_positive_screen_first(client, sam, alice, frozen):
    long_overdue = factories.EnrollmentFactory(case_manager=alice)
    factories.FlagFactory(enrollment=long_overdue, due_on=TODAY - dt.timedelta(days=200))
    at_risk = factories.EnrollmentFactory(case_manager=alice)
    _positive_screen(at_risk)
    assert _queue(_dashboard(client, sam)) == [at_risk, long_overdue]


def test_it_ranks_the_rest_by_their_most_overdue_flag(client, sam, alice, bob, frozen):
    a_little = factories.EnrollmentFactory(case_manager=alice)
    factories.FlagFactory(enrollment=a_little, due_on=TODAY - dt.timedelta(days=3))
    a_lot = factories.EnrollmentFactory(case_manager=bob)
    factories.FlagFactory(enrollment=a_lot, due_on=TODAY - dt.timedelta(days=2))
    factories.FlagFactory(
        enrollment=a_lot, rule=FlagRule.MONITORING_GAP, due_on=TODAY - dt.timedelta(days=40)
    )
    response = _dashboard(client, sam)
    assert _queue(response) == [a_lot, a_little]
    assert response.context["queue"][0].days_overdue == 40


def test_it_shows_the_positive_items_and_a_link_to_write_the_note(client, sam, enrollment):
    alert = _positive_screen(enrollment, suicidal_ideation=True, domestic_violence=True)
    response = _dashboard(client, sam)
    row = response.context["queue"][0]
    assert row.risk_items == [
        "Suicidal threats or ideation",
        "Domestic violence (current or history in the household)",
    ]
    html = response.content.decode()
    assert "Suicidal threats or ideation" in html
    note_url = reverse("supervision:note_create")
    assert f"{note_url}?enrollment={enrollment.pk}&amp;risk_alert={alert.pk}" in html


@pytest.mark.parametrize("reader", ["ada", "quinn"])
def test_it_shows_no_note_button_to_those_who_may_not_write_one(
    request, client, enrollment, reader
):
    _positive_screen(enrollment)
    response = _dashboard(client, request.getfixturevalue(reader), team=enrollment.team_id)
    assert response.context["queue"]
    assert reverse("supervision:note_create") not in response.content.decode()


def test_it_links_each_row_to_the_client(client, sam, enrollment):
    factories.FlagFactory(enrollment=enrollment)
    html = _dashboard(client, sam).content.decode()
    assert f'href="{reverse("workspace:client", args=[enrollment.client_id])}"' in html


def test_it_leaves_a_reviewed_alert_out_of_the_queue(client, sam, enrollment):
    alert = _positive_screen(enrollment)
    RiskAlert.objects.filter(pk=alert.pk).update(reviewed_at=dt.datetime.now(tz=dt.UTC))
    assert _queue(_dashboard(client, sam)) == []


def test_it_leaves_clients_without_flags_or_alerts_out_of_the_queue(client, sam, enrollment):
    assert _queue(_dashboard(client, sam)) == []


def test_it_shows_no_more_than_the_queue_limit(client, sam, alice, monkeypatch):
    for _ in range(3):
        factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    monkeypatch.setattr(selectors, "REVIEW_QUEUE_LIMIT", 2)
    assert len(_queue(_dashboard(client, sam))) == 2


# --- The chart --------------------------------------------------------------------------------


def _flag(enrollment, rule, raised_on, resolved_on=None):
    return factories.FlagFactory(
        enrollment=enrollment,
        rule=rule,
        raised_on=raised_on,
        resolved_on=resolved_on,
        resolved_at=None if resolved_on is None else FROZEN,
        resolution="" if resolved_on is None else "Met.",
    )


def test_it_has_one_point_per_week_for_twelve_weeks_ending_today(sam):
    chart = selectors.open_flags_by_week(team_ids=[sam.team_id], today=TODAY)
    assert len(chart.week_ends) == 12
    assert chart.week_ends[-1] == TODAY
    assert chart.week_ends[0] == TODAY - dt.timedelta(weeks=11)


def test_it_counts_a_flag_open_from_the_day_it_was_raised(enrollment):
    week_end = TODAY - dt.timedelta(weeks=2)
    _flag(enrollment, FlagRule.MONITORING_GAP, raised_on=week_end)
    chart = selectors.open_flags_by_week(team_ids=[enrollment.team_id], today=TODAY)
    assert chart.counts[FlagRule.MONITORING_GAP][-4:] == [0, 1, 1, 1]


def test_it_counts_a_flag_closed_on_the_day_it_was_resolved(enrollment):
    _flag(
        enrollment,
        FlagRule.MONITORING_GAP,
        raised_on=TODAY - dt.timedelta(weeks=20),
        resolved_on=TODAY - dt.timedelta(weeks=1),
    )
    chart = selectors.open_flags_by_week(team_ids=[enrollment.team_id], today=TODAY)
    assert chart.counts[FlagRule.MONITORING_GAP][-3:] == [1, 0, 0]


def test_it_counts_each_rule_apart(enrollment):
    second = factories.EnrollmentFactory(case_manager=enrollment.case_manager)
    _flag(enrollment, FlagRule.MONITORING_GAP, raised_on=TODAY - dt.timedelta(days=1))
    _flag(second, FlagRule.MONITORING_GAP, raised_on=TODAY - dt.timedelta(days=1))
    _flag(second, FlagRule.NO_SERVICE_PLAN, raised_on=TODAY - dt.timedelta(days=1))
    chart = selectors.open_flags_by_week(team_ids=[enrollment.team_id], today=TODAY)
    assert [(code, data[-1]) for code, _, data in chart.series] == [
        (FlagRule.NO_SERVICE_PLAN, 1),
        (FlagRule.MONITORING_GAP, 2),
    ]


def test_it_charts_only_the_teams_flags(enrollment, other_enrollment):
    _flag(other_enrollment, FlagRule.MONITORING_GAP, raised_on=TODAY - dt.timedelta(days=1))
    chart = selectors.open_flags_by_week(team_ids=[enrollment.team_id], today=TODAY)
    assert chart.counts == {}


def test_it_computes_the_chart_in_one_query(enrollment, django_assert_num_queries):
    for weeks in range(5):
        _flag(
            factories.EnrollmentFactory(case_manager=enrollment.case_manager),
            FlagRule.MONITORING_GAP,
            raised_on=TODAY - dt.timedelta(weeks=weeks),
        )
    with django_assert_num_queries(1):
        selectors.open_flags_by_week(team_ids=[enrollment.team_id], today=TODAY)


def test_it_passes_the_chart_data_with_json_script(client, sam, enrollment, frozen):
    _flag(enrollment, FlagRule.MONITORING_GAP, raised_on=TODAY - dt.timedelta(days=1))
    response = _dashboard(client, sam)
    html = response.content.decode()
    start = html.index('<script id="flag-chart-data" type="application/json">')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert data["labels"][-1] == "2026-03-02"
    assert data["datasets"] == [{"label": "Monitoring gap", "data": [0] * 11 + [1]}]


def test_it_shows_the_chart_as_a_table_too(client, sam, enrollment, frozen):
    _flag(enrollment, FlagRule.MONITORING_GAP, raised_on=TODAY - dt.timedelta(days=1))
    html = _dashboard(client, sam).content.decode()
    table = html[html.index('id="flag-chart-table"') :]
    assert '<th scope="row">2026-03-02</th><td class="text-end">1</td>' in table


def test_it_loads_chart_js_on_the_dashboard_only(client, sam, alice, enrollment, frozen):
    _flag(enrollment, FlagRule.MONITORING_GAP, raised_on=TODAY - dt.timedelta(days=1))
    assert b"vendor/chartjs/chart.umd.min.js" in _dashboard(client, sam).content
    client.force_login(alice)
    assert (
        b"vendor/chartjs/chart.umd.min.js" not in client.get(reverse("workspace:caseload")).content
    )


# --- Query count ------------------------------------------------------------------------------


def _team_of(team, case_managers: int) -> None:
    for _ in range(case_managers):
        case_manager = factories.CaseManagerFactory(team=team)
        for rule in (FlagRule.MONITORING_GAP, FlagRule.NO_SERVICE_PLAN):
            enrollment = factories.EnrollmentFactory(case_manager=case_manager)
            factories.FlagFactory(enrollment=enrollment, rule=rule)
            _positive_screen(enrollment)


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_it_uses_the_same_number_of_queries_for_2_and_10_case_managers(client, team, sam):
    _team_of(team, 2)
    at_two = _queries(client, sam)
    _team_of(team, 8)
    assert _queries(client, sam) == at_two


def test_it_stays_within_the_page_budget_of_12_queries(client, team, sam):
    _team_of(team, 10)
    assert _queries(client, sam) <= 12


# --- Several teams at once, and the order of the case managers ------------------------------


@pytest.fixture
def two_teams_supervisor(team, other_team):
    return factories.SupervisorFactory(team=team, supervises=[team, other_team])


@pytest.fixture
def three_caseloads(alice, bob, charlie):
    """alice (North): 3 clients, 1 at risk, 3 monitoring gaps; bob (North): 1 client, a
    missing service plan; charlie (South): 2 clients, both at risk, 2 monitoring gaps and 2
    missing plans. Every column orders them differently from the next."""
    for i in range(3):
        enrollment = factories.EnrollmentFactory(case_manager=alice)
        factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
        if i == 0:
            _positive_screen(enrollment)
    factories.FlagFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob), rule=FlagRule.NO_SERVICE_PLAN
    )
    for _ in range(2):
        enrollment = factories.EnrollmentFactory(case_manager=charlie)
        factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
        factories.FlagFactory(enrollment=enrollment, rule=FlagRule.NO_SERVICE_PLAN)
        _positive_screen(enrollment)


def _order(response):
    """The case managers' first names, in the order of the table."""
    return [summary.name.split()[0] for summary, _ in response.context["summaries"]]


def test_it_shows_a_supervisor_of_two_teams_both_at_once(
    client, two_teams_supervisor, three_caseloads, team, other_team
):
    response = _dashboard(client, two_teams_supervisor)
    assert response.context["shown_teams"] == [team, other_team]
    assert {s.team_name for s, _ in response.context["summaries"]} == {"North Team", "South Team"}


def test_it_shows_the_team_column_when_several_teams_are_shown(
    client, two_teams_supervisor, three_caseloads
):
    html = _dashboard(client, two_teams_supervisor).content.decode()
    assert '<td class="team">South Team</td>' in html


def test_it_puts_both_teams_clients_in_the_review_queue(
    client, two_teams_supervisor, enrollment, other_enrollment
):
    factories.FlagFactory(enrollment=enrollment)
    factories.FlagFactory(enrollment=other_enrollment)
    queue = _queue(_dashboard(client, two_teams_supervisor))
    assert set(queue) == {enrollment, other_enrollment}


def test_it_narrows_to_the_team_picked(client, two_teams_supervisor, three_caseloads, other_team):
    response = _dashboard(client, two_teams_supervisor, team=other_team.pk)
    assert response.context["shown_teams"] == [other_team]
    assert _order(response) == ["Charlie"]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["Alice", "Bob", "Charlie"]),
        ("-name", ["Charlie", "Bob", "Alice"]),
        ("team", ["Alice", "Bob", "Charlie"]),
        ("-team", ["Charlie", "Alice", "Bob"]),
        ("caseload", ["Bob", "Charlie", "Alice"]),
        ("-caseload", ["Alice", "Charlie", "Bob"]),
        ("at_risk", ["Bob", "Alice", "Charlie"]),
        ("-at_risk", ["Charlie", "Alice", "Bob"]),
        ("open_flags", ["Bob", "Alice", "Charlie"]),
        ("-open_flags", ["Charlie", "Alice", "Bob"]),
        (f"rule_{FlagRule.MONITORING_GAP}", ["Bob", "Charlie", "Alice"]),
        (f"-rule_{FlagRule.MONITORING_GAP}", ["Alice", "Charlie", "Bob"]),
        (f"rule_{FlagRule.NO_SERVICE_PLAN}", ["Alice", "Bob", "Charlie"]),
        (f"-rule_{FlagRule.NO_SERVICE_PLAN}", ["Charlie", "Bob", "Alice"]),
    ],
)
def test_it_sorts_the_case_managers_by_each_column(
    client, two_teams_supervisor, three_caseloads, sort, order
):
    assert _order(_dashboard(client, two_teams_supervisor, sort=sort)) == order


@pytest.mark.parametrize(
    "sort",
    ["nonsense", "-", "--caseload", "rule_no_such_rule", f"rule_{FlagRule.CONSENT_EXPIRING}"],
)
def test_it_ignores_a_sort_it_does_not_know(client, two_teams_supervisor, three_caseloads, sort):
    response = _dashboard(client, two_teams_supervisor, sort=sort)
    assert response.status_code == 200
    assert _order(response) == ["Alice", "Bob", "Charlie"]


def test_it_marks_the_sorted_column_with_aria_sort(client, two_teams_supervisor, three_caseloads):
    html = _dashboard(client, two_teams_supervisor, sort="-open_flags").content.decode()
    assert (
        '<th scope="col" class="text-end" aria-sort="descending">'
        '<a class="sort-link" href="?sort=open_flags">Open flags</a>'
    ) in html
    assert html.count("aria-sort=") == 1


def test_it_sorts_a_number_column_largest_first_on_the_first_click(
    client, two_teams_supervisor, three_caseloads
):
    html = _dashboard(client, two_teams_supervisor).content.decode()
    assert '<a class="sort-link" href="?sort=-open_flags">Open flags</a>' in html


def test_it_keeps_the_team_picked_in_the_sort_links(client, two_teams_supervisor, other_team):
    html = _dashboard(client, two_teams_supervisor, team=other_team.pk).content.decode()
    assert f'href="?team={other_team.pk}&amp;sort=-caseload"' in html


def _teams_of(supervisor, teams: int, case_managers: int) -> None:
    for _ in range(teams):
        team = factories.TeamFactory()
        supervisor.supervised_teams.add(team)
        _team_of(team, case_managers)


def test_it_uses_the_same_number_of_queries_for_more_teams_and_rows(
    client, two_teams_supervisor, team, other_team
):
    _team_of(team, 1)
    _team_of(other_team, 1)
    at_two = _queries(client, two_teams_supervisor)
    _teams_of(two_teams_supervisor, teams=2, case_managers=3)
    _team_of(team, 3)
    assert _queries(client, two_teams_supervisor) == at_two
