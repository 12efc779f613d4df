"""The flag list (where the navigation bar's count leads) and the open flags on the
caseload."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule
from supervision.services import variance_decide, variance_request
from tests import factories

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _flag_list(client, user, **params):
    client.force_login(user)
    return client.get(reverse("supervision:flag_list"), params)


def _flags(response):
    return [row["flag"] for row in response.context["rows"]]


def _resolve(flag):
    Flag.objects.filter(pk=flag.pk).update(
        resolved_on=timezone.localdate(), resolved_at=timezone.now(), resolution="Met."
    )


# --- Whose flags ------------------------------------------------------------------------------


def test_it_shows_a_case_manager_their_own_caseloads_flags(client, alice, bob, enrollment):
    mine = factories.FlagFactory(enrollment=enrollment)
    factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=bob))
    assert _flags(_flag_list(client, alice)) == [mine]


def test_it_ignores_a_case_managers_choice_of_colleague(client, alice, bob, enrollment):
    mine = factories.FlagFactory(enrollment=enrollment)
    factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=bob))
    assert _flags(_flag_list(client, alice, case_manager=bob.pk)) == [mine]


def test_it_shows_a_supervisor_the_whole_team_by_default(client, sam, bob, enrollment):
    alices = factories.FlagFactory(enrollment=enrollment)
    bobs = factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=bob))
    assert set(_flags(_flag_list(client, sam))) == {alices, bobs}


def test_it_lets_a_supervisor_choose_a_case_manager(client, sam, bob, enrollment):
    factories.FlagFactory(enrollment=enrollment)
    bobs = factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=bob))
    assert _flags(_flag_list(client, sam, case_manager=bob.pk)) == [bobs]


def test_it_answers_404_for_a_case_manager_outside_the_supervisors_teams(client, sam, charlie):
    assert _flag_list(client, sam, case_manager=charlie.pk).status_code == 404


def test_it_never_shows_a_supervisor_another_teams_flags(client, sam, charlie, other_enrollment):
    factories.FlagFactory(enrollment=other_enrollment)
    assert _flags(_flag_list(client, sam, team=charlie.team_id)) == []


@pytest.mark.parametrize("role", ["ada", "quinn"])
def test_it_lets_administrators_and_qa_pick_any_team(client, request, role, other_enrollment):
    flag = factories.FlagFactory(enrollment=other_enrollment)
    response = _flag_list(client, request.getfixturevalue(role), team=other_enrollment.team_id)
    assert _flags(response) == [flag]


def test_it_leaves_resolved_flags_out(client, alice, enrollment):
    _resolve(factories.FlagFactory(enrollment=enrollment))
    assert _flags(_flag_list(client, alice)) == []


def test_it_narrows_to_one_rule(client, alice, enrollment):
    factories.FlagFactory(enrollment=enrollment)
    gap = factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    assert _flags(_flag_list(client, alice, rule=FlagRule.MONITORING_GAP)) == [gap]


def test_it_ignores_an_unknown_rule(client, alice, enrollment):
    flag = factories.FlagFactory(enrollment=enrollment)
    response = _flag_list(client, alice, rule="no_such_rule")
    assert response.status_code == 200
    assert _flags(response) == [flag]


# --- What it shows ----------------------------------------------------------------------------


def test_it_groups_flags_by_rule_in_the_engines_order(client, alice, enrollment):
    second = factories.EnrollmentFactory(case_manager=alice)
    gap = factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    initial = factories.FlagFactory(enrollment=second)
    gap_too = factories.FlagFactory(enrollment=second, rule=FlagRule.MONITORING_GAP)
    flags = _flags(_flag_list(client, alice))
    assert flags[0] == initial
    assert set(flags[1:]) == {gap, gap_too}


def test_it_lists_the_most_overdue_first_within_a_rule(client, alice, enrollment, frozen):
    later = factories.FlagFactory(enrollment=enrollment, due_on=TODAY - dt.timedelta(days=2))
    earlier = factories.FlagFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice),
        due_on=TODAY - dt.timedelta(days=9),
    )
    assert _flags(_flag_list(client, alice)) == [earlier, later]


def test_it_explains_each_flag(client, alice, enrollment, frozen):
    factories.FlagFactory(enrollment=enrollment, due_on=TODAY - dt.timedelta(days=4))
    response = _flag_list(client, alice)
    explanation = response.context["rows"][0]["explanation"]
    assert explanation["days_overdue"] == 4
    html = response.content.decode()
    assert "Initial comprehensive assessment overdue" in html
    assert "Idaho CMH clinical case management standard 7" in html
    assert "Complete the comprehensive assessment." in html
    assert "4 days overdue" in html


def test_it_says_how_long_is_left_before_a_flag_falls_due(client, alice, enrollment, frozen):
    factories.FlagFactory(
        enrollment=enrollment, rule=FlagRule.CONSENT_EXPIRING, due_on=TODAY + dt.timedelta(days=12)
    )
    assert "in 12 days" in _flag_list(client, alice).content.decode()


def test_it_links_each_flag_to_the_client(client, alice, enrollment):
    factories.FlagFactory(enrollment=enrollment)
    html = _flag_list(client, alice).content.decode()
    assert f'href="{reverse("workspace:client", args=[enrollment.client_id])}"' in html


def test_it_says_when_there_is_nothing_open(client, alice):
    assert b'id="no-flags"' in _flag_list(client, alice).content


def test_it_pages_the_flags(client, alice, monkeypatch):
    from supervision.views import flags

    monkeypatch.setattr(flags, "FLAG_LIST_PAGE_SIZE", 2)
    for _ in range(3):
        factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    response = _flag_list(client, alice, page=2)
    assert len(_flags(response)) == 1


def _queries_for_the_list(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("supervision:flag_list"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["alice", "sam"])
def test_it_uses_the_same_number_of_queries_for_2_and_10_flags(client, request, role, alice):
    viewer = request.getfixturevalue(role)
    for _ in range(2):
        factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    at_two = _queries_for_the_list(client, viewer)
    for rule in (FlagRule.MONITORING_GAP, FlagRule.NO_SERVICE_PLAN):
        for _ in range(4):
            factories.FlagFactory(
                enrollment=factories.EnrollmentFactory(case_manager=alice), rule=rule
            )
    assert _queries_for_the_list(client, viewer) == at_two


# --- On the caseload --------------------------------------------------------------------------


def _caseload_flags(client, user, enrollment) -> list[tuple[str, str]]:
    client.force_login(user)
    response = client.get(reverse("workspace:caseload"))
    return next(r["flags"] for r in response.context["rows"] if r["enrollment"] == enrollment)


def test_it_shows_each_enrollments_open_flags_on_the_caseload(client, alice, enrollment):
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    factories.FlagFactory(enrollment=enrollment)
    assert _caseload_flags(client, alice, enrollment) == [
        (FlagRule.INITIAL_ASSESSMENT_OVERDUE, "Initial assessment overdue"),
        (FlagRule.MONITORING_GAP, "Monitoring gap"),
    ]
    html = client.get(reverse("workspace:caseload")).content.decode()
    assert '<span class="badge text-bg-warning" data-rule="monitoring_gap">Monitoring gap' in html


def test_it_leaves_resolved_flags_off_the_caseload(client, alice, enrollment):
    _resolve(factories.FlagFactory(enrollment=enrollment))
    assert _caseload_flags(client, alice, enrollment) == []


def test_it_takes_the_flag_off_the_caseload_once_a_variance_is_approved(
    client, alice, ada, enrollment
):
    with time_machine.travel(FROZEN, tick=False):
        enrollment.application_date = TODAY - dt.timedelta(days=40)
        enrollment.save()
        compliance_evaluate(as_of=TODAY, enrollment_ids=[enrollment.pk])
        flag = Flag.objects.open().get(
            enrollment=enrollment, rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE
        )
        assert (flag.rule, "Initial assessment overdue") in _caseload_flags(
            client, alice, enrollment
        )
        variance = variance_request(
            actor=alice,
            enrollment=enrollment,
            rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE,
            flag=flag,
            reason="The family was out of state for three weeks.",
            proposed_due_on=TODAY + dt.timedelta(days=14),
        )
        variance_decide(actor=ada, variance=variance, approve=True, note="Agreed.")
        assert (flag.rule, "Initial assessment overdue") not in _caseload_flags(
            client, alice, enrollment
        )


def test_it_adds_no_query_per_flagged_enrollment_on_the_caseload(client, alice):
    def queries() -> int:
        client.force_login(alice)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("workspace:caseload"))
        return len(captured)

    for _ in range(2):
        factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    at_two = queries()
    for _ in range(8):
        enrollment = factories.EnrollmentFactory(case_manager=alice)
        factories.FlagFactory(enrollment=enrollment)
        factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    assert queries() == at_two
