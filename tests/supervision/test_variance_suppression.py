"""An approved variance suppresses its rule on its enrollment until its approved due date
(Idaho CMH clinical case management standard 11): not raised, an open flag resolved saying
until when, and back as a new flag the day after if the requirement is still unmet."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from clients.models import Enrollment
from supervision import services
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule, Variance
from tests import factories
from tests.helpers import evaluate_on

pytestmark = pytest.mark.django_db

APPLIED = dt.date(2026, 3, 1)
INITIAL = FlagRule.INITIAL_ASSESSMENT_OVERDUE


def _day(days: int) -> dt.date:
    return APPLIED + dt.timedelta(days=days)


def _at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _open_flag(enrollment: Enrollment, rule: str = INITIAL) -> Flag | None:
    return Flag.objects.open().filter(enrollment=enrollment, rule=rule).first()


@pytest.fixture
def enrollment(alice: User) -> Enrollment:
    return factories.EnrollmentFactory(case_manager=alice, application_date=APPLIED)


def _approved(
    enrollment: Enrollment,
    *,
    decided_on: dt.date,
    until: dt.date,
    rule: str = INITIAL,
    decided_by: User | None = None,
) -> Variance:
    return factories.VarianceFactory(
        enrollment=enrollment,
        rule=rule,
        proposed_due_on=until,
        status=Variance.Status.APPROVED,
        decided_by=decided_by or factories.AdministratorFactory(),
        decided_at=_at_noon(decided_on),
        approved_due_on=until,
    )


def test_an_approved_variance_suppresses_its_rule(enrollment: Enrollment) -> None:
    _approved(enrollment, decided_on=_day(20), until=_day(60))
    report = evaluate_on(_day(35))
    assert _open_flag(enrollment) is None
    assert report.counts[INITIAL].suppressed == 1
    assert report.counts[INITIAL].raised == 0
    assert INITIAL not in {item.rule for item in report.due}


def test_it_leaves_the_other_rules_of_the_enrollment_alone(enrollment: Enrollment) -> None:
    _approved(enrollment, decided_on=_day(20), until=_day(60))
    evaluate_on(_day(35))
    assert _open_flag(enrollment, FlagRule.MONITORING_GAP) is not None


def test_it_resolves_an_open_flag_once_a_variance_is_approved(enrollment: Enrollment) -> None:
    evaluate_on(_day(31))
    flag = _open_flag(enrollment)
    assert flag is not None
    _approved(enrollment, decided_on=_day(32), until=dt.date(2026, 4, 15))
    report = evaluate_on(_day(32))
    flag.refresh_from_db()
    assert flag.resolved_on == _day(32)
    assert flag.resolution == "Variance approved until 2026-04-15."
    assert report.counts[INITIAL].resolved == 1
    assert report.counts[INITIAL].open == 0


def test_it_still_suppresses_on_the_approved_date(enrollment: Enrollment) -> None:
    _approved(enrollment, decided_on=_day(31), until=_day(45))
    evaluate_on(_day(45))
    assert _open_flag(enrollment) is None


def test_it_raises_the_flag_again_the_day_after_the_approved_date(
    enrollment: Enrollment,
) -> None:
    _approved(enrollment, decided_on=_day(31), until=_day(45))
    evaluate_on(_day(45))
    report = evaluate_on(_day(46))
    flag = _open_flag(enrollment)
    assert flag is not None
    assert (flag.due_on, flag.raised_on) == (_day(30), _day(46))
    assert report.counts[INITIAL].suppressed == 0


def test_the_flag_returns_as_a_new_flag_after_a_decided_variance_lapses(
    enrollment: Enrollment, alice: User, ada: User
) -> None:
    """Through the services, day by day: overdue, excused until day 45, overdue again."""
    with time_machine.travel(_at_noon(_day(31)), tick=False):
        compliance_evaluate(as_of=timezone.localdate())
        first = _open_flag(enrollment)
        assert first is not None
        variance = services.variance_request(
            actor=alice,
            enrollment=enrollment,
            flag=first,
            reason="The family was out of state.",
            proposed_due_on=_day(45),
        )
    with time_machine.travel(_at_noon(_day(32)), tick=False):
        services.variance_decide(actor=ada, variance=variance, approve=True, note="")
        assert _open_flag(enrollment) is None
    with time_machine.travel(_at_noon(_day(45)), tick=False):
        compliance_evaluate(as_of=timezone.localdate())
        assert _open_flag(enrollment) is None
    with time_machine.travel(_at_noon(_day(46)), tick=False):
        compliance_evaluate(as_of=timezone.localdate())
        again = _open_flag(enrollment)
    assert again is not None
    assert again.pk != first.pk
    first.refresh_from_db()
    assert (first.resolved_on, first.resolution) == (
        _day(32),
        f"Variance approved until {_day(45):%Y-%m-%d}.",
    )


def test_it_does_not_raise_the_flag_again_once_the_requirement_is_met(
    enrollment: Enrollment,
) -> None:
    _approved(enrollment, decided_on=_day(31), until=_day(45))
    factories.AssessmentFactory(enrollment=enrollment, completed=True, completed_on=_day(40))
    evaluate_on(_day(46))
    assert _open_flag(enrollment) is None


def test_a_pending_variance_suppresses_nothing(enrollment: Enrollment) -> None:
    factories.VarianceFactory(enrollment=enrollment, proposed_due_on=_day(60))
    report = evaluate_on(_day(35))
    assert _open_flag(enrollment) is not None
    assert report.counts[INITIAL].suppressed == 0


def test_a_denied_variance_suppresses_nothing(enrollment: Enrollment) -> None:
    factories.VarianceFactory(
        enrollment=enrollment,
        proposed_due_on=_day(60),
        status=Variance.Status.DENIED,
        decided_by=factories.AdministratorFactory(),
        decided_at=_at_noon(_day(32)),
        decision_note="Not a reason to wait.",
    )
    evaluate_on(_day(35))
    assert _open_flag(enrollment) is not None


def test_a_variance_of_another_rule_suppresses_nothing(enrollment: Enrollment) -> None:
    _approved(enrollment, decided_on=_day(20), until=_day(60), rule=FlagRule.MONITORING_GAP)
    evaluate_on(_day(35))
    assert _open_flag(enrollment) is not None
    assert _open_flag(enrollment, FlagRule.MONITORING_GAP) is None


def test_a_variance_of_another_enrollment_suppresses_nothing(
    enrollment: Enrollment, alice: User
) -> None:
    other = factories.EnrollmentFactory(case_manager=alice, application_date=APPLIED)
    _approved(other, decided_on=_day(20), until=_day(60))
    evaluate_on(_day(35))
    assert _open_flag(enrollment) is not None
    assert _open_flag(other) is None


def test_a_dry_run_before_the_decision_ignores_the_variance(enrollment: Enrollment) -> None:
    _approved(enrollment, decided_on=_day(40), until=_day(70))
    report = compliance_evaluate(as_of=_day(35), dry_run=True)
    assert report.counts[INITIAL].open == 1
    assert report.counts[INITIAL].suppressed == 0
    assert Flag.objects.count() == 0


def test_a_dry_run_after_the_decision_honours_the_variance_and_writes_nothing(
    enrollment: Enrollment,
) -> None:
    evaluate_on(_day(31))
    _approved(enrollment, decided_on=_day(40), until=_day(70))
    before = list(Flag.objects.values_list("pk", "resolved_on", "resolution"))
    with time_machine.travel(_at_noon(_day(41)), tick=False):
        report = compliance_evaluate(as_of=_day(41), dry_run=True)
    assert report.counts[INITIAL].suppressed == 1
    assert report.counts[INITIAL].resolved == 1  # would be resolved
    assert list(Flag.objects.values_list("pk", "resolved_on", "resolution")) == before


def test_its_queries_do_not_grow_with_the_variances(alice: User) -> None:
    admin = factories.AdministratorFactory()

    def queries_for(count: int) -> int:
        ids = []
        for _ in range(count):
            enrollment = factories.EnrollmentFactory(case_manager=alice, application_date=APPLIED)
            evaluate_on(_day(31), enrollment_ids=[enrollment.pk])
            # Different dates: each flag says its own.
            _approved(enrollment, decided_on=_day(32), until=_day(40 + len(ids)), decided_by=admin)
            ids.append(enrollment.pk)
        with CaptureQueriesContext(connection) as queries:
            report = evaluate_on(_day(32), enrollment_ids=ids)
        assert report.counts[INITIAL].resolved == count
        return len(queries)

    assert queries_for(2) == queries_for(10)
    resolutions = set(
        Flag.objects.filter(rule=INITIAL).values_list("resolution", flat=True).distinct()
    )
    assert f"Variance approved until {_day(49):%Y-%m-%d}." in resolutions


def test_the_command_prints_the_suppressed_count(enrollment: Enrollment) -> None:
    _approved(enrollment, decided_on=_day(20), until=_day(60))
    out = StringIO()
    with time_machine.travel(_at_noon(_day(35)), tick=False):
        call_command("evaluate_compliance", "--as-of", f"{_day(35):%Y-%m-%d}", stdout=out)
    output = out.getvalue()
    assert "suppressed     1" in output
    assert "1 were suppressed by approved variances." in output
