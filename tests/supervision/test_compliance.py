"""The compliance engine: each rule at its boundary day, resolution, re-raising, idempotence,
dry runs, scoping and the number of queries."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from clients.models import Contact, Enrollment
from referrals.models import ReferralStatus
from serviceplans.models import PlanReview, RiskAlert
from serviceplans.selectors import with_assessment_due
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule
from tests import factories

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
    compliance_evaluate(as_of=_day(30))
    assert _open_flags(FlagRule.INITIAL_ASSESSMENT_OVERDUE) == {}


def test_it_flags_the_initial_assessment_the_day_after(enrollment: Enrollment) -> None:
    compliance_evaluate(as_of=_day(31))
    flag = _open_flags(FlagRule.INITIAL_ASSESSMENT_OVERDUE)[enrollment.pk]
    assert (flag.due_on, flag.raised_on) == (_day(30), _day(31))


def test_it_computes_the_initial_due_date_as_the_caseload_does(enrollment: Enrollment) -> None:
    compliance_evaluate(as_of=_day(31))
    annotated = with_assessment_due(Enrollment.objects.filter(pk=enrollment.pk)).get()
    flag = _open_flags(FlagRule.INITIAL_ASSESSMENT_OVERDUE)[enrollment.pk]
    assert flag.due_on == annotated.assessment_due_on


def test_it_resolves_the_initial_assessment_once_completed(enrollment: Enrollment) -> None:
    compliance_evaluate(as_of=_day(31))
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(32))
    report = compliance_evaluate(as_of=_day(32))
    flag = Flag.objects.get(rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)
    assert flag.resolved_on == _day(32)
    assert flag.resolved_at is not None
    assert flag.resolution == "Comprehensive assessment completed."
    assert report.counts[FlagRule.INITIAL_ASSESSMENT_OVERDUE].resolved == 1


def test_it_flags_the_assessment_update_the_day_after_a_year(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(10))
    compliance_evaluate(as_of=_day(375))
    assert _open_flags(FlagRule.ASSESSMENT_UPDATE_OVERDUE) == {}
    compliance_evaluate(as_of=_day(376))
    assert _open_flags(FlagRule.ASSESSMENT_UPDATE_OVERDUE)[enrollment.pk].due_on == _day(375)


def test_it_flags_the_assessment_update_after_its_anniversary_across_29_february(
    enrollment: Enrollment,
) -> None:
    # 365 days after 2027-06-01 is 2028-05-31; "at least annually" is 2028-06-01.
    completed_on = dt.date(2027, 6, 1)
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=completed_on)
    compliance_evaluate(as_of=dt.date(2028, 6, 1))
    assert _open_flags(FlagRule.ASSESSMENT_UPDATE_OVERDUE) == {}
    compliance_evaluate(as_of=dt.date(2028, 6, 2))
    flag = _open_flags(FlagRule.ASSESSMENT_UPDATE_OVERDUE)[enrollment.pk]
    assert flag.due_on == dt.date(2028, 6, 1)


def test_it_flags_no_service_plan_the_day_after_its_due_day(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(5))
    compliance_evaluate(as_of=_day(35))
    assert _open_flags(FlagRule.NO_SERVICE_PLAN) == {}
    compliance_evaluate(as_of=_day(36))
    assert _open_flags(FlagRule.NO_SERVICE_PLAN)[enrollment.pk].due_on == _day(35)


def test_it_resolves_no_service_plan_once_a_plan_is_approved(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(5))
    compliance_evaluate(as_of=_day(36))
    factories.ServicePlanFactory(enrollment=enrollment, active=True, start_date=_day(37))
    compliance_evaluate(as_of=_day(37))
    assert Flag.objects.get(rule=FlagRule.NO_SERVICE_PLAN).resolution == "Service plan approved."


def test_it_flags_the_plan_review_the_day_after_its_due_day(enrollment: Enrollment) -> None:
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True, start_date=_day(0))
    compliance_evaluate(as_of=_day(90))
    assert _open_flags(FlagRule.PLAN_REVIEW_OVERDUE) == {}
    compliance_evaluate(as_of=_day(91))
    flag = _open_flags(FlagRule.PLAN_REVIEW_OVERDUE)[enrollment.pk]
    assert (flag.due_on, flag.detail) == (_day(90), {"plan_id": plan.pk})


def test_it_counts_the_plan_review_from_the_last_review(enrollment: Enrollment, sam: User) -> None:
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True, start_date=_day(0))
    compliance_evaluate(as_of=_day(91))
    PlanReview.objects.create(plan=plan, reviewer=sam, reviewed_on=_day(92))
    compliance_evaluate(as_of=_day(182))
    assert Flag.objects.get(rule=FlagRule.PLAN_REVIEW_OVERDUE).resolved_on == _day(182)
    compliance_evaluate(as_of=_day(183))
    assert _open_flags(FlagRule.PLAN_REVIEW_OVERDUE)[enrollment.pk].due_on == _day(182)


def test_it_flags_a_monitoring_gap_from_the_application(enrollment: Enrollment) -> None:
    compliance_evaluate(as_of=_day(30))
    assert _open_flags(FlagRule.MONITORING_GAP) == {}
    compliance_evaluate(as_of=_day(31))
    assert _open_flags(FlagRule.MONITORING_GAP)[enrollment.pk].due_on == _day(30)


def test_it_flags_a_monitoring_gap_after_the_last_contact(enrollment: Enrollment) -> None:
    _contact(enrollment, _day(10))
    compliance_evaluate(as_of=_day(40))
    assert _open_flags(FlagRule.MONITORING_GAP) == {}
    compliance_evaluate(as_of=_day(41))
    assert _open_flags(FlagRule.MONITORING_GAP)[enrollment.pk].due_on == _day(40)


def test_it_does_not_count_attempted_contacts(enrollment: Enrollment) -> None:
    _contact(enrollment, _day(10))
    _contact(enrollment, _day(35), contact_type=Contact.Type.ATTEMPTED)
    compliance_evaluate(as_of=_day(41))
    assert _open_flags(FlagRule.MONITORING_GAP)[enrollment.pk].due_on == _day(40)


def test_it_does_not_count_contacts_after_the_as_of_date(enrollment: Enrollment) -> None:
    _contact(enrollment, _day(40))
    report = compliance_evaluate(as_of=_day(31), dry_run=True)
    assert report.counts[FlagRule.MONITORING_GAP].raised == 1


def test_it_flags_a_referral_follow_up_the_day_after_it_is_due(enrollment: Enrollment) -> None:
    referral = factories.ReferralFactory(
        enrollment=enrollment, status=ReferralStatus.SENT, follow_up_due_on=_day(14)
    )
    compliance_evaluate(as_of=_day(14))
    assert _open_flags(FlagRule.REFERRAL_FOLLOW_UP_OVERDUE) == {}
    compliance_evaluate(as_of=_day(15))
    flag = _open_flags(FlagRule.REFERRAL_FOLLOW_UP_OVERDUE)[enrollment.pk]
    assert (flag.due_on, flag.detail) == (_day(14), {"referral_id": referral.pk})


def test_it_resolves_a_referral_follow_up_once_engaged(enrollment: Enrollment) -> None:
    referral = factories.ReferralFactory(
        enrollment=enrollment, status=ReferralStatus.SENT, follow_up_due_on=_day(14)
    )
    compliance_evaluate(as_of=_day(15))
    referral.status = ReferralStatus.ENGAGED
    referral.follow_up_due_on = None
    referral.save(update_fields=["status", "follow_up_due_on"])
    compliance_evaluate(as_of=_day(16))
    assert Flag.objects.get(rule=FlagRule.REFERRAL_FOLLOW_UP_OVERDUE).resolved_on == _day(16)


def _referral_under_consent(enrollment: Enrollment, *, expires_on: dt.date) -> int:
    consent = factories.ConsentFactory(
        client=enrollment.client, signed_on=APPLIED, expires_on=expires_on
    )
    factories.ReferralFactory(enrollment=enrollment, status=ReferralStatus.SENT, consent=consent)
    return consent.pk


def test_it_flags_a_consent_thirty_days_before_it_expires(enrollment: Enrollment) -> None:
    consent_id = _referral_under_consent(enrollment, expires_on=_day(100))
    compliance_evaluate(as_of=_day(69))
    assert _open_flags(FlagRule.CONSENT_EXPIRING) == {}
    compliance_evaluate(as_of=_day(70))
    flag = _open_flags(FlagRule.CONSENT_EXPIRING)[enrollment.pk]
    assert (flag.due_on, flag.detail) == (_day(100), {"consent_id": consent_id})


def test_it_does_not_flag_a_consent_of_a_draft_referral(enrollment: Enrollment) -> None:
    consent = factories.ConsentFactory(
        client=enrollment.client, signed_on=APPLIED, expires_on=_day(100)
    )
    factories.ReferralFactory(enrollment=enrollment, consent=consent)
    compliance_evaluate(as_of=_day(90))
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
    compliance_evaluate(as_of=_day(4))
    assert _open_flags(FlagRule.RISK_SCREEN_UNREVIEWED) == {}
    compliance_evaluate(as_of=_day(5))
    flag = _open_flags(FlagRule.RISK_SCREEN_UNREVIEWED)[enrollment.pk]
    assert (flag.due_on, flag.detail) == (_day(5), {"risk_alert_id": alert.pk})


def test_it_resolves_a_risk_screen_once_reviewed(enrollment: Enrollment, sam: User) -> None:
    alert = _risk_alert(enrollment, raised_on=_day(5))
    compliance_evaluate(as_of=_day(5))
    RiskAlert.objects.filter(pk=alert.pk).update(reviewed_at=_at_noon(_day(6)), reviewed_by=sam)
    compliance_evaluate(as_of=_day(6))
    flag = Flag.objects.get(rule=FlagRule.RISK_SCREEN_UNREVIEWED)
    assert flag.resolution == "Risk screen reviewed by a supervisor."


# --- Raising, resolving, re-raising -----------------------------------------------------------


def test_it_raises_a_new_flag_when_a_met_rule_lapses_again(enrollment: Enrollment) -> None:
    compliance_evaluate(as_of=_day(31))
    _contact(enrollment, _day(32))
    compliance_evaluate(as_of=_day(32))
    compliance_evaluate(as_of=_day(63))
    flags = Flag.objects.filter(rule=FlagRule.MONITORING_GAP).order_by("raised_on")
    assert [(f.due_on, f.resolved_on) for f in flags] == [(_day(30), _day(32)), (_day(62), None)]


def test_it_is_idempotent(enrollment: Enrollment) -> None:
    compliance_evaluate(as_of=_day(31))
    before = list(Flag.objects.values_list("pk", "rule", "due_on", "resolved_on"))
    report = compliance_evaluate(as_of=_day(31))
    assert report.raised == 0
    assert report.resolved == 0
    assert list(Flag.objects.values_list("pk", "rule", "due_on", "resolved_on")) == before
    assert report.counts[FlagRule.MONITORING_GAP].open == 1


def test_it_writes_nothing_on_a_dry_run(enrollment: Enrollment) -> None:
    compliance_evaluate(as_of=_day(31))
    before = list(Flag.objects.values_list("pk", "resolved_on"))
    report = compliance_evaluate(as_of=_day(400), dry_run=True)
    assert list(Flag.objects.values_list("pk", "resolved_on")) == before
    assert report.counts[FlagRule.MONITORING_GAP].raised == 0  # already open
    assert (enrollment.pk, FlagRule.INITIAL_ASSESSMENT_OVERDUE, _day(30)) in {
        (d.enrollment_id, d.rule, d.due_on) for d in report.due
    }


def test_it_reports_as_of_a_past_date_without_writing(enrollment: Enrollment) -> None:
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(40))
    report = compliance_evaluate(as_of=_day(35), dry_run=True)
    assert report.counts[FlagRule.INITIAL_ASSESSMENT_OVERDUE].raised == 1
    assert Flag.objects.count() == 0


def test_it_limits_the_evaluation_to_the_given_enrollments(
    enrollment: Enrollment, other_enrollment: Enrollment
) -> None:
    Enrollment.objects.filter(pk=other_enrollment.pk).update(application_date=APPLIED)
    compliance_evaluate(as_of=_day(31), enrollment_ids=[enrollment.pk])
    assert set(Flag.objects.values_list("enrollment_id", flat=True)) == {enrollment.pk}


def _close(enrollment: Enrollment, on: dt.date) -> None:
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.CLOSED,
        closed_on=on,
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )


def test_it_raises_no_flags_on_closed_enrollments(enrollment: Enrollment) -> None:
    _close(enrollment, _day(20))
    compliance_evaluate(as_of=_day(31))
    assert Flag.objects.count() == 0


def test_it_resolves_the_open_flags_of_a_closed_enrollment(enrollment: Enrollment) -> None:
    compliance_evaluate(as_of=_day(31))
    _close(enrollment, _day(32))
    report = compliance_evaluate(as_of=_day(32))
    assert Flag.objects.open().count() == 0
    assert set(Flag.objects.values_list("resolution", flat=True)) == {"Enrollment closed."}
    assert report.resolved == 2


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
    compliance_evaluate(as_of=_day(31))
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
            compliance_evaluate(as_of=_day(31), enrollment_ids=ids)
        return len(queries)

    assert queries_for(3) == queries_for(30)


# --- The command ------------------------------------------------------------------------------


def test_it_prints_the_counts_per_rule(enrollment: Enrollment) -> None:
    out = StringIO()
    call_command("evaluate_compliance", "--as-of", "2026-04-01", stdout=out)
    output = out.getvalue()
    assert "initial_assessment_overdue" in output
    assert "2 flags were raised, 0 resolved." in output
    assert Flag.objects.count() == 2


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
    assert "2 flags would be raised" in out.getvalue()
    assert Flag.objects.count() == 0


def test_it_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("evaluate_compliance", "--as-of", "31/03/2026")
