"""Reads: a client's measures and their change from baseline, the outcomes report and the
continuity-of-care report. Every read of client data starts from ``visible_to`` (or the
report scope below, narrower for case managers); the reports are set-based, a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate

from accounts.models import User
from clients import contact_rules
from clients.models import Client, Contact, Enrollment, Program
from outcomes import due_dates, improvement
from outcomes.improvement import Change
from outcomes.models import Direction, Measure, MeasureValue, Occasion, OutcomeMeasurement
from outcomes.schedule import program_measures
from referrals.models import Provider, Referral, ReferralStatus, ReferralStep

# Continuity of care: engaged within this many days of the referral being sent (or of the
# discharge from detox or inpatient treatment) counts.
ENGAGED_WITHIN_DAYS = 14
# The referral steps that mean the client entered the next service: the first appointment
# attended (TIP 27: continuity of care, from one service to entry into the next).
ENGAGEMENT_STEPS = (ReferralStatus.ATTENDED, ReferralStatus.ENGAGED)
# What the report's provider column reads for the clients who came to a program from detox or
# inpatient treatment: the next service is the program itself.
AFTER_DISCHARGE_FROM = {
    Enrollment.DischargedFrom.DETOX: "After detox",
    Enrollment.DischargedFrom.INPATIENT: "After inpatient or residential treatment",
}


def enrollments_in_report_scope(viewer: User) -> QuerySet[Enrollment]:
    """Whose outcomes a report counts: a case manager their own caseload (open or closed
    episodes they hold), a supervisor their teams, administrators and QA reviewers the agency
    (the rest of what ``visible_to`` lets them read)."""
    visible = Enrollment.objects.visible_to(viewer)
    if viewer.is_case_manager:
        return visible.filter(case_manager=viewer)
    return visible


# --- The client page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureChange:
    measure: Measure
    baseline: str
    latest: str
    latest_on: dt.date | None
    gain: int | None  # in the direction of improvement (positive: better)
    change: Change | None


@dataclass
class EnrollmentOutcomes:
    enrollment: Enrollment
    measurements: list[OutcomeMeasurement]
    measures: tuple[Measure, ...]
    due_on: dt.date | None
    can_record: bool
    changes: list[MeasureChange] = field(default_factory=list)

    @property
    def baseline(self) -> OutcomeMeasurement | None:
        return next((m for m in self.measurements if m.occasion == Occasion.INTAKE), None)

    @property
    def chart_id(self) -> str:
        return f"outcome-chart-{self.enrollment.pk}"

    @property
    def chart(self) -> dict[str, object]:
        """The chart's figures: each measure's change from baseline, better upward."""
        rows = [c for c in self.changes if c.gain is not None]
        return {
            "labels": [c.measure.name for c in rows],
            "values": [c.gain for c in rows],
            "label": "Change from baseline",
            "axis": "Change from intake (right is better)",
        }


def _values_by_measure(measurement: OutcomeMeasurement) -> dict[int, MeasureValue]:
    return {v.measure_id: v for v in measurement.values.all()}


def _change(
    measure: Measure,
    baseline: MeasureValue | None,
    latest: tuple[OutcomeMeasurement, MeasureValue] | None,
) -> MeasureChange:
    base_pos = (
        None
        if baseline is None
        else improvement.position(
            number=baseline.number, category=baseline.category, categories=measure.categories
        )
    )
    late_pos = (
        None
        if latest is None
        else improvement.position(
            number=latest[1].number, category=latest[1].category, categories=measure.categories
        )
    )
    gain = change = None
    if base_pos is not None and late_pos is not None:
        gain = improvement.gain(baseline=base_pos, latest=late_pos, direction=measure.direction)
        change = improvement.change_class(
            baseline=base_pos,
            latest=late_pos,
            direction=measure.direction,
            meaningful_change=measure.meaningful_change,
        )
    return MeasureChange(
        measure=measure,
        baseline="—" if baseline is None else baseline.display,
        latest="—" if latest is None else latest[1].display,
        latest_on=None if latest is None else latest[0].measured_on,
        gain=gain,
        change=change,
    )


def _changes(outcomes: EnrollmentOutcomes) -> list[MeasureChange]:
    """Per measure: the intake value, the latest later value and the change between them."""
    baseline = outcomes.baseline
    base_values = {} if baseline is None else _values_by_measure(baseline)
    later = [m for m in outcomes.measurements if m.occasion != Occasion.INTAKE]
    changes = []
    for measure in outcomes.measures:
        latest = None
        for measurement in later:  # in date order: the last one with a value wins
            value = _values_by_measure(measurement).get(measure.pk)
            if value is not None:
                latest = (measurement, value)
        changes.append(_change(measure, base_values.get(measure.pk), latest))
    return changes


def client_outcomes(*, viewer: User, client: Client, today: dt.date) -> list[EnrollmentOutcomes]:
    """The client's episodes the viewer may read, each with its current measurements, the
    change from baseline per measure and the next measurement's due date (open episodes).
    Five queries whatever the number of episodes and measurements."""
    enrollments = list(
        Enrollment.objects.visible_to(viewer)
        .filter(client=client)
        .select_related("program")
        .prefetch_related(
            Prefetch(
                "outcome_measurements",
                queryset=OutcomeMeasurement.objects.current()
                .select_related("recorded_by")
                .prefetch_related(
                    Prefetch("values", queryset=MeasureValue.objects.select_related("measure"))
                ),
            )
        )
        .order_by("-application_date", "-pk")
    )
    if not enrollments:
        return []
    writable = set(
        Enrollment.objects.writable_by(viewer).filter(client=client).values_list("pk", flat=True)
    )
    schedules = program_measures(e.program_id for e in enrollments)
    result = []
    for enrollment in enrollments:
        schedule = schedules[enrollment.program_id]
        measurements = list(enrollment.outcome_measurements.all())
        due_on = None
        if enrollment.is_open:
            due_on = due_dates.measurement_due_on(
                application_date=enrollment.application_date,
                last_measured_on=max((m.measured_on for m in measurements), default=None),
                intake_within_days=schedule.intake_within_days,
                follow_up_interval_days=schedule.follow_up_interval_days,
            )
        outcomes = EnrollmentOutcomes(
            enrollment=enrollment,
            measurements=measurements,
            measures=schedule.measures,
            due_on=due_on,
            can_record=enrollment.pk in writable and _recordable(enrollment, today=today),
        )
        outcomes.changes = _changes(outcomes)
        result.append(outcomes)
    return result


def _recordable(enrollment: Enrollment, *, today: dt.date) -> bool:
    if enrollment.is_open:
        return True
    assert enrollment.closed_on is not None
    return today <= enrollment.closed_on + dt.timedelta(days=due_dates.DISCHARGE_RECORDING_DAYS)


# --- The outcomes report -----------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    program: str
    measure: Measure
    measured: int
    improved: int
    unchanged: int
    worsened: int

    @property
    def improved_share(self) -> float | None:
        return self.improved / self.measured if self.measured else None

    @property
    def improved_percent(self) -> int | None:
        """The share improved as the page and its export show it, in whole percent."""
        return round(100 * self.improved / self.measured) if self.measured else None


def _latest_positions(scoped: dict[str, Any], *, start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Each episode's latest follow-up or discharge value of each measure in the period that
    has a place on the measure's scale: one pass over them (DISTINCT ON), in one ordering."""
    return (
        MeasureValue.objects.filter(
            **scoped,
            measurement__occasion__in=[Occasion.FOLLOW_UP, Occasion.DISCHARGE],
            measurement__measured_on__range=(start, end),
        )
        .annotate(pos=improvement.position_sql())
        .filter(pos__isnull=False)
        .order_by(
            "measurement__enrollment_id",
            "measure_id",
            "-measurement__measured_on",
            "-measurement_id",
        )
        .distinct("measurement__enrollment_id", "measure_id")
        .values("measurement__enrollment_id", "measure_id", "pos")
    )


def _intake_positions(scoped: dict[str, Any], *, end: dt.date) -> QuerySet[Any]:
    """Each episode's intake value of each measure, its place on the scale, and what the
    report groups and judges it by."""
    return (
        MeasureValue.objects.filter(
            **scoped, measurement__occasion=Occasion.INTAKE, measurement__measured_on__lte=end
        )
        .annotate(baseline=improvement.position_sql())
        .filter(baseline__isnull=False)
        # Fields first, the annotation last: the order Django writes them in the SELECT.
        .values(
            "measurement__enrollment_id",
            "measure_id",
            "measurement__enrollment__program__name",
            "measure__position",
            "measure__direction",
            "measure__meaningful_change",
            "baseline",
        )
    )


def outcomes_report(
    *, viewer: User, start: dt.date, end: dt.date, program_id: int | None = None
) -> list[OutcomeRow]:
    """Per program and measure, the clients (episodes) measured at intake and again (a
    follow-up or discharge) in the period, and how many improved, did not change or worsened
    from the intake to the latest measurement in the period (outcomes.improvement). Two
    queries: the figures, then the measures they name.

    The intake values are joined to the latest values as two sets, each Django's queryset
    compiled to SQL: a subquery per intake value (600,000 at 100,000 clients) cost twice
    the floor."""
    scope = enrollments_in_report_scope(viewer)
    if program_id is not None:
        scope = scope.filter(program_id=program_id)
    scoped = {"measurement__is_current": True, "measurement__enrollment__in": scope.values("pk")}
    intake_sql, intake_params = _intake_positions(scoped, end=end).query.sql_with_params()
    latest_sql, latest_params = _latest_positions(
        scoped, start=start, end=end
    ).query.sql_with_params()
    # The gain in the measure's direction, as improvement.gain_sql writes it.
    sql = f"""
        SELECT i.program, i.measure_id, count(*),
               count(*) FILTER (WHERE g.gain >= i.meaningful_change),
               count(*) FILTER (WHERE g.gain <= -i.meaningful_change)
        FROM ({intake_sql})
             AS i(enrollment_id, measure_id, program, position, direction, meaningful_change,
                  baseline)
        JOIN ({latest_sql}) AS l(enrollment_id, measure_id, pos)
             USING (enrollment_id, measure_id)
        CROSS JOIN LATERAL (
            SELECT CASE WHEN i.direction = %s THEN l.pos - i.baseline
                        ELSE i.baseline - l.pos END AS gain
        ) AS g
        GROUP BY i.program, i.position, i.measure_id
        ORDER BY i.program, i.position, i.measure_id
    """  # nosec B608  # SQL Django compiled from the querysets; values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*intake_params, *latest_params, Direction.HIGHER_IS_BETTER])
        figures = cursor.fetchall()
    measures = Measure.objects.in_bulk({measure_id for _, measure_id, *_ in figures})
    return [
        OutcomeRow(
            program=program,
            measure=measures[measure_id],
            measured=measured,
            improved=improved,
            worsened=worsened,
            unchanged=measured - improved - worsened,
        )
        for program, measure_id, measured, improved, worsened in figures
    ]


def report_programs(viewer: User) -> list[tuple[int, str]]:
    """The programs a report may be narrowed to (every program: they are not client data)."""
    return list(Program.objects.order_by("name").values_list("pk", "name"))


# --- Continuity of care -----------------------------------------------------------------------


class Median(Aggregate):
    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """``later - earlier`` for two dates: PostgreSQL's whole number of days."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


@dataclass(frozen=True)
class ContinuityRow:
    """A referral row (``provider``) or a discharge row (``discharged_from``, the kind of
    program the clients came from: ``provider`` is None)."""

    program: str
    provider: Provider | None
    sent: int  # referrals sent, or discharges
    engaged: int
    engaged_within: int
    decided: int  # engaged within the window, or its window has closed: the share's base
    median_days: float | None
    discharged_from: str = ""

    @property
    def source(self) -> str:
        """What the provider column reads: the provider, or after which discharge."""
        if self.provider is not None:
            return self.provider.name
        return AFTER_DISCHARGE_FROM[Enrollment.DischargedFrom(self.discharged_from)]

    @property
    def waiting(self) -> int:
        return self.sent - self.decided

    @property
    def within_share(self) -> float | None:
        return self.engaged_within / self.decided if self.decided else None

    @property
    def within_percent(self) -> int | None:
        """The share entered in time as the page and its export show it, in whole percent."""
        return round(100 * self.engaged_within / self.decided) if self.decided else None


def _first_step_on(statuses: tuple[str, ...] | str) -> Subquery:
    wanted = (statuses,) if isinstance(statuses, str) else statuses
    return Subquery(
        ReferralStep.objects.filter(referral=OuterRef("pk"), to_status__in=wanted)
        .order_by()
        .values("referral")
        .annotate(first=Min("occurred_on"))
        .values("first")[:1]
    )


def _first_contact_on_or_after(day_field: str) -> Subquery:
    """The local date of the enrollment's first completed contact (an attempt is not one) on
    or after the date in ``day_field``: the client's entry into case management."""
    return Subquery(
        Contact.objects.filter(
            enrollment=OuterRef("pk"), occurred_at__date__gte=OuterRef(day_field)
        )
        .exclude(contact_type=contact_rules.ATTEMPTED)
        .order_by("occurred_at")
        .annotate(day=TruncDate("occurred_at"))
        .values("day")[:1]
    )


def _continuity_figures(*, started: str, today: dt.date) -> dict[str, Aggregate]:
    """The counts of a continuity row, over rows annotated with the day the clock started
    (``started``) and ``days`` to entry (NULL: not entered). One rule for referrals and
    discharges: entered within ENGAGED_WITHIN_DAYS counts, and the share's base is those who
    did and those whose window has closed by ``today`` (so one not yet entered counts against
    the share only once its days are over)."""
    window_closed_by = today - dt.timedelta(days=ENGAGED_WITHIN_DAYS)
    within = Q(days__lte=ENGAGED_WITHIN_DAYS)
    return {
        "sent": Count("pk"),
        "engaged": Count("pk", filter=Q(days__isnull=False)),
        "engaged_within": Count("pk", filter=within),
        "decided": Count("pk", filter=within | Q(**{f"{started}__lt": window_closed_by})),
        "median_days": Median("days"),
    }


def continuity_report(
    *, viewer: User, start: dt.date, end: dt.date, today: dt.date, program_id: int | None = None
) -> list[ContinuityRow]:
    """Per program and provider, the referrals sent in the period (their "sent" step), how
    many the client entered (attended the first appointment: ENGAGEMENT_STEPS), the median
    days from sending to entry, and the share entered within ENGAGED_WITHIN_DAYS among those
    whose window has closed by ``today`` or who entered within it (TIP 27, system outcomes:
    continuity of care). Then, after each program's providers, its enrollments whose client
    was discharged from detox or inpatient treatment in the period, per kind of discharge:
    the next service is the program itself, entered at the first completed contact on or
    after the discharge date. Three queries."""
    scope = enrollments_in_report_scope(viewer)
    if program_id is not None:
        scope = scope.filter(program_id=program_id)
    referrals = (
        Referral.objects.filter(enrollment__in=scope.values("pk"))
        .annotate(sent_on=_first_step_on(ReferralStatus.SENT))
        .filter(sent_on__range=(start, end))
        .annotate(entered_on=_first_step_on(ENGAGEMENT_STEPS))
        .annotate(days=DaysBetween(F("entered_on"), F("sent_on")))
        .values("enrollment__program__name", "provider_id")
        .annotate(**_continuity_figures(started="sent_on", today=today))
        .order_by("enrollment__program__name", "provider__name")
    )
    discharges = (
        Enrollment.objects.filter(pk__in=scope.values("pk"), prior_discharge_on__range=(start, end))
        .annotate(entered_on=_first_contact_on_or_after("prior_discharge_on"))
        .annotate(days=DaysBetween(F("entered_on"), F("prior_discharge_on")))
        .values("program__name", "prior_discharge_from")
        .annotate(**_continuity_figures(started="prior_discharge_on", today=today))
        .order_by("program__name", "prior_discharge_from")
    )
    referral_figures = list(referrals)
    providers = Provider.objects.in_bulk({r["provider_id"] for r in referral_figures})
    rows = [
        ContinuityRow(
            program=r["enrollment__program__name"],
            provider=providers[r["provider_id"]],
            **_counts(r),
        )
        for r in referral_figures
    ] + [
        ContinuityRow(
            program=r["program__name"],
            provider=None,
            discharged_from=r["prior_discharge_from"],
            **_counts(r),
        )
        for r in discharges
    ]
    # Each program's discharge rows after its provider rows (a stable sort keeps the order
    # each query gave within a program).
    return sorted(rows, key=lambda row: (row.program.casefold(), row.program))


def _counts(figures: dict[str, Any]) -> dict[str, Any]:
    names = ("sent", "engaged", "engaged_within", "decided", "median_days")
    return {name: figures[name] for name in names}
