"""Variances (some pending, for the administrators' queue) and the regional plans."""

from __future__ import annotations

import datetime as dt
import random

from devtools.scale.copy import CopyWriter, copy_batch
from devtools.scale.loader import EnrollmentPlan, Loader, rng_for
from devtools.scale.size import TEAMS_PER_REGION
from devtools.scale.vocabulary import VARIANCE_RULES
from supervision.models import RegionalPlan, RegionalPlanGoal, Variance

VARIANCE_COLUMNS = [
    "id",
    "enrollment_id",
    "rule",
    "flag_id",
    "reason",
    "proposed_due_on",
    "requested_by_id",
    "requested_at",
    "status",
    "decided_by_id",
    "decided_at",
    "approved_due_on",
    "decision_note",
]
REGIONAL_PLAN_COLUMNS = [
    "id",
    "region_id",
    "year",
    "summary",
    "status",
    "prepared_by_id",
    "submitted_at",
    "decided_by_id",
    "decided_at",
    "comments",
]
# Of every four variances: one pending, two approved, one denied.
VARIANCE_STATUSES = ("pending", "approved", "approved", "denied")
# Of every three regional plans: one submitted, one approved, one a draft.
REGIONAL_PLAN_STATUSES = ("submitted", "approved", "draft")


def load_variances_and_regional_plans(loader: Loader) -> None:
    load_variances(loader)
    load_regional_plans(loader)


def load_variances(loader: Loader) -> None:
    """About one variance per 100 clients: a quarter pending (the administrators' queue),
    the rest decided."""
    rng = rng_for(loader.seed, "variances")
    open_enrollments = [e for e in loader.enrollments if e.is_open]
    count = min(len(open_enrollments), max(3, loader.size.clients // 100))
    with copy_batch() as batch:
        variances = batch.table(Variance, VARIANCE_COLUMNS)
        for n, e in enumerate(rng.sample(open_enrollments, count)):
            _variance(loader, rng, variances, e, n=n)
        loader.report.counts["variances"] = variances.rows


def _variance(
    loader: Loader, rng: random.Random, variances: CopyWriter, e: EnrollmentPlan, *, n: int
) -> None:
    days, staff = loader.days, loader.staff
    status = VARIANCE_STATUSES[n % len(VARIANCE_STATUSES)]
    pending = status == "pending"
    if pending:
        requested = days.today - rng.randint(0, 30)
    else:
        requested = max(e.app, days.today - rng.randint(30, 400))
    proposed = requested + rng.randint(30, 90)
    decided = None if pending else min(requested + rng.randint(1, 10), days.today)
    variances.row(
        loader.take(Variance),
        e.id,
        rng.choice(VARIANCE_RULES),
        None,
        "Client hospitalised; the assessment cannot be completed on time.",
        days.date(proposed),
        staff.case_managers[e.cm],
        days.ts(requested, 700),
        status,
        None if decided is None else staff.administrators[n % len(staff.administrators)],
        None if decided is None else days.ts(decided, 900),
        days.date(proposed) if status == "approved" else None,
        "" if pending else "Decided by division administration.",
    )


def load_regional_plans(loader: Loader) -> None:
    """This year's service-delivery plan of each region, prepared by its first team's
    supervisor, with three goals."""
    days, staff = loader.days, loader.staff
    year = dt.date.fromordinal(days.today).year
    with copy_batch() as batch:
        plans = batch.table(RegionalPlan, REGIONAL_PLAN_COLUMNS)
        goals = batch.table(RegionalPlanGoal, ["id", "plan_id", "goal", "measure", "target_on"])
        for r, region_id in enumerate(staff.region_ids):
            plan_id = loader.take(RegionalPlan)
            status = REGIONAL_PLAN_STATUSES[r % len(REGIONAL_PLAN_STATUSES)]
            approved = status == "approved"
            plans.row(
                plan_id,
                region_id,
                year,
                "Service delivery plan (synthetic).",
                status,
                staff.supervisors[r * TEAMS_PER_REGION],
                None if status == "draft" else days.ts(days.today - 40),
                staff.administrators[0] if approved else None,
                days.ts(days.today - 20) if approved else None,
                "",
            )
            for g in range(3):
                goals.row(
                    loader.take(RegionalPlanGoal),
                    plan_id,
                    f"Regional goal {g + 1}: timely assessments.",
                    "Share on time",
                    dt.date(year, 3 * (g + 1) + 3, 1),
                )
