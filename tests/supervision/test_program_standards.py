"""A program's standards over time (supervision.models.PastProgramStandards): a change keeps
the standards before it for the dates they were in force, and a date is judged by the
standards in force on it (supervision.compliance.standard_on), as of today by the program's own.

Frozen on Thursday 15 October 2026; alice's program required the initial assessment within
30 days until 1 October 2026 and within 60 days from then on."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import ProgrammingError, transaction
from django.urls import reverse

from clients.models import Enrollment, Program
from reports import compliance_rates as rates
from supervision.compliance import initial_assessment_overdue
from supervision.models import FlagRule, PastProgramStandards
from supervision.services import program_standards_change

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 15)
CHANGED_ON = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 10, 15, 18, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def program(enrollment: Enrollment) -> Program:
    program = enrollment.program
    program.initial_assessment_days = 30
    program.save()
    return program


@pytest.fixture
def changed(program: Program, ada) -> Program:
    return program_standards_change(
        actor=ada, program=program, in_force_from=CHANGED_ON,
        standards={"initial_assessment_days": 60},
    )  # fmt: skip


def _applied_45_days_before(day: dt.date, enrollment: Enrollment) -> Enrollment:
    enrollment.application_date = day - dt.timedelta(days=45)
    enrollment.save(update_fields=["application_date"])
    return enrollment


def _overdue_on(day: dt.date) -> bool:
    return initial_assessment_overdue(day, Enrollment.objects.all()).exists()


def test_a_change_keeps_the_standards_before_it_until_its_day(changed: Program) -> None:
    past = PastProgramStandards.objects.get(program=changed)
    assert (past.in_force_from, past.in_force_until) == (None, CHANGED_ON)
    assert past.initial_assessment_days == 30


def test_a_change_sets_the_programs_standards(changed: Program) -> None:
    changed.refresh_from_db()
    assert changed.initial_assessment_days == 60


def test_a_second_change_starts_its_period_where_the_first_ended(changed: Program, ada) -> None:
    program_standards_change(
        actor=ada, program=changed, in_force_from=TODAY, standards={"initial_assessment_days": 45}
    )
    second = PastProgramStandards.objects.get(program=changed, in_force_until=TODAY)
    assert (second.in_force_from, second.initial_assessment_days) == (CHANGED_ON, 60)


def test_a_change_that_changes_nothing_records_nothing(program: Program, ada) -> None:
    program_standards_change(
        actor=ada, program=program, in_force_from=TODAY, standards={"initial_assessment_days": 30}
    )
    assert not PastProgramStandards.objects.exists()


def test_a_change_from_a_future_day_is_refused(program: Program, ada) -> None:
    with pytest.raises(ValidationError) as refused:
        program_standards_change(
            actor=ada, program=program, in_force_from=TODAY + dt.timedelta(days=1),
            standards={"initial_assessment_days": 60},
        )  # fmt: skip
    assert "in_force_from" in refused.value.message_dict


def test_a_change_not_after_the_last_one_is_refused(changed: Program, ada) -> None:
    with pytest.raises(ValidationError) as refused:
        program_standards_change(
            actor=ada, program=changed, in_force_from=CHANGED_ON,
            standards={"initial_assessment_days": 20},
        )  # fmt: skip
    assert "in_force_from" in refused.value.message_dict


def test_a_standard_below_one_day_is_refused(program: Program, ada) -> None:
    with pytest.raises(ValidationError) as refused:
        program_standards_change(
            actor=ada,
            program=program,
            in_force_from=TODAY,
            standards={"initial_assessment_days": 0},
        )
    assert "initial_assessment_days" in refused.value.message_dict
    assert not PastProgramStandards.objects.exists()


def test_only_administration_changes_standards(program: Program, sam) -> None:
    with pytest.raises(PermissionDenied):
        program_standards_change(
            actor=sam,
            program=program,
            in_force_from=TODAY,
            standards={"initial_assessment_days": 60},
        )


def test_the_day_before_the_change_is_judged_by_the_old_standard(
    changed: Program, enrollment: Enrollment
) -> None:
    day = CHANGED_ON - dt.timedelta(days=1)
    _applied_45_days_before(day, enrollment)
    assert _overdue_on(day)  # 45 days with no assessment: past the 30 then in force


def test_the_day_of_the_change_is_judged_by_the_new_standard(
    changed: Program, enrollment: Enrollment
) -> None:
    _applied_45_days_before(CHANGED_ON, enrollment)
    assert not _overdue_on(CHANGED_ON)  # within the 60 in force from that day


def test_today_is_judged_by_the_programs_own_standard(
    changed: Program, enrollment: Enrollment
) -> None:
    _applied_45_days_before(TODAY, enrollment)
    assert not _overdue_on(TODAY)


def test_a_program_never_changed_is_judged_by_its_own_standard_in_the_past(
    program: Program, enrollment: Enrollment
) -> None:
    day = dt.date(2026, 3, 1)
    _applied_45_days_before(day, enrollment)
    assert _overdue_on(day)


def test_the_compliance_rates_of_a_past_day_count_the_standard_then(
    changed: Program, enrollment: Enrollment, ada
) -> None:
    day = CHANGED_ON - dt.timedelta(days=1)
    _applied_45_days_before(day, enrollment)
    report = rates.rates_on(viewer=ada, as_of=day, by=rates.BY_PROGRAM)
    assert report.total.figures[FlagRule.INITIAL_ASSESSMENT_OVERDUE].unmet == 1


def test_past_standards_cannot_be_rewritten(changed: Program) -> None:
    with pytest.raises(ProgrammingError), transaction.atomic():
        PastProgramStandards.objects.update(initial_assessment_days=1)


def test_the_admin_changes_standards_from_the_day_given(client, ada, program: Program) -> None:
    client.force_login(ada)
    response = client.post(
        reverse("admin:clients_program_change", args=[program.pk]),
        {
            "name": program.name, "code": program.code, "description": "", "is_active": "on",
            "initial_assessment_days": 60, "reassessment_interval_months": 12,
            "max_days_between_contacts": program.max_days_between_contacts,
            "plan_review_interval_days": program.plan_review_interval_days,
            "referral_follow_up_days": program.referral_follow_up_days,
            "standards_in_force_from": CHANGED_ON.isoformat(),
            "past_standards-TOTAL_FORMS": 0, "past_standards-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert PastProgramStandards.objects.get(program=program).in_force_until == CHANGED_ON


def test_the_admin_refuses_a_future_day_on_the_form(client, ada, program: Program) -> None:
    client.force_login(ada)
    response = client.post(
        reverse("admin:clients_program_change", args=[program.pk]),
        {
            "name": program.name, "code": program.code, "description": "", "is_active": "on",
            "initial_assessment_days": 60, "reassessment_interval_months": 12,
            "max_days_between_contacts": program.max_days_between_contacts,
            "plan_review_interval_days": program.plan_review_interval_days,
            "referral_follow_up_days": program.referral_follow_up_days,
            "standards_in_force_from": "2026-12-01",
            "past_standards-TOTAL_FORMS": 0, "past_standards-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "standards_in_force_from" in response.context["adminform"].form.errors
    assert not PastProgramStandards.objects.exists()


def test_the_admin_marks_a_program_part2_without_a_change_of_standards(
    client, ada, program: Program
) -> None:
    client.force_login(ada)
    client.post(
        reverse("admin:clients_program_change", args=[program.pk]),
        {
            "name": program.name, "code": program.code, "description": "", "is_active": "on",
            "is_part2": "on", "initial_assessment_days": 30, "reassessment_interval_months": 12,
            "max_days_between_contacts": program.max_days_between_contacts,
            "plan_review_interval_days": program.plan_review_interval_days,
            "referral_follow_up_days": program.referral_follow_up_days,
            "standards_in_force_from": TODAY.isoformat(),
            "past_standards-TOTAL_FORMS": 0, "past_standards-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    program.refresh_from_db()
    assert program.is_part2
    assert not PastProgramStandards.objects.exists()
