"""outcomes.services: recording and correcting an occasion's measures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import ProgrammingError, connection, transaction

from outcomes import services
from outcomes.models import MeasureValue, Occasion, OutcomeMeasurement
from tests import factories
from tests.outcomes.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(alice, frozen):
    return factories.EnrollmentFactory(case_manager=alice, application_date=dt.date(2026, 1, 5))


def _record(enrollment, actor=None, occasion=Occasion.INTAKE, on=dt.date(2026, 1, 10), **values):
    return services.measurement_record(
        actor=actor or enrollment.case_manager,
        enrollment=enrollment,
        occasion=occasion,
        measured_on=on,
        values=values or {"substance_use_days": 12},
    )


def test_it_records_the_measures_of_an_occasion(enrollment) -> None:
    measurement = _record(enrollment, substance_use_days=12, housing="Emergency shelter")
    values = {v.measure.code: v.display for v in measurement.values.all()}
    assert values == {"substance_use_days": "12", "housing": "Emergency shelter"}
    assert measurement.is_current


def test_it_records_a_follow_up_after_the_intake(enrollment) -> None:
    _record(enrollment)
    follow_up = _record(enrollment, occasion=Occasion.FOLLOW_UP, on=dt.date(2026, 3, 1))
    assert follow_up.occasion == Occasion.FOLLOW_UP


def test_it_refuses_a_follow_up_before_any_intake(enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(enrollment, occasion=Occasion.FOLLOW_UP)
    assert "occasion" in refused.value.message_dict


def test_it_refuses_a_second_intake(enrollment) -> None:
    _record(enrollment)
    with pytest.raises(ValidationError) as refused:
        _record(enrollment, on=dt.date(2026, 1, 12))
    assert "occasion" in refused.value.message_dict


def test_it_refuses_a_follow_up_dated_before_the_intake(enrollment) -> None:
    _record(enrollment, on=dt.date(2026, 1, 20))
    with pytest.raises(ValidationError) as refused:
        _record(enrollment, occasion=Occasion.FOLLOW_UP, on=dt.date(2026, 1, 19))
    assert "measured_on" in refused.value.message_dict


def test_it_refuses_a_count_out_of_its_range(enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(enrollment, substance_use_days=31)
    assert refused.value.message_dict["m_substance_use_days"] == ["Between 0 and 30."]
    assert not OutcomeMeasurement.objects.exists()


def test_it_accepts_the_top_of_the_range(enrollment) -> None:
    assert _record(enrollment, substance_use_days=30).values.get().number == 30


def test_it_refuses_a_category_not_in_the_list(enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(enrollment, housing="Castle")
    assert "m_housing" in refused.value.message_dict


def test_it_refuses_a_measurement_with_no_value(enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        services.measurement_record(
            actor=enrollment.case_manager,
            enrollment=enrollment,
            occasion=Occasion.INTAKE,
            measured_on=dt.date(2026, 1, 10),
            values={"substance_use_days": None},
        )
    assert "values" in refused.value.message_dict


def test_it_refuses_a_date_in_the_future(enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(enrollment, on=TODAY + dt.timedelta(days=1))
    assert "measured_on" in refused.value.message_dict


def test_it_refuses_a_date_before_the_application(enrollment) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(enrollment, on=dt.date(2026, 1, 4))
    assert "measured_on" in refused.value.message_dict


def test_it_refuses_a_qa_reviewer(enrollment, quinn) -> None:
    with pytest.raises(PermissionDenied):
        _record(enrollment, actor=quinn)


def test_it_refuses_a_teammate_whose_caseload_it_is_not(enrollment, bob) -> None:
    with pytest.raises(PermissionDenied):
        _record(enrollment, actor=bob)


def test_the_supervisor_of_the_team_records(enrollment, sam) -> None:
    assert _record(enrollment, actor=sam).recorded_by == sam


def test_a_closed_episode_takes_its_discharge_measures_within_30_days(enrollment) -> None:
    _record(enrollment)
    enrollment.status, enrollment.closed_on = "closed", TODAY - dt.timedelta(days=30)
    enrollment.close_reason = "goals_met"
    enrollment.save()
    discharge = _record(enrollment, occasion=Occasion.DISCHARGE, on=enrollment.closed_on)
    assert discharge.occasion == Occasion.DISCHARGE


def test_a_closed_episode_refuses_discharge_measures_after_30_days(enrollment) -> None:
    _record(enrollment)
    enrollment.status, enrollment.closed_on = "closed", TODAY - dt.timedelta(days=31)
    enrollment.close_reason = "goals_met"
    enrollment.save()
    with pytest.raises(ValidationError):
        _record(enrollment, occasion=Occasion.DISCHARGE, on=enrollment.closed_on)


def test_a_correction_replaces_the_measurement_and_keeps_it(enrollment) -> None:
    first = _record(enrollment, substance_use_days=12)
    correction = services.measurement_correct(
        actor=enrollment.case_manager,
        measurement=first,
        measured_on=first.measured_on,
        values={"substance_use_days": 21},
        reason="Typed 12 for 21.",
    )
    first.refresh_from_db()
    assert (first.is_current, correction.is_current) == (False, True)
    assert correction.corrects == first
    assert correction.values.get().number == 21
    assert first.values.get().number == 12


def test_a_correction_needs_a_reason(enrollment) -> None:
    first = _record(enrollment)
    with pytest.raises(ValidationError) as refused:
        services.measurement_correct(
            actor=enrollment.case_manager,
            measurement=first,
            measured_on=first.measured_on,
            values={"substance_use_days": 21},
            reason=" ",
        )
    assert "reason" in refused.value.message_dict


def test_a_measurement_is_corrected_once(enrollment) -> None:
    first = _record(enrollment)
    kwargs = {"measured_on": first.measured_on, "values": {"substance_use_days": 3}}
    services.measurement_correct(
        actor=enrollment.case_manager, measurement=first, reason="Wrong day count.", **kwargs
    )
    with pytest.raises(ValidationError):
        services.measurement_correct(
            actor=enrollment.case_manager, measurement=first, reason="Again.", **kwargs
        )


def test_the_database_refuses_deleting_a_measurement(enrollment) -> None:
    measurement = _record(enrollment, actor=None)
    with pytest.raises(ProgrammingError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM outcomes_outcomemeasurement WHERE id = %s", [measurement.pk])


def test_the_database_refuses_changing_a_value(enrollment) -> None:
    _record(enrollment)
    with pytest.raises(ProgrammingError), transaction.atomic():
        MeasureValue.objects.update(number=1)


def test_a_measurement_is_in_history(enrollment) -> None:
    measurement = _record(enrollment)
    assert measurement.events.count() == 1  # type: ignore[attr-defined]  # pghistory adds it
