"""workspace.my_work: what My work lists from each source, the 14-day window, the order and
whose work it is."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referrals.models import ReferralStatus
from scheduling.models import PlannedVisit
from serviceplans.due_dates import MY_WORK_WINDOW_DAYS, plus_months
from serviceplans.models import Assessment, PlanAction
from supervision.models import FlagRule
from tests import factories
from workspace import my_work

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)
LAST_DAY = TODAY + dt.timedelta(days=MY_WORK_WINDOW_DAYS)
DAY_AFTER = LAST_DAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def quiet(alice):
    """An enrollment of alice's with nothing due in the window (applied 10 days ago: the
    initial assessment is due in 20 days)."""
    return factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(10)
    )


def _items(viewer, case_manager=None):
    return my_work.my_work_items(viewer=viewer, case_manager=case_manager or viewer, today=TODAY)


def _of_kind(items, kind):
    return [item for item in items if item.kind == kind]


def _applied(alice, days_ago):
    return factories.EnrollmentFactory(
        case_manager=alice, application_date=TODAY - dt.timedelta(days=days_ago)
    )


# --- Assessments ------------------------------------------------------------------------------


def test_the_window_is_fourteen_days():
    assert MY_WORK_WINDOW_DAYS == 14
    assert my_work.my_work_until(TODAY) == LAST_DAY


def test_it_lists_an_initial_assessment_due_on_the_windows_last_day(alice):
    enrollment = _applied(alice, 30 - MY_WORK_WINDOW_DAYS)
    [item] = _of_kind(_items(alice), my_work.KIND_ASSESSMENT)
    assert (item.pk, item.due.due_on, item.kind_label) == (
        enrollment.pk,
        LAST_DAY,
        "Initial assessment",
    )


def test_it_leaves_out_an_initial_assessment_due_the_day_after_the_window(alice):
    _applied(alice, 30 - MY_WORK_WINDOW_DAYS - 1)
    assert _of_kind(_items(alice), my_work.KIND_ASSESSMENT) == []


def test_an_initial_assessment_is_due_today_on_day_30(alice):
    _applied(alice, 30)
    [item] = _of_kind(_items(alice), my_work.KIND_ASSESSMENT)
    assert (item.due.label, item.due.tone) == ("due today", "warning")


def test_an_initial_assessment_is_overdue_on_day_31(alice):
    _applied(alice, 31)
    [item] = _of_kind(_items(alice), my_work.KIND_ASSESSMENT)
    assert (item.due.label, item.due.tone) == ("overdue by 1 day", "danger")


def test_it_keeps_an_overdue_assessment_whatever_its_age(alice):
    _applied(alice, 900)
    [item] = _of_kind(_items(alice), my_work.KIND_ASSESSMENT)
    assert item.due.days == -870


def test_it_lists_the_assessment_update_on_its_anniversary(alice):
    enrollment = _applied(alice, 500)
    completed_on = plus_months(TODAY, -12) + dt.timedelta(days=10)
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=completed_on)
    [item] = _of_kind(_items(alice), my_work.KIND_ASSESSMENT)
    assert (item.kind_label, item.due.due_on) == (
        "Assessment update",
        plus_months(completed_on, 12),
    )


def test_it_starts_an_assessment_with_a_post(alice):
    enrollment = _applied(alice, 20)
    [item] = _of_kind(_items(alice), my_work.KIND_ASSESSMENT)
    assert item.action_posts
    assert item.action_url == f"/enrollments/{enrollment.pk}/assessments/new/"


def test_it_continues_a_draft_assessment(alice):
    enrollment = _applied(alice, 20)
    draft = factories.AssessmentFactory(enrollment=enrollment, status=Assessment.Status.DRAFT)
    [item] = _of_kind(_items(alice), my_work.KIND_ASSESSMENT)
    assert (item.action_label, item.action_posts) == ("Continue assessment", False)
    assert item.action_url == f"/assessments/{draft.pk}/edit/"


# --- Plan reviews -----------------------------------------------------------------------------


def _active_plan(enrollment, approved_on):
    return factories.ServicePlanFactory(enrollment=enrollment, active=True, start_date=approved_on)


def test_it_lists_a_plan_review_due_on_the_windows_last_day(quiet):
    interval = quiet.program.plan_review_interval_days
    plan = _active_plan(quiet, LAST_DAY - dt.timedelta(days=interval))
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_PLAN_REVIEW)
    assert (item.pk, item.due.due_on) == (plan.pk, LAST_DAY)
    assert item.action_url == f"/plans/{plan.pk}/review/"


def test_it_leaves_out_a_plan_review_due_the_day_after_the_window(quiet):
    _active_plan(quiet, DAY_AFTER - dt.timedelta(days=quiet.program.plan_review_interval_days))
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_PLAN_REVIEW) == []


def test_it_counts_the_plan_review_from_the_last_review(quiet):
    interval = quiet.program.plan_review_interval_days
    plan = _active_plan(quiet, TODAY - dt.timedelta(days=interval + 30))
    plan.reviews.create(reviewed_on=TODAY - dt.timedelta(days=10), reviewer=quiet.case_manager)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_PLAN_REVIEW) == []


# --- Referral follow-ups ----------------------------------------------------------------------


def _referral(enrollment, follow_up_due_on, status=ReferralStatus.SENT, **kwargs):
    return factories.ReferralFactory(
        enrollment=enrollment, status=status, follow_up_due_on=follow_up_due_on, **kwargs
    )


def test_it_lists_a_referral_follow_up_due_on_the_windows_last_day(quiet):
    referral = _referral(quiet, LAST_DAY)
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_REFERRAL)
    assert (item.pk, item.action_url) == (referral.pk, f"/referrals/{referral.pk}/")


def test_it_leaves_out_a_referral_follow_up_due_the_day_after_the_window(quiet):
    _referral(quiet, DAY_AFTER)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_REFERRAL) == []


def test_it_keeps_an_overdue_referral_follow_up_whatever_its_age(quiet):
    _referral(quiet, TODAY - dt.timedelta(days=400))
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_REFERRAL)
    assert item.due.is_overdue


def test_it_leaves_out_the_follow_up_of_an_engaged_referral(quiet):
    _referral(quiet, TODAY, status=ReferralStatus.ENGAGED)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_REFERRAL) == []


# --- Supervision: tasks and notes -------------------------------------------------------------


def _task(enrollment, due_on, **kwargs):
    note = factories.SupervisionNoteFactory(
        enrollment=enrollment, acknowledged_on=TODAY - dt.timedelta(days=1)
    )
    return factories.FollowUpTaskFactory(note=note, due_on=due_on, **kwargs)


def test_it_lists_a_follow_up_task_due_on_the_windows_last_day(quiet):
    task = _task(quiet, LAST_DAY)
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_TASK)
    assert (item.pk, item.action_label, item.action_posts) == (task.pk, "Mark done", True)
    assert item.action_url == f"/follow-up-tasks/{task.pk}/done/"


def test_it_leaves_out_a_follow_up_task_due_the_day_after_the_window(quiet):
    _task(quiet, DAY_AFTER)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_TASK) == []


def test_it_leaves_out_a_task_done(quiet):
    _task(quiet, TODAY, done_on=TODAY)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_TASK) == []


def test_it_leaves_out_a_task_someone_else_performs(quiet):
    _task(quiet, TODAY, responsible=PlanAction.Responsible.PROVIDER)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_TASK) == []


def test_it_lists_a_note_to_acknowledge(quiet):
    note = factories.SupervisionNoteFactory(enrollment=quiet, held_on=TODAY - dt.timedelta(40))
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_NOTE)
    assert (item.pk, item.action_label) == (note.pk, "Read and acknowledge")
    assert item.action_url == f"/notes/{note.pk}/"


def test_it_leaves_out_a_note_acknowledged(quiet):
    factories.SupervisionNoteFactory(enrollment=quiet, acknowledged_on=TODAY)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_NOTE) == []


# --- Consents ---------------------------------------------------------------------------------


def _consent_under_referral(enrollment, expires_on, status=ReferralStatus.SENT):
    consent = factories.ConsentFactory(
        client=enrollment.client, signed_on=TODAY - dt.timedelta(days=300), expires_on=expires_on
    )
    _referral(enrollment, DAY_AFTER + dt.timedelta(days=30), status=status, consent=consent)
    return consent


def test_it_lists_a_consent_expiring_on_the_windows_last_day_under_an_active_referral(quiet):
    consent = _consent_under_referral(quiet, LAST_DAY)
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_CONSENT)
    assert (item.pk, item.due.due_on) == (consent.pk, LAST_DAY)


def test_it_leaves_out_a_consent_expiring_the_day_after_the_window(quiet):
    _consent_under_referral(quiet, DAY_AFTER)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_CONSENT) == []


def test_it_leaves_out_a_consent_no_active_referral_relies_on(quiet):
    _consent_under_referral(quiet, LAST_DAY, status=ReferralStatus.CLOSED)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_CONSENT) == []


# --- Flags ------------------------------------------------------------------------------------


def test_it_lists_an_open_flag(quiet):
    flag = factories.FlagFactory(
        enrollment=quiet, rule=FlagRule.MONITORING_GAP, due_on=TODAY - dt.timedelta(days=3)
    )
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_FLAG)
    assert (item.pk, item.due.label) == (flag.pk, "overdue by 3 days")
    assert item.action_url == f"/clients/{quiet.client_id}/#compliance"


def test_it_leaves_out_a_flag_whose_item_it_lists(alice):
    enrollment = _applied(alice, 40)
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)
    assert _of_kind(_items(alice), my_work.KIND_FLAG) == []


def test_it_leaves_out_a_resolved_flag(quiet):
    factories.FlagFactory(
        enrollment=quiet,
        rule=FlagRule.MONITORING_GAP,
        due_on=TODAY - dt.timedelta(days=3),
        resolved_on=TODAY,
        resolved_at=FROZEN,
    )
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_FLAG) == []


# --- Planned visits --------------------------------------------------------------------------


def _visit(enrollment, day, **kwargs):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return factories.PlannedVisitFactory(enrollment=enrollment, scheduled_start=start, **kwargs)


def test_it_lists_a_visit_planned_on_the_windows_last_day(quiet):
    visit = _visit(quiet, LAST_DAY)
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_VISIT)
    assert (item.pk, item.due.due_on, item.action_htmx) == (visit.pk, LAST_DAY, True)
    assert item.action_url == f"/clients/{quiet.client_id}/contacts/new/?visit={visit.pk}"


def test_it_leaves_out_a_visit_planned_the_day_after_the_window(quiet):
    _visit(quiet, DAY_AFTER)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_VISIT) == []


def test_it_keeps_a_past_visit_neither_recorded_nor_missed(quiet):
    _visit(quiet, TODAY - dt.timedelta(days=60))
    [item] = _of_kind(_items(quiet.case_manager), my_work.KIND_VISIT)
    assert item.due.label == "overdue by 60 days"


def test_it_leaves_out_a_cancelled_visit(quiet):
    _visit(quiet, TODAY, status=PlannedVisit.Status.CANCELLED)
    assert _of_kind(_items(quiet.case_manager), my_work.KIND_VISIT) == []


# --- Order and scope --------------------------------------------------------------------------


def test_it_lists_the_soonest_first(quiet):
    _referral(quiet, TODAY + dt.timedelta(days=5))
    _task(quiet, TODAY + dt.timedelta(days=2))
    factories.FlagFactory(
        enrollment=quiet, rule=FlagRule.MONITORING_GAP, due_on=TODAY - dt.timedelta(days=1)
    )
    kinds = [item.kind for item in _items(quiet.case_manager)]
    assert kinds == [my_work.KIND_FLAG, my_work.KIND_TASK, my_work.KIND_REFERRAL]


def test_it_lists_only_the_case_managers_own_work(alice, bob):
    _applied(bob, 31)
    factories.SupervisionNoteFactory(enrollment=_applied(bob, 10))
    assert _items(alice) == []


def test_it_leaves_out_a_closed_enrollment(alice):
    enrollment = _applied(alice, 40)
    enrollment.status = enrollment.Status.CLOSED
    enrollment.closed_on = TODAY
    enrollment.close_reason = enrollment.CloseReason.GOALS_MET
    enrollment.save()
    assert _items(alice) == []


def test_a_supervisor_sees_a_case_managers_work_with_mark_done(quiet, sam):
    task = _task(quiet, TODAY)
    [item] = _of_kind(_items(sam, quiet.case_manager), my_work.KIND_TASK)
    assert (item.pk, item.action_label) == (task.pk, "Mark done")


def test_a_supervisor_opens_the_note_rather_than_acknowledge_it(quiet, sam):
    factories.SupervisionNoteFactory(enrollment=quiet)
    [item] = _of_kind(_items(sam, quiet.case_manager), my_work.KIND_NOTE)
    assert item.action_label == "Open note"


def test_a_supervisor_may_switch_to_a_case_manager_of_their_team(sam, alice):
    owner = my_work.my_work_owner(viewer=sam, case_manager_id=alice.pk)
    assert owner.case_manager == alice


def test_a_supervisor_may_not_switch_to_another_teams_case_manager(sam, charlie):
    with pytest.raises(LookupError):
        my_work.my_work_owner(viewer=sam, case_manager_id=charlie.pk)


def test_a_case_manager_may_not_switch_to_a_teammate(alice, bob):
    with pytest.raises(LookupError):
        my_work.my_work_owner(viewer=alice, case_manager_id=bob.pk)


def test_an_administrator_has_no_my_work(ada):
    with pytest.raises(PermissionDenied):
        my_work.my_work_owner(viewer=ada, case_manager_id=None)


# --- Query count ------------------------------------------------------------------------------


def _one_of_each(alice, n):
    for _ in range(n):
        enrollment = _applied(alice, 40)
        _active_plan(enrollment, TODAY - dt.timedelta(days=200))
        _referral(enrollment, TODAY)
        _task(enrollment, TODAY)
        factories.SupervisionNoteFactory(enrollment=enrollment)
        _consent_under_referral(enrollment, TODAY + dt.timedelta(days=3))
        factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
        _visit(enrollment, TODAY + dt.timedelta(days=1))
        factories.CorrectiveActionFactory(
            review__enrollment=enrollment, due_on=TODAY + dt.timedelta(days=2)
        )


def _queries(alice):
    with CaptureQueriesContext(connection) as queries:
        items = _items(alice)
    return len(items), len(queries.captured_queries)


def test_its_query_count_does_not_grow_with_the_items(alice):
    _one_of_each(alice, 2)
    items_at_two, at_two = _queries(alice)
    assert {item.kind for item in _items(alice)} == set(my_work.KIND_ORDER)
    _one_of_each(alice, 8)
    items_at_ten, at_ten = _queries(alice)
    assert items_at_ten == 5 * items_at_two
    assert at_ten == at_two
