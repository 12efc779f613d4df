"""Every change to outcome measurements goes through one of these.

Atomic, keyword arguments, the actor checked (case managers and supervisors write clinical
records: casemgmt.roles), the input validated with field errors, nothing saved on refusal.
A measurement is never deleted or rewritten: a correction is a new measurement that replaces
the one it corrects (kept, no longer current), so the history shows both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from casemgmt.dates import today
from casemgmt.reactions import publish
from casemgmt.roles import require_clinical_writer
from clients.events import EnrollmentChanged
from clients.models import Enrollment
from outcomes.due_dates import DISCHARGE_RECORDING_DAYS
from outcomes.models import Measure, MeasureValue, Occasion, OutcomeMeasurement
from outcomes.schedule import measures_of

# A measure's value as a form gives it: a whole number, a category, or None (not recorded).
Value = int | str | None


def _value_error(measure: Measure, value: Value) -> str | None:
    """Why ``value`` is not a valid answer to ``measure`` (None when it is)."""
    if value is None or value == "":
        return None
    if measure.is_categorical:
        if value not in measure.categories:
            return f"Choose one of: {', '.join(measure.categories)}."
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        return "Enter a whole number."
    if value < measure.minimum or (measure.maximum is not None and value > measure.maximum):
        return f"Between {measure.minimum} and {measure.maximum}."
    return None


def _validated_values(
    measures: tuple[Measure, ...], values: Mapping[str, Value]
) -> list[MeasureValue]:
    by_code = {m.code: m for m in measures}
    errors: dict[str, str] = {}
    unknown = set(values).difference(by_code)
    if unknown:
        errors["values"] = f"Not a measure of this program: {', '.join(sorted(unknown))}."
    for code, value in values.items():
        if code in by_code and (error := _value_error(by_code[code], value)):
            errors[f"m_{code}"] = error
    if not any(v not in (None, "") for v in values.values()):
        errors["values"] = "Record at least one measure."
    if errors:
        raise ValidationError(errors)
    rows = []
    for measure in measures:
        value = values.get(measure.code)
        if value is None or value == "":
            continue
        if measure.is_categorical:
            rows.append(MeasureValue(measure=measure, category=str(value)))
        else:
            rows.append(MeasureValue(measure=measure, number=int(value)))
    return rows


def _date_error(enrollment: Enrollment, measured_on: dt.date) -> str | None:
    """Measures are dated between the application and today."""
    if measured_on < enrollment.application_date:
        return "Measures are taken on or after the application date."
    if measured_on > today():
        return "Measures cannot be dated in the future."
    return None


def _closed_episode_error(enrollment: Enrollment, occasion: str) -> str | None:
    """A closed episode takes only its discharge measures, within DISCHARGE_RECORDING_DAYS of
    its closing."""
    if enrollment.closed_on is None:
        return None
    if occasion != Occasion.DISCHARGE:
        return "A closed episode takes only its discharge measures."
    if today() > enrollment.closed_on + dt.timedelta(days=DISCHARGE_RECORDING_DAYS):
        return f"Discharge measures are recorded within {DISCHARGE_RECORDING_DAYS} days of closing."
    return None


def _order_errors(
    *, enrollment: Enrollment, occasion: str, measured_on: dt.date, replacing: int | None
) -> dict[str, str]:
    """The intake once and first, the discharge once, nothing dated before the intake."""
    current = OutcomeMeasurement.objects.current().filter(enrollment=enrollment)
    if replacing is not None:
        current = current.exclude(pk=replacing)
    once = occasion in (Occasion.INTAKE, Occasion.DISCHARGE)
    if once and current.filter(occasion=occasion).exists():
        return {"occasion": f"The {Occasion(occasion).label.lower()} measures are recorded."}
    if occasion == Occasion.INTAKE:
        return {}
    intake = current.filter(occasion=Occasion.INTAKE).values_list("measured_on", flat=True).first()
    if intake is None:
        return {"occasion": "Record the intake (baseline) measures first."}
    if measured_on < intake:
        return {"measured_on": "A later measurement cannot be dated before the intake."}
    return {}


def _validate_occasion(
    *, enrollment: Enrollment, occasion: str, measured_on: dt.date, replacing: int | None
) -> None:
    """The rules of an occasion (above), every error at once, as field errors."""
    if occasion not in Occasion.values:
        raise ValidationError({"occasion": "Choose intake, follow-up or discharge."})
    errors = _order_errors(
        enrollment=enrollment, occasion=occasion, measured_on=measured_on, replacing=replacing
    )
    if date_error := _date_error(enrollment, measured_on):
        errors.setdefault("measured_on", date_error)
    if closed_error := _closed_episode_error(enrollment, occasion):
        errors["occasion"] = closed_error
    if errors:
        raise ValidationError(errors)


def _locked_enrollment(*, actor: User, enrollment: Enrollment) -> Enrollment:
    locked = (
        Enrollment.objects.writable_by(actor)
        .select_for_update(of=("self",))
        .select_related("program")
        .filter(pk=enrollment.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied("This client is not on your caseload.")
    return locked


def _save(measurement: OutcomeMeasurement, rows: list[MeasureValue]) -> OutcomeMeasurement:
    measurement.full_clean(exclude=["corrects"])
    measurement.save()
    for row in rows:
        row.measurement = measurement
    MeasureValue.objects.bulk_create(rows)
    publish(EnrollmentChanged(enrollment_id=measurement.enrollment_id))
    return measurement


@transaction.atomic
def measurement_record(
    *,
    actor: User,
    enrollment: Enrollment,
    occasion: str,
    measured_on: dt.date,
    values: Mapping[str, Value],
    note: str = "",
) -> OutcomeMeasurement:
    """Record the program's measures on one occasion (TIP 27, ACCSA module 19: client
    outcomes at intake, at the program's interval and at discharge). Raises ValidationError
    with field errors (``m_<code>`` for a measure) and saves nothing on refusal."""
    require_clinical_writer(actor, to="record outcome measures")
    locked = _locked_enrollment(actor=actor, enrollment=enrollment)
    _validate_occasion(
        enrollment=locked, occasion=occasion, measured_on=measured_on, replacing=None
    )
    rows = _validated_values(measures_of(locked.program).measures, values)
    measurement = OutcomeMeasurement(
        enrollment=locked, occasion=occasion, measured_on=measured_on, note=note,
        recorded_by=actor,
    )  # fmt: skip
    return _save(measurement, rows)


@transaction.atomic
def measurement_correct(
    *,
    actor: User,
    measurement: OutcomeMeasurement,
    measured_on: dt.date,
    values: Mapping[str, Value],
    reason: str,
    note: str = "",
) -> OutcomeMeasurement:
    """Correct a measurement: a new one, on the same occasion, replaces it; the old one stays
    in the record (no longer current) with the reason. Only the current version is corrected."""
    require_clinical_writer(actor, to="correct outcome measures")
    locked = _locked_enrollment(actor=actor, enrollment=measurement.enrollment)
    old = OutcomeMeasurement.objects.select_for_update().filter(pk=measurement.pk).first()
    if old is None or not old.is_current:
        raise ValidationError("This measurement has already been corrected.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the measures are corrected."})
    _validate_occasion(
        enrollment=locked, occasion=old.occasion, measured_on=measured_on, replacing=old.pk
    )
    rows = _validated_values(measures_of(locked.program).measures, values)
    old.is_current = False
    old.save(update_fields=["is_current"])
    correction = OutcomeMeasurement(
        enrollment=locked, occasion=old.occasion, measured_on=measured_on, note=note,
        recorded_by=actor, corrects=old, correction_reason=reason.strip(),
    )  # fmt: skip
    return _save(correction, rows)
