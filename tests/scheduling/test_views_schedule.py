import pytest
from django.urls import reverse

from scheduling import selectors
from tests import factories
from tests.helpers import assert_list_queries_constant
from tests.scheduling.conftest import FROZEN, local

pytestmark = pytest.mark.django_db

SCHEDULE_URL = reverse("scheduling:schedule")


def _listed(response):
    return [v.pk for day in response.context["days"] for v in day["visits"]]


def _count_listed(response):
    return len(_listed(response))


def test_it_shows_this_week_by_default(client, alice, visit):
    client.force_login(alice)
    response = client.get(SCHEDULE_URL)
    assert response.context["week"] == "2026-W10"
    assert _listed(response) == [visit.pk]


def test_it_opens_a_week_by_iso_week(client, alice, visit, frozen):
    client.force_login(alice)
    response = client.get(f"{SCHEDULE_URL}?week=2026-W11")
    assert response.context["monday"].isoformat() == "2026-03-09"
    assert _listed(response) == []


def test_it_opens_the_week_of_a_date(client, alice, visit):
    client.force_login(alice)
    response = client.get(f"{SCHEDULE_URL}?start=2026-03-08")
    assert response.context["monday"].isoformat() == "2026-03-02"


def test_it_links_the_previous_and_next_weeks(client, alice, frozen):
    client.force_login(alice)
    response = client.get(SCHEDULE_URL)
    assert (response.context["prev_week"], response.context["next_week"]) == (
        "2026-W09",
        "2026-W11",
    )


def test_a_bad_week_answers_400(client, alice, frozen):
    client.force_login(alice)
    assert client.get(f"{SCHEDULE_URL}?week=2026-W99").status_code == 400


def test_the_last_week_of_the_calendar_answers_400(client, alice, frozen):
    client.force_login(alice)
    assert client.get(f"{SCHEDULE_URL}?start=9999-12-31").status_code == 400


def test_a_nul_in_the_date_answers_400(client, alice, frozen):
    client.force_login(alice)
    assert client.get(f"{SCHEDULE_URL}?start=2026-03%00").status_code == 400


def test_a_visit_at_23_30_on_sunday_is_in_that_week(alice, enrollment, frozen):
    late = factories.PlannedVisitFactory(
        enrollment=enrollment, scheduled_start=local(2026, 3, 8, 23, 30)
    )
    monday = selectors.parse_week(week="2026-W10", start=None, default=FROZEN.date())
    assert list(selectors.visits_in_week(viewer=alice, monday=monday, case_manager=alice)) == [late]


def test_a_visit_at_23_30_on_sunday_is_not_in_the_next_week(alice, enrollment, frozen):
    factories.PlannedVisitFactory(enrollment=enrollment, scheduled_start=local(2026, 3, 8, 23, 30))
    monday = selectors.parse_week(week="2026-W11", start=None, default=FROZEN.date())
    assert not selectors.visits_in_week(viewer=alice, monday=monday, case_manager=alice).exists()


def test_it_shows_only_my_own_visits(client, alice, bob, visit):
    factories.PlannedVisitFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob),
        scheduled_start=visit.scheduled_start,
    )
    client.force_login(alice)
    assert _listed(client.get(SCHEDULE_URL)) == [visit.pk]


def test_its_queries_do_not_grow_with_visits(client, alice, enrollment, frozen):
    client.force_login(alice)

    def record(n):
        factories.PlannedVisitFactory.create_batch(
            n, enrollment=factories.EnrollmentFactory(case_manager=alice)
        )

    assert_list_queries_constant(client, SCHEDULE_URL, record, rows_of=_count_listed)


def test_an_administrator_has_no_schedule(client, ada):
    client.force_login(ada)
    assert client.get(SCHEDULE_URL).status_code == 403


# --- A team's week ----------------------------------------------------------------------------


@pytest.fixture
def team_supervisor(sam, team):
    team.supervisors.add(sam)
    return sam


def _grid(response):
    """The team's week as {case manager's username: [each day's {status: count}]}."""
    return {row.case_manager.username: row.days for row in response.context["rows"]}


def test_the_team_week_counts_each_case_managers_visits_per_day(
    client, team_supervisor, team, bob, visit
):
    bobs = factories.EnrollmentFactory(case_manager=bob)
    factories.PlannedVisitFactory.create_batch(
        2, enrollment=bobs, scheduled_start=local(2026, 3, 6)
    )
    client.force_login(team_supervisor)
    grid = _grid(client.get(reverse("scheduling:team_schedule", args=[team.pk])))
    thursday, friday = 3, 4
    assert grid["alice"][thursday] == {"planned": 1, "recorded": 0, "missed": 0}
    assert grid["bob"][friday] == {"planned": 2, "recorded": 0, "missed": 0}
    assert sum(sum(day.values()) for day in grid["bob"]) == 2


def test_the_team_week_does_not_count_cancelled_visits(client, team_supervisor, team, visit):
    visit.status = visit.Status.CANCELLED
    visit.save()
    client.force_login(team_supervisor)
    grid = _grid(client.get(reverse("scheduling:team_schedule", args=[team.pk])))
    assert all(sum(day.values()) == 0 for day in grid["alice"])


def test_the_team_week_lists_a_case_manager_with_no_visits(
    client, team_supervisor, team, bob, frozen
):
    client.force_login(team_supervisor)
    grid = _grid(client.get(reverse("scheduling:team_schedule", args=[team.pk])))
    assert "bob" in grid


def test_a_case_managers_row_opens_their_week_read_only(
    client, team_supervisor, team, alice, visit
):
    client.force_login(team_supervisor)
    url = reverse("scheduling:team_schedule", args=[team.pk])
    response = client.get(f"{url}?case_manager={alice.pk}")
    assert _listed(response) == [visit.pk]
    assert "Record contact" not in response.content.decode()


def test_a_case_manager_outside_the_team_week_answers_404(
    client, team_supervisor, team, other_team, frozen
):
    stranger = factories.CaseManagerFactory(team=other_team)
    client.force_login(team_supervisor)
    url = reverse("scheduling:team_schedule", args=[team.pk])
    assert client.get(f"{url}?case_manager={stranger.pk}").status_code == 404


def test_a_team_not_supervised_answers_404(client, team_supervisor, other_team, frozen):
    client.force_login(team_supervisor)
    url = reverse("scheduling:team_schedule", args=[other_team.pk])
    assert client.get(url).status_code == 404


def test_a_case_manager_cannot_open_the_team_week(client, alice, team, frozen):
    client.force_login(alice)
    assert client.get(reverse("scheduling:team_schedule", args=[team.pk])).status_code == 404


def test_the_team_weeks_queries_do_not_grow_with_visits(client, team_supervisor, team, frozen):
    client.force_login(team_supervisor)

    def record(n):
        case_manager = factories.CaseManagerFactory(team=team)
        factories.PlannedVisitFactory.create_batch(
            n,
            enrollment=factories.EnrollmentFactory(case_manager=case_manager),
            scheduled_start=local(2026, 3, 5),
        )

    def counted(response):
        return sum(sum(day.values()) for row in response.context["rows"] for day in row.days)

    url = reverse("scheduling:team_schedule", args=[team.pk])
    assert_list_queries_constant(client, url, record, rows_of=counted)


def test_a_case_managers_week_in_the_team_does_not_grow_its_queries(
    client, team_supervisor, team, alice, enrollment, frozen
):
    client.force_login(team_supervisor)

    def record(n):
        factories.PlannedVisitFactory.create_batch(
            n, enrollment=enrollment, scheduled_start=local(2026, 3, 5)
        )

    url = reverse("scheduling:team_schedule", args=[team.pk]) + f"?case_manager={alice.pk}"
    assert_list_queries_constant(client, url, record, rows_of=_count_listed)


# --- My work's selector -----------------------------------------------------------------------


def test_my_work_lists_planned_visits_until_the_day_inclusive(alice, visit, past_visit):
    later = factories.PlannedVisitFactory(
        enrollment=visit.enrollment, scheduled_start=local(2026, 3, 19, 23, 59)
    )
    factories.PlannedVisitFactory(
        enrollment=visit.enrollment, scheduled_start=local(2026, 3, 20, 0, 0)
    )
    listed = selectors.visits_for_my_work(case_manager=alice, until=later.scheduled_start.date())
    assert list(listed) == [past_visit, visit, later]


def test_my_work_leaves_out_recorded_missed_and_cancelled(alice, past_visit):
    for status in ("recorded", "missed", "cancelled"):
        contact = (
            None
            if status == "cancelled"
            else factories.ContactFactory(enrollment=past_visit.enrollment)
        )
        factories.PlannedVisitFactory(
            enrollment=past_visit.enrollment, status=status, contact=contact
        )
    listed = selectors.visits_for_my_work(case_manager=alice, until=local(2026, 4, 1).date())
    assert list(listed) == [past_visit]


def test_my_work_selector_reads_visits_in_one_query(
    alice, visit, past_visit, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = list(
            selectors.visits_for_my_work(case_manager=alice, until=local(2026, 4, 1).date())
        )
        assert {v.enrollment.client.pk for v in rows} and {v.enrollment.program.pk for v in rows}
