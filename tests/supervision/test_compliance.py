"""The compliance engine: each rule at its boundary day, resolution, re-raising, idempotence,
dry runs, scoping and the number of queries."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from clients.models import Contact, Enrollment
from referrals.models import ReferralStatus
from serviceplans.models import PlanReview, RiskAlert
from serviceplans.selectors import with_assessment_due
from supervision.compliance import (
    EvaluationRefused,
    compliance_evaluate,
    compliance_replay_history_for_demo,
)
from supervision.models import Flag, FlagRule
from tests import factories
from tests.helpers import evaluate_on

pytestmark = pytest.mark.django_db

APPLIED = dt.date(2026, 3, 1)


def _day(days: int) -> dt.date:
    return APPLIED + dt.timedelta(days=days)


def _at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _open_flags(rule: str) -> dict[int, Flag]:
    return {f.enrollment_id: f for f in Flag.objects.open().filter(rule=rule)}


@pytest.fixture
def enrollment(alice: User) -> Enrollment:
    return factories.EnrollmentFactory(case_manager=alice, application_date=APPLIED)


def _contact(enrollment: Enrollment, day: dt.date, **kwargs: object) -> Contact:
    return factories.ContactFactory(enrollment=enrollment, occurred_at=_at_noon(day), **kwargs)


# --- Each rule at its boundary ----------------------------------------------------------------


def test_it_does_not_flag_the_initial_assessment_on_its_due_day(enrollment: Enrollment) -> None:
    evaluate_on(_day(30))
    assert _open_flags(FlagRule.INITIAL_ASSESSMENT_OVERDUE) == {}


def test_it_flags_the_initial_assessment_the_day_after(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    flag = _open_flags(FlagRule.INITIAL_ASSESSMENT_OVERDUE)[enrollment.pk]
    assert (flag.due_on, flag.raised_on) == (_day(30), _day(31))


def test_it_computes_the_initial_due_date_as_the_caseload_does(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    annotated = with_assessment_due(Enrollment.objects.filter(pk=enrollment.pk)).get()
    flag = _open_flags(FlagRule.INITIAL_ASSESSMENT_OVERDUE)[enrollment.pk]
    assert flag.due_on == annotated.assessment_due_on


def test_it_resolves_the_initial_assessment_once_completed(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(32))
    report = evaluate_on(_day(32))
    flag = Flag.objects.get(rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)
    assert flag.resolved_on == _day(32)
    assert flag.resolved_at is not None
    assert flag.resolution == "Comprehensive assessment completed."
    assert report.counts[FlagRule.INITIAL_ASSESSMENT_OVERDUE].resolved == 1


def test_it_flags_the_assessment_update_the_day_after_a_year(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(10))
    evaluate_on(_day(375))
    assert _open_flags(FlagRule.ASSESSMENT_UPDATE_OVERDUE) == {}
    evaluate_on(_day(376))
    assert _open_flags(FlagRule.ASSESSMENT_UPDATE_OVERDUE)[enrollment.pk].due_on == _day(375)


def test_it_flags_the_assessment_update_after_its_anniversary_across_29_february(
    enrollment: Enrollment,
) -> None:
    # 365 days after 2027-06-01 is 2028-05-31; "at least annually" is 2028-06-01.
    completed_on = dt.date(2027, 6, 1)
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=completed_on)
    evaluate_on(dt.date(2028, 6, 1))
    assert _open_flags(FlagRule.ASSESSMENT_UPDATE_OVERDUE) == {}
    evaluate_on(dt.date(2028, 6, 2))
    flag = _open_flags(FlagRule.ASSESSMENT_UPDATE_OVERDUE)[enrollment.pk]
    assert flag.due_on == dt.date(2028, 6, 1)


def test_it_flags_no_service_plan_the_day_after_its_due_day(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(5))
    evaluate_on(_day(35))
    assert _open_flags(FlagRule.NO_SERVICE_PLAN) == {}
    evaluate_on(_day(36))
    assert _open_flags(FlagRule.NO_SERVICE_PLAN)[enrollment.pk].due_on == _day(35)


def test_it_dates_no_service_plan_from_the_first_completed_assessment(
    enrollment: Enrollment,
) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(5))
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(20))
    evaluate_on(_day(36))
    assert _open_flags(FlagRule.NO_SERVICE_PLAN)[enrollment.pk].due_on == _day(35)


def test_it_resolves_no_service_plan_once_a_plan_is_approved(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(5))
    evaluate_on(_day(36))
    factories.ServicePlanFactory(enrollment=enrollment, active=True, start_date=_day(37))
    evaluate_on(_day(37))
    assert Flag.objects.get(rule=FlagRule.NO_SERVICE_PLAN).resolution == "Service plan approved."


def test_it_flags_the_plan_review_the_day_after_its_due_day(enrollment: Enrollment) -> None:
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True, start_date=_day(0))
    evaluate_on(_day(90))
    assert _open_flags(FlagRule.PLAN_REVIEW_OVERDUE) == {}
    evaluate_on(_day(91))
    flag = _open_flags(FlagRule.PLAN_REVIEW_OVERDUE)[enrollment.pk]
    assert (flag.due_on, flag.detail) == (_day(90), {"plan_id": plan.pk})


def test_it_counts_the_plan_review_from_the_last_review(enrollment: Enrollment, sam: User) -> None:
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True, start_date=_day(0))
    evaluate_on(_day(91))
    PlanReview.objects.create(plan=plan, reviewer=sam, reviewed_on=_day(92))
    evaluate_on(_day(182))
    assert Flag.objects.get(rule=FlagRule.PLAN_REVIEW_OVERDUE).resolved_on == _day(182)
    evaluate_on(_day(183))
    assert _open_flags(FlagRule.PLAN_REVIEW_OVERDUE)[enrollment.pk].due_on == _day(182)


def test_it_flags_a_monitoring_gap_from_the_application(enrollment: Enrollment) -> None:
    evaluate_on(_day(30))
    assert _open_flags(FlagRule.MONITORING_GAP) == {}
    evaluate_on(_day(31))
    assert _open_flags(FlagRule.MONITORING_GAP)[enrollment.pk].due_on == _day(30)


def test_it_flags_a_monitoring_gap_after_the_last_contact(enrollment: Enrollment) -> None:
    _contact(enrollment, _day(10))
    evaluate_on(_day(40))
    assert _open_flags(FlagRule.MONITORING_GAP) == {}
    evaluate_on(_day(41))
    assert _open_flags(FlagRule.MONITORING_GAP)[enrollment.pk].due_on == _day(40)


def test_it_does_not_count_attempted_contacts(enrollment: Enrollment) -> None:
    _contact(enrollment, _day(10))
    _contact(enrollment, _day(35), contact_type=Contact.Type.ATTEMPTED)
    evaluate_on(_day(41))
    assert _open_flags(FlagRule.MONITORING_GAP)[enrollment.pk].due_on == _day(40)


def test_it_does_not_count_contacts_after_the_as_of_date(enrollment: Enrollment) -> None:
    _contact(enrollment, _day(40))
    report = compliance_evaluate(as_of=_day(31), dry_run=True)
    assert report.counts[FlagRule.MONITORING_GAP].open == 1


def _at_local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_a_contact_late_in_the_evening_counts_on_its_local_day(enrollment: Enrollment) -> None:
    # 23:30 in Boise is the next day in UTC: the contact is still the as_of day's.
    factories.ContactFactory(enrollment=enrollment, occurred_at=_at_local(_day(31), 23, 30))
    report = compliance_evaluate(as_of=_day(31), dry_run=True)
    assert report.counts[FlagRule.MONITORING_GAP].open == 0


def test_a_contact_just_after_local_midnight_counts_on_the_next_day(
    enrollment: Enrollment,
) -> None:
    factories.ContactFactory(enrollment=enrollment, occurred_at=_at_local(_day(32), 0, 30))
    report = compliance_evaluate(as_of=_day(31), dry_run=True)
    assert report.counts[FlagRule.MONITORING_GAP].open == 1


def test_it_flags_a_referral_follow_up_the_day_after_it_is_due(enrollment: Enrollment) -> None:
    referral = factories.ReferralFactory(
        enrollment=enrollment, status=ReferralStatus.SENT, follow_up_due_on=_day(14)
    )
    evaluate_on(_day(14))
    assert _open_flags(FlagRule.REFERRAL_FOLLOW_UP_OVERDUE) == {}
    evaluate_on(_day(15))
    flag = _open_flags(FlagRule.REFERRAL_FOLLOW_UP_OVERDUE)[enrollment.pk]
    assert (flag.due_on, flag.detail) == (_day(14), {"referral_id": referral.pk})


def test_it_resolves_a_referral_follow_up_once_engaged(enrollment: Enrollment) -> None:
    referral = factories.ReferralFactory(
        enrollment=enrollment, status=ReferralStatus.SENT, follow_up_due_on=_day(14)
    )
    evaluate_on(_day(15))
    referral.status = ReferralStatus.ENGAGED
    referral.follow_up_due_on = None
    referral.save(update_fields=["status", "follow_up_due_on"])
    evaluate_on(_day(16))
    assert Flag.objects.get(rule=FlagRule.REFERRAL_FOLLOW_UP_OVERDUE).resolved_on == _day(16)


def _referral_under_consent(enrollment: Enrollment, *, expires_on: dt.date) -> int:
    consent = factories.ConsentFactory(
        client=enrollment.client, signed_on=APPLIED, expires_on=expires_on
    )
    factories.ReferralFactory(enrollment=enrollment, status=ReferralStatus.SENT, consent=consent)
    return consent.pk


def test_it_flags_a_consent_thirty_days_before_it_expires(enrollment: Enrollment) -> None:
    consent_id = _referral_under_consent(enrollment, expires_on=_day(100))
    evaluate_on(_day(69))
    assert _open_flags(FlagRule.CONSENT_EXPIRING) == {}
    evaluate_on(_day(70))
    flag = _open_flags(FlagRule.CONSENT_EXPIRING)[enrollment.pk]
    assert (flag.due_on, flag.detail) == (_day(100), {"consent_id": consent_id})


def test_it_does_not_flag_a_consent_of_a_draft_referral(enrollment: Enrollment) -> None:
    consent = factories.ConsentFactory(
        client=enrollment.client, signed_on=APPLIED, expires_on=_day(100)
    )
    factories.ReferralFactory(enrollment=enrollment, consent=consent)
    evaluate_on(_day(90))
    assert _open_flags(FlagRule.CONSENT_EXPIRING) == {}


def _risk_alert(enrollment: Enrollment, *, raised_on: dt.date) -> RiskAlert:
    screen = factories.RiskScreenFactory(
        enrollment=enrollment, screened_on=raised_on, suicidal_ideation=True, positive=True
    )
    alert = RiskAlert.objects.create(risk_screen=screen, team=enrollment.team)
    RiskAlert.objects.filter(pk=alert.pk).update(raised_at=_at_noon(raised_on))
    return alert


def test_it_flags_an_unreviewed_risk_screen_on_the_day_it_is_raised(
    enrollment: Enrollment,
) -> None:
    alert = _risk_alert(enrollment, raised_on=_day(5))
    evaluate_on(_day(4))
    assert _open_flags(FlagRule.RISK_SCREEN_UNREVIEWED) == {}
    evaluate_on(_day(5))
    flag = _open_flags(FlagRule.RISK_SCREEN_UNREVIEWED)[enrollment.pk]
    assert (flag.due_on, flag.detail) == (_day(5), {"risk_alert_id": alert.pk})


def test_it_resolves_a_risk_screen_once_reviewed(enrollment: Enrollment, sam: User) -> None:
    alert = _risk_alert(enrollment, raised_on=_day(5))
    evaluate_on(_day(5))
    RiskAlert.objects.filter(pk=alert.pk).update(reviewed_at=_at_noon(_day(6)), reviewed_by=sam)
    evaluate_on(_day(6))
    flag = Flag.objects.get(rule=FlagRule.RISK_SCREEN_UNREVIEWED)
    assert flag.resolution == "Risk screen reviewed by a supervisor."


# --- Raising, resolving, re-raising -----------------------------------------------------------


def test_it_raises_a_new_flag_when_a_met_rule_lapses_again(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    _contact(enrollment, _day(32))
    evaluate_on(_day(32))
    evaluate_on(_day(63))
    flags = Flag.objects.filter(rule=FlagRule.MONITORING_GAP).order_by("raised_on")
    assert [(f.due_on, f.resolved_on) for f in flags] == [(_day(30), _day(32)), (_day(62), None)]


def test_it_is_idempotent(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    before = list(Flag.objects.values_list("pk", "rule", "due_on", "resolved_on"))
    report = evaluate_on(_day(31))
    assert report.raised == 0
    assert report.resolved == 0
    assert list(Flag.objects.values_list("pk", "rule", "due_on", "resolved_on")) == before
    assert report.counts[FlagRule.MONITORING_GAP].open == 1


def test_it_writes_nothing_on_a_dry_run(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    before = list(Flag.objects.values_list("pk", "resolved_on"))
    with time_machine.travel(_at_noon(_day(400)), tick=False):
        report = compliance_evaluate(as_of=_day(400), dry_run=True)
    assert list(Flag.objects.values_list("pk", "resolved_on")) == before
    assert report.counts[FlagRule.MONITORING_GAP].raised == 0  # already open
    assert (enrollment.pk, FlagRule.INITIAL_ASSESSMENT_OVERDUE, _day(30)) in {
        (d.enrollment_id, d.rule, d.due_on) for d in report.due
    }


def test_it_reports_as_of_a_past_date_without_writing(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(40))
    report = compliance_evaluate(as_of=_day(35), dry_run=True)
    assert report.counts[FlagRule.INITIAL_ASSESSMENT_OVERDUE].open == 1
    assert Flag.objects.count() == 0


def test_it_limits_the_evaluation_to_the_given_enrollments(
    enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    Enrollment.objects.filter(pk=other_enrollment.pk).update(application_date=APPLIED)
    evaluate_on(_day(31), enrollment_ids=[enrollment.pk])
    assert set(Flag.objects.values_list("enrollment_id", flat=True)) == {enrollment.pk}


def _close(enrollment: Enrollment, on: dt.date) -> None:
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.CLOSED,
        closed_on=on,
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )


def test_it_raises_no_flags_on_closed_enrollments(enrollment: Enrollment) -> None:
    _close(enrollment, _day(20))
    evaluate_on(_day(31))
    assert Flag.objects.count() == 0


def test_it_resolves_the_open_flags_of_a_closed_enrollment(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    _close(enrollment, _day(32))
    report = evaluate_on(_day(32))
    assert Flag.objects.open().count() == 0
    assert set(Flag.objects.values_list("resolution", flat=True)) == {"Enrollment closed."}
    # Two of supervision's rules and the outcome measures' intake (outcomes.compliance).
    assert report.resolved == 3


def test_it_refuses_a_second_open_flag(enrollment: Enrollment) -> None:
    fields = {
        "enrollment": enrollment,
        "rule": FlagRule.MONITORING_GAP,
        "due_on": _day(30),
        "raised_on": _day(31),
        "raised_at": timezone.now(),
    }
    Flag.objects.create(**fields)
    with pytest.raises(IntegrityError):
        Flag.objects.create(**fields)


def test_it_explains_a_flag(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    flag = Flag.objects.get(rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)
    explained = flag.explain(as_of=_day(35))
    assert explained["days_overdue"] == 5
    assert explained["due_on"] == _day(30)
    assert "standard 7" in explained["standard"]
    assert explained["satisfied_by"] == "Complete the comprehensive assessment."


def test_its_queries_do_not_grow_with_the_enrollments(alice: User) -> None:
    def queries_for(count: int) -> int:
        ids = [
            factories.EnrollmentFactory(case_manager=alice, application_date=APPLIED).pk
            for _ in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            evaluate_on(_day(31), enrollment_ids=ids)
        return len(queries)

    assert queries_for(3) == queries_for(30)


# --- The command ------------------------------------------------------------------------------


def test_it_prints_the_counts_per_rule(enrollment: Enrollment) -> None:
    out = StringIO()
    with time_machine.travel(_at_noon(dt.date(2026, 4, 1)), tick=False):
        call_command("evaluate_compliance", "--as-of", "2026-04-01", stdout=out)
    output = out.getvalue()
    assert "initial_assessment_overdue" in output
    # Two of supervision's rules and the outcome measures' intake (outcomes.compliance).
    assert "3 flags were raised, 0 resolved." in output
    assert Flag.objects.count() == 3


def test_it_writes_nothing_from_the_command_on_a_dry_run(enrollment: Enrollment) -> None:
    out = StringIO()
    call_command(
        "evaluate_compliance",
        "--as-of",
        "2026-04-01",
        "--dry-run",
        "--enrollment",
        str(enrollment.pk),
        stdout=out,
    )
    assert "flags would have been open on 2026-04-01." in out.getvalue()
    assert Flag.objects.count() == 0


def test_it_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("evaluate_compliance", "--as-of", "31/03/2026")


# --- As of another day: a report, never a write (issue 12) ------------------------------------


def test_it_refuses_to_write_as_of_a_past_date(enrollment: Enrollment) -> None:
    with (
        time_machine.travel(_at_noon(_day(40)), tick=False),
        pytest.raises(EvaluationRefused, match="only a dry run"),
    ):
        compliance_evaluate(as_of=_day(39))
    assert Flag.objects.count() == 0


def test_it_refuses_to_write_as_of_a_future_date(enrollment: Enrollment) -> None:
    with time_machine.travel(_at_noon(_day(40)), tick=False), pytest.raises(EvaluationRefused):
        compliance_evaluate(as_of=_day(41))


def test_it_leaves_todays_flags_alone_when_refusing_a_past_date(enrollment: Enrollment) -> None:
    evaluate_on(_day(40))
    before = list(Flag.objects.values_list("pk", "resolved_on", "resolution"))
    with (
        time_machine.travel(_at_noon(_day(41)), tick=False),
        pytest.raises(CommandError, match="Add --dry-run"),
    ):
        call_command("evaluate_compliance", "--as-of", f"{_day(20)}", stdout=StringIO())
    assert list(Flag.objects.values_list("pk", "resolved_on", "resolution")) == before


def test_the_command_writes_as_of_today_without_the_flag(enrollment: Enrollment) -> None:
    with time_machine.travel(_at_noon(_day(31)), tick=False):
        call_command("evaluate_compliance", stdout=StringIO())
    assert set(_open_flags(FlagRule.INITIAL_ASSESSMENT_OVERDUE)) == {enrollment.pk}


def test_a_past_dry_run_counts_what_was_open_then_not_todays_flags(
    enrollment: Enrollment,
) -> None:
    evaluate_on(_day(31))  # today's flag: the initial assessment
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(32))
    with time_machine.travel(_at_noon(_day(33)), tick=False):
        report = compliance_evaluate(as_of=_day(30), dry_run=True)
    counts = report.counts[FlagRule.INITIAL_ASSESSMENT_OVERDUE]
    assert (counts.open, counts.raised, counts.resolved) == (0, 0, 0)
    assert not report.compared_with_stored_flags


def test_a_past_dry_run_counts_as_open_a_rule_due_the_day_before(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(32))
    with time_machine.travel(_at_noon(_day(33)), tick=False):
        report = compliance_evaluate(as_of=_day(31), dry_run=True)
    assert report.counts[FlagRule.INITIAL_ASSESSMENT_OVERDUE].open == 1
    assert report.open == sum(c.open for c in report.counts.values())


def test_a_past_dry_run_counts_an_enrollment_closed_since(enrollment: Enrollment) -> None:
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.CLOSED, closed_on=_day(50), close_reason="Moved away."
    )
    with time_machine.travel(_at_noon(_day(60)), tick=False):
        report = compliance_evaluate(as_of=_day(31), dry_run=True)
    assert report.counts[FlagRule.INITIAL_ASSESSMENT_OVERDUE].open == 1


def test_the_command_prints_what_was_open_then_on_a_past_dry_run(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(32))
    out = StringIO()
    with time_machine.travel(_at_noon(_day(40)), tick=False):
        call_command("evaluate_compliance", "--as-of", f"{_day(31)}", "--dry-run", stdout=out)
    output = out.getvalue()
    assert "today's flags are not compared" in output
    assert "resolved" not in output
    assert "flags would have been open on 2026-04-01." in output


# --- The demo's replayed history --------------------------------------------------------------


def _demo_enrollment(alice: User) -> Enrollment:
    client = factories.ClientFactory(record_number="D-0001")
    return factories.EnrollmentFactory(client=client, case_manager=alice, application_date=APPLIED)


def test_the_demo_replay_writes_a_flag_history_on_a_demo_database(alice: User) -> None:
    enrollment = _demo_enrollment(alice)
    with time_machine.travel(_at_noon(_day(50)), tick=False):
        compliance_replay_history_for_demo(today=_day(50), weeks=2)
    flag = Flag.objects.get(enrollment=enrollment, rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)
    assert (flag.raised_on, flag.resolved_on) == (_day(36), None)


def test_the_demo_replay_refuses_a_database_with_a_client_not_of_the_demo(alice: User) -> None:
    _demo_enrollment(alice)
    factories.EnrollmentFactory(case_manager=alice, application_date=APPLIED)
    with pytest.raises(EvaluationRefused, match="Not a demo agency"):
        compliance_replay_history_for_demo(today=_day(50), weeks=2)
    assert Flag.objects.count() == 0


def test_the_demo_replay_refuses_an_empty_database() -> None:
    with pytest.raises(EvaluationRefused, match="Not a demo agency"):
        compliance_replay_history_for_demo(today=_day(50), weeks=2)


def test_the_demo_replay_refuses_a_database_that_holds_flags(alice: User) -> None:
    enrollment = _demo_enrollment(alice)
    evaluate_on(_day(40), enrollment_ids=[enrollment.pk])
    with pytest.raises(EvaluationRefused, match="already holds flags"):
        compliance_replay_history_for_demo(today=_day(50), weeks=2)
