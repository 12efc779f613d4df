"""reports.compliance_rates: what "met on a date" means, hand-computed on small fixtures, and
its agreement with a dry run of the compliance engine as of the same date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Team, User
from clients.models import Enrollment
from reports import compliance_rates as rates
from supervision.compliance import compliance_evaluate
from supervision.models import Flag, FlagRule, Variance
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

INITIAL = FlagRule.INITIAL_ASSESSMENT_OVERDUE
APPLIED = dt.date(2026, 1, 5)  # the initial assessment is due on 4 February
DUE = dt.date(2026, 2, 4)


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _enrollment(case_manager: User, **kwargs: object) -> Enrollment:
    kwargs.setdefault("application_date", APPLIED)
    return factories.EnrollmentFactory(case_manager=case_manager, **kwargs)


def _approved(enrollment: Enrollment, *, decided_on: dt.date, until: dt.date) -> Variance:
    return factories.VarianceFactory(
        enrollment=enrollment,
        rule=INITIAL,
        proposed_due_on=until,
        status=Variance.Status.APPROVED,
        decided_by=factories.AdministratorFactory(),
        decided_at=_noon(decided_on),
        approved_due_on=until,
    )


def _total(viewer: User, as_of: dt.date, code: str = INITIAL) -> rates.Figure:
    return rates.rates_on(viewer=viewer, as_of=as_of, by=rates.BY_TEAM).total.figures[code]


# --- Met on a date: the rule's boundary -------------------------------------------------------


def test_it_counts_the_initial_assessment_met_on_its_due_day(alice: User, ada: User) -> None:
    _enrollment(alice)
    assert (_total(ada, DUE).met, _total(ada, DUE).unmet) == (1, 0)


def test_it_counts_the_initial_assessment_unmet_the_day_after(alice: User, ada: User) -> None:
    _enrollment(alice)
    figure = _total(ada, DUE + dt.timedelta(days=1))
    assert (figure.met, figure.unmet, figure.rate) == (0, 1, 0.0)


def test_it_counts_an_assessment_completed_later_as_unmet_before_it(alice: User, ada: User) -> None:
    enrollment = _enrollment(alice)
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=dt.date(2026, 2, 10)
    )
    assert _total(ada, dt.date(2026, 2, 9)).unmet == 1
    assert _total(ada, dt.date(2026, 2, 10)).met == 1


def test_it_leaves_out_an_enrollment_not_yet_open(alice: User, ada: User) -> None:
    _enrollment(alice, application_date=dt.date(2026, 3, 1))
    assert _total(ada, dt.date(2026, 2, 28)).open == 0
    assert _total(ada, dt.date(2026, 3, 1)).open == 1


def test_it_counts_an_enrollment_closed_since_on_a_day_it_was_open(alice: User, ada: User) -> None:
    _enrollment(
        alice, status=Enrollment.Status.CLOSED, closed_on=dt.date(2026, 3, 1), close_reason="Moved."
    )
    assert _total(ada, dt.date(2026, 2, 28)).open == 1
    assert _total(ada, dt.date(2026, 3, 1)).open == 0


# --- Excused by a variance --------------------------------------------------------------------


def test_it_counts_an_enrollment_under_an_approved_variance_as_excused(
    alice: User, ada: User
) -> None:
    _approved(_enrollment(alice), decided_on=dt.date(2026, 2, 1), until=dt.date(2026, 3, 1))
    _enrollment(alice, application_date=dt.date(2026, 2, 1))  # met on 1 March
    figure = _total(ada, dt.date(2026, 3, 1))
    assert (figure.open, figure.met, figure.unmet, figure.excused) == (2, 1, 0, 1)
    assert figure.rate == 1.0


def test_it_counts_the_variance_unmet_the_day_after_its_new_date(alice: User, ada: User) -> None:
    _approved(_enrollment(alice), decided_on=dt.date(2026, 2, 1), until=dt.date(2026, 3, 1))
    figure = _total(ada, dt.date(2026, 3, 2))
    assert (figure.unmet, figure.excused) == (1, 0)


def test_it_ignores_a_variance_before_its_decision(alice: User, ada: User) -> None:
    _approved(_enrollment(alice), decided_on=dt.date(2026, 2, 20), until=dt.date(2026, 3, 20))
    assert _total(ada, dt.date(2026, 2, 19)).unmet == 1
    assert _total(ada, dt.date(2026, 2, 20)).excused == 1


def test_it_has_no_rate_when_every_enrollment_is_excused(alice: User, ada: User) -> None:
    _approved(_enrollment(alice), decided_on=dt.date(2026, 2, 1), until=dt.date(2026, 3, 1))
    assert _total(ada, dt.date(2026, 2, 10)).rate is None


# --- Without stored flags, and in agreement with a dry run ------------------------------------


def test_it_is_right_on_a_database_with_no_flags(alice: User, ada: User) -> None:
    _enrollment(alice)
    assert not Flag.objects.exists()
    assert _total(ada, dt.date(2026, 4, 15)).unmet == 1


def test_it_ignores_a_stored_flag_the_records_do_not_bear_out(alice: User, ada: User) -> None:
    factories.FlagFactory(enrollment=_enrollment(alice), rule=INITIAL)
    assert _total(ada, DUE).unmet == 0


def test_it_agrees_with_a_dry_run_row_for_row(alice: User, charlie: User, ada: User) -> None:
    late = _enrollment(alice)
    _enrollment(charlie, application_date=dt.date(2026, 3, 1))
    on_time = _enrollment(alice)
    factories.AssessmentFactory(enrollment=on_time, completed=True, completed_on=DUE)
    factories.ContactFactory(enrollment=late, occurred_at=_noon(dt.date(2026, 3, 20)))
    _approved(_enrollment(charlie), decided_on=dt.date(2026, 3, 1), until=dt.date(2026, 4, 30))
    as_of = dt.date(2026, 4, 1)
    dry_run = compliance_evaluate(as_of=as_of, dry_run=True)
    for code in rates.STANDARDS:
        expected = {d.enrollment_id for d in dry_run.due if d.rule == code}
        unmet = rates.enrollments_behind(viewer=ada, as_of=as_of, standard=code, status=rates.UNMET)
        assert {e.pk for e in unmet} == expected, code
        assert _total(ada, as_of, code).unmet == len(expected), code
        assert _total(ada, as_of, code).excused == dry_run.counts[code].suppressed, code


# --- Groups, scope, trend ---------------------------------------------------------------------


def test_it_groups_by_team(alice: User, charlie: User, team: Team, ada: User) -> None:
    _enrollment(alice)
    _enrollment(charlie, application_date=dt.date(2026, 3, 1))
    report = rates.rates_on(viewer=ada, as_of=dt.date(2026, 3, 2), by=rates.BY_TEAM)
    by_label = {g.label: g.figures[INITIAL] for g in report.groups}
    assert (by_label["North Team"].unmet, by_label["South Team"].met) == (1, 1)
    assert report.total.figures[INITIAL].open == 2


def test_it_groups_by_region(alice: User, team: Team, ada: User) -> None:
    _enrollment(alice)
    report = rates.rates_on(viewer=ada, as_of=DUE, by=rates.BY_REGION)
    assert [g.label for g in report.groups] == [team.region.name]


def test_it_groups_by_program(alice: User, ada: User) -> None:
    enrollment = _enrollment(alice)
    report = rates.rates_on(viewer=ada, as_of=DUE, by=rates.BY_PROGRAM)
    assert [g.group_id for g in report.groups] == [enrollment.program_id]


def test_a_case_manager_counts_their_own_caseload(alice: User, bob: User) -> None:
    _enrollment(alice)
    _enrollment(bob)
    assert _total(alice, DUE).open == 1


def test_a_supervisor_counts_their_teams(alice: User, bob: User, charlie: User, sam: User) -> None:
    _enrollment(alice)
    _enrollment(bob)
    _enrollment(charlie)
    assert _total(sam, DUE).open == 2


def test_a_qa_reviewer_counts_the_agency(alice: User, charlie: User, quinn: User) -> None:
    _enrollment(alice)
    _enrollment(charlie)
    assert _total(quinn, DUE).open == 2


def test_the_trend_is_the_twelve_month_ends_before_the_date() -> None:
    ends = rates.month_ends_before(dt.date(2026, 3, 31))
    assert (ends[0], ends[-1], len(ends)) == (dt.date(2025, 3, 31), dt.date(2026, 2, 28), 12)


def test_the_trend_judges_each_month_end(alice: User, ada: User) -> None:
    enrollment = _enrollment(alice)
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=dt.date(2026, 3, 10)
    )
    trend = {
        day: rates.totals_on(viewer=ada, as_of=day)[INITIAL]
        for day in rates.month_ends_before(dt.date(2026, 4, 15))
    }
    assert trend[dt.date(2025, 12, 31)].open == 0
    assert (trend[dt.date(2026, 1, 31)].met, trend[dt.date(2026, 1, 31)].unmet) == (1, 0)
    assert trend[dt.date(2026, 2, 28)].unmet == 1
    assert trend[dt.date(2026, 3, 31)].met == 1


def test_a_month_ends_totals_are_the_sum_of_its_groups(
    alice: User, charlie: User, ada: User
) -> None:
    _enrollment(alice)
    _enrollment(charlie, application_date=dt.date(2026, 3, 1))
    day = dt.date(2026, 3, 31)
    assert (
        rates.totals_on(viewer=ada, as_of=day)
        == rates.rates_on(viewer=ada, as_of=day, by=rates.BY_TEAM).total.figures
    )


def _queries(alice: User, charlie: User, count: int, read: Callable[[], object]) -> int:
    for _ in range(count):
        _enrollment(alice)
        _enrollment(charlie)
    with CaptureQueriesContext(connection) as queries:
        read()
    return len(queries)


def test_the_figures_per_group_are_one_query_however_many_enrollments(
    alice: User, charlie: User, ada: User
) -> None:
    def read() -> object:
        return rates.rates_on(viewer=ada, as_of=dt.date(2026, 4, 1), by=rates.BY_TEAM)

    assert _queries(alice, charlie, 1, read) == _queries(alice, charlie, 5, read) == 1


def test_a_month_ends_totals_are_one_query_however_many_enrollments(
    alice: User, charlie: User, ada: User
) -> None:
    def read() -> object:
        return rates.totals_on(viewer=ada, as_of=dt.date(2026, 3, 31))

    assert _queries(alice, charlie, 1, read) == _queries(alice, charlie, 5, read) == 1
