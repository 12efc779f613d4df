"""The rule modules: outcomes.due_dates (when measures are due) and outcomes.improvement (what
"improved" means), in Python and in SQL alike."""

from __future__ import annotations

import datetime as dt

import pytest

from clients.models import Enrollment
from outcomes import due_dates, improvement
from outcomes.improvement import change_class
from outcomes.models import Direction, Measure, MeasureValue, Occasion
from tests import factories
from tests.outcomes.conftest import record_measures

HOUSING = ["Homeless", "Shelter", "Temporary", "Stable"]


def test_the_intake_is_due_after_the_programs_days() -> None:
    assert due_dates.measurement_due_on(
        application_date=dt.date(2026, 1, 31), last_measured_on=None, intake_within_days=30
    ) == dt.date(2026, 3, 2)


def test_a_follow_up_is_due_an_interval_after_the_last_measurement() -> None:
    assert due_dates.measurement_due_on(
        application_date=dt.date(2026, 1, 1),
        last_measured_on=dt.date(2026, 1, 10),
        follow_up_interval_days=90,
    ) == dt.date(2026, 4, 10)


def test_a_fall_by_exactly_the_meaningful_change_is_an_improvement() -> None:
    assert change_class(baseline=10, latest=6, direction=Direction.LOWER_IS_BETTER,
                        meaningful_change=4) == "improved"  # fmt: skip


def test_a_fall_smaller_than_the_meaningful_change_is_no_change() -> None:
    assert change_class(baseline=10, latest=7, direction=Direction.LOWER_IS_BETTER,
                        meaningful_change=4) == "unchanged"  # fmt: skip


def test_a_rise_of_a_lower_is_better_count_is_worse() -> None:
    assert change_class(baseline=2, latest=3, direction=Direction.LOWER_IS_BETTER,
                        meaningful_change=1) == "worsened"  # fmt: skip


def test_a_rating_improves_upward() -> None:
    assert change_class(baseline=2, latest=3, direction=Direction.HIGHER_IS_BETTER,
                        meaningful_change=1) == "improved"  # fmt: skip


def test_a_category_is_placed_by_its_order_worst_first() -> None:
    assert improvement.position(number=None, category="Shelter", categories=HOUSING) == 2
    assert improvement.position(number=None, category="Castle", categories=HOUSING) is None


def test_a_move_up_the_categories_is_an_improvement() -> None:
    shelter, stable = 2, 4
    assert change_class(baseline=shelter, latest=stable, direction=Direction.HIGHER_IS_BETTER,
                        meaningful_change=1) == "improved"  # fmt: skip


@pytest.mark.django_db
def test_the_sql_due_date_agrees_with_python(alice, frozen) -> None:
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2025, 12, 1)
    )
    record_measures(enrollment, Occasion.INTAKE, dt.date(2025, 12, 20), substance_use_days=3)
    from django.db.models import DateField, F, Max

    row = (
        Enrollment.objects.filter(pk=enrollment.pk)
        .annotate(last=Max("outcome_measurements__measured_on", output_field=DateField()))
        .annotate(
            due=due_dates.measurement_due_on_sql(
                application_date=F("application_date"),
                last_measured_on=F("last"),
                intake_within_days=due_dates.intake_within_days_sql(),
                follow_up_interval_days=due_dates.follow_up_interval_days_sql(),
            )
        )
        .get()
    )
    assert row.due == due_dates.measurement_due_on(  # type: ignore[attr-defined]  # annotation
        application_date=enrollment.application_date, last_measured_on=dt.date(2025, 12, 20)
    )


@pytest.mark.django_db
def test_the_sql_position_agrees_with_python(alice, frozen) -> None:
    enrollment = factories.EnrollmentFactory(case_manager=alice)
    record_measures(
        enrollment,
        Occasion.INTAKE,
        enrollment.application_date,
        housing="Emergency shelter",
        family_functioning=3,
    )
    housing = Measure.objects.get(code="housing")
    positions = dict(
        MeasureValue.objects.annotate(pos=improvement.position_sql()).values_list(
            "measure__code", "pos"
        )
    )
    assert positions == {
        "housing": improvement.position(
            number=None, category="Emergency shelter", categories=housing.categories
        ),
        "family_functioning": 3,
    }
