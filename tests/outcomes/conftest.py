"""Outcomes fixtures: a frozen Wednesday, 4 March 2026 at 13:00 in the agency's time zone,
``record`` to take measures through the service as the enrollment's case manager, and the
hand-computed figures of the reports (``outcomes``, ``referrals``, ``discharges``) in one
``program``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clients.models import Contact, Enrollment
from outcomes import services
from outcomes.models import Occasion, OutcomeMeasurement
from referrals.models import Referral, ReferralStep
from tests import factories

FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 4)
BOISE = ZoneInfo("America/Boise")

Record = Callable[..., OutcomeMeasurement]


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def record_measures(
    enrollment: Enrollment, occasion: str, measured_on: dt.date, **values: Any
) -> OutcomeMeasurement:
    return services.measurement_record(
        actor=enrollment.case_manager,
        enrollment=enrollment,
        occasion=occasion,
        measured_on=measured_on,
        values=values,
    )


@pytest.fixture
def record(frozen: None) -> Record:
    return record_measures


# --- The reports' figures --------------------------------------------------------------------

STABLE = "Stable (own, rented or with family)"
TEMPORARY = "Temporary (doubled up, transitional)"
SHELTER = "Emergency shelter"


@pytest.fixture
def program(db):
    return factories.ProgramFactory(name="Recovery support", code="recovery")


def episode_of(case_manager, program) -> Enrollment:
    return factories.EnrollmentFactory(
        case_manager=case_manager, program=program, application_date=dt.date(2025, 11, 20)
    )


@pytest.fixture
def outcomes(alice, charlie, program, frozen):
    """alice's four episodes and charlie's one, in one program:
    E1 substance 10 → 6 on the period's last day (gain 4 = meaningful: improved), housing
       shelter → stable (improved);
    E2 substance 10 → 7 (gain 3: no meaningful change), housing stable → temporary (worse);
    E3 substance 5 → 12 in the period (worse), then 0 the day after it (not counted);
    E4 intake only (not counted); charlie's E5 substance 10 → 0 (improved)."""
    intake, follow = Occasion.INTAKE, Occasion.FOLLOW_UP
    e1, e2, e3, e4 = (episode_of(alice, program) for _ in range(4))
    record_measures(e1, intake, dt.date(2025, 12, 1), substance_use_days=10, housing=SHELTER)
    record_measures(e1, follow, dt.date(2026, 2, 28), substance_use_days=6, housing=STABLE)
    record_measures(e2, intake, dt.date(2025, 12, 5), substance_use_days=10, housing=STABLE)
    record_measures(e2, follow, dt.date(2026, 1, 15), substance_use_days=7, housing=TEMPORARY)
    record_measures(e3, intake, dt.date(2025, 12, 10), substance_use_days=5)
    record_measures(e3, follow, dt.date(2026, 1, 10), substance_use_days=12)
    record_measures(e3, follow, dt.date(2026, 3, 1), substance_use_days=0)
    record_measures(e4, intake, dt.date(2025, 12, 1), substance_use_days=10)
    e5 = episode_of(charlie, program)
    record_measures(e5, intake, dt.date(2025, 12, 1), substance_use_days=10)
    record_measures(e5, follow, dt.date(2026, 2, 1), substance_use_days=0)


def referral_sent(enrollment, provider, sent_on, entered_on=None) -> Referral:
    referral = factories.ReferralFactory(enrollment=enrollment, provider=provider)
    by = enrollment.case_manager
    steps = [("draft", "sent", sent_on)]
    if entered_on is not None:
        steps += [("sent", "accepted", sent_on), ("accepted", "appointment_scheduled", sent_on),
                  ("appointment_scheduled", "attended", entered_on),
                  ("attended", "engaged", entered_on + dt.timedelta(days=20))]  # fmt: skip
    for from_status, to_status, on in steps:
        ReferralStep.objects.create(
            referral=referral, from_status=from_status, to_status=to_status, occurred_on=on, by=by
        )
    return referral


@pytest.fixture
def referrals(alice, program, frozen):
    """Sent in the period to one provider (today 4 March; a window open until 14 days after
    sending): entered in 14 days, in 15, not entered and its window over (sent 10 February),
    not entered and its window still open (sent 25 February), entered in 3; and one sent
    before the period."""
    enrollment = episode_of(alice, program)
    provider = factories.ProviderFactory(name="Harbor IOP")
    d = dt.date
    referral_sent(enrollment, provider, d(2026, 1, 5), d(2026, 1, 19))
    referral_sent(enrollment, provider, d(2026, 1, 5), d(2026, 1, 20))
    referral_sent(enrollment, provider, d(2026, 2, 10))
    referral_sent(enrollment, provider, d(2026, 2, 25))
    referral_sent(enrollment, provider, d(2026, 2, 27), d(2026, 3, 2))
    referral_sent(enrollment, provider, d(2025, 12, 31), d(2026, 1, 2))


def discharged(
    case_manager, program, discharged_on: dt.date, kind: str = Enrollment.DischargedFrom.DETOX
) -> Enrollment:
    """An episode applied for the day after a discharge from ``kind``."""
    return factories.EnrollmentFactory(
        case_manager=case_manager,
        program=program,
        application_date=discharged_on + dt.timedelta(days=1),
        prior_discharge_on=discharged_on,
        prior_discharge_from=kind,
    )


def contact_on(
    enrollment: Enrollment, day: dt.date, at: dt.time = dt.time(10), kind: str = "phone"
) -> Contact:
    """A contact at ``at`` on ``day`` in the agency's time zone."""
    moment = dt.datetime.combine(day, at, tzinfo=BOISE)
    return factories.ContactFactory(enrollment=enrollment, occurred_at=moment, contact_type=kind)


@pytest.fixture
def discharges(alice, charlie, program, frozen):
    """alice's clients discharged in the period (today 4 March; a window open until 14 days
    after the discharge), in one program:
    detox: first contact on day 14 (at 23:30 local time, already the next day in UTC); on day
      15 after an attempt on day 5; none after the discharge, only one the day before it (10
      February: window over); none (25 February: window still open); on day 3;
    inpatient: first contact on day 2, a second on day 9;
    not counted: a detox discharge the day before the period, and charlie's, in the period.
    So detox: 5 discharged, 3 entered (14, 15, 3: median 14), 2 of 4 within 14 days, 1 still
    within its days; inpatient: 1 discharged, 1 entered in 2 days, 1 of 1 within."""
    d = dt.date
    inpatient = Enrollment.DischargedFrom.INPATIENT
    on_day_14 = discharged(alice, program, d(2026, 1, 5))
    contact_on(on_day_14, d(2026, 1, 19), at=dt.time(23, 30))
    on_day_15 = discharged(alice, program, d(2026, 1, 5))
    contact_on(on_day_15, d(2026, 1, 10), kind=Contact.Type.ATTEMPTED)
    contact_on(on_day_15, d(2026, 1, 20))
    window_over = discharged(alice, program, d(2026, 2, 10))
    window_over.application_date = d(2026, 2, 1)
    window_over.save(update_fields=["application_date"])
    contact_on(window_over, d(2026, 2, 9), at=dt.time(23, 59))
    discharged(alice, program, d(2026, 2, 25))
    contact_on(discharged(alice, program, d(2026, 2, 27)), d(2026, 3, 2))
    after_inpatient = discharged(alice, program, d(2026, 1, 12), inpatient)
    contact_on(after_inpatient, d(2026, 1, 14))
    contact_on(after_inpatient, d(2026, 1, 21))
    contact_on(discharged(alice, program, d(2025, 12, 31)), d(2026, 1, 2))
    contact_on(discharged(charlie, program, d(2026, 1, 5)), d(2026, 1, 6))
