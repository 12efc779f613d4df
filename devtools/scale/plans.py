"""Service plans with their goals, interventions, barriers and reviews."""

from __future__ import annotations

from devtools.scale.copy import CopyBatch
from devtools.scale.loader import EnrollmentPlan, Loader, load_per_enrollment, rng_for
from devtools.scale.vocabulary import ACTIONS, BARRIERS, GOAL_WORDS
from serviceplans.models import Barrier, Goal, PlanAction, PlanReview, ServicePlan
from serviceplans.services import ACTION_FIELDS

PLAN_COLUMNS = [
    "id",
    "enrollment_id",
    "version",
    "status",
    "previous_id",
    "author_id",
    "start_date",
    "client_participated",
    "rationale_explained_on",
    "client_signed_on",
    "approved_by_id",
    "approved_on",
    "created_at",
    "updated_at",
]
GOAL_COLUMNS = [
    "id",
    "plan_id",
    "client_words",
    "life_domain",
    "target_date",
    "status",
    "carried_from_id",
]
ACTION_COLUMNS = ["id", "goal_id", *ACTION_FIELDS]
BARRIER_COLUMNS = ["id", "plan_id", "kind", "description", "strategy", "resolved_on"]
REVIEW_COLUMNS = ["id", "plan_id", "reviewer_id", "reviewed_on", "summary", "created_at"]


class PlanLoader:
    """Per assessed enrollment: most have a plan approved within weeks of the first
    assessment, half of those lasting a year renewed as version 2 (goals carried over),
    reviewed at about the program's interval; a few have a draft in progress."""

    def __init__(self, loader: Loader, batch: CopyBatch) -> None:
        self.loader = loader
        self.days = loader.days
        self.rng = rng_for(loader.seed, "plans")
        self.plans = batch.table(ServicePlan, PLAN_COLUMNS)
        self.goals = batch.table(Goal, GOAL_COLUMNS)
        self.actions = batch.table(PlanAction, ACTION_COLUMNS)
        self.barriers = batch.table(Barrier, BARRIER_COLUMNS)
        self.reviews = batch.table(PlanReview, REVIEW_COLUMNS)

    def counts(self) -> dict[str, int]:
        return {
            "service plans": self.plans.rows,
            "goals": self.goals.rows,
            "plan reviews": self.reviews.rows,
        }

    def enrollment(self, e: EnrollmentPlan) -> None:
        rng = self.rng
        if e.first_assessed is None:
            return
        approved = e.first_assessed + rng.randint(3, 40)
        if approved > e.end or rng.random() >= 0.9:
            # No plan yet (flagged once overdue); half have a draft in progress.
            if e.is_open and rng.random() < 0.5:
                self._plan(e, 1, "draft", None, None, [])
            return
        renewed = approved + rng.randint(330, 400)
        if renewed <= e.end and rng.random() < 0.5:
            first_id, first_goals = self._plan(e, 1, "superseded", None, approved, [])
            self._reviews(first_id, e, approved, renewed)
            latest, second_goals = self._plan(e, 2, "active", first_id, renewed, first_goals)
            self._reviews(latest, e, renewed, e.end)
            e.plans = [(approved, renewed, first_goals), (renewed, None, second_goals)]
        else:
            latest, goal_ids = self._plan(e, 1, "active", None, approved, [])
            self._reviews(latest, e, approved, e.end)
            e.plans = [(approved, None, goal_ids)]
        if e.is_open and rng.random() < 0.03:
            self._plan(e, len(e.plans) + 1, "draft", latest, None, e.plans[-1][2])

    def _plan(
        self,
        e: EnrollmentPlan,
        version: int,
        status: str,
        previous: int | None,
        approved: int | None,
        carried: list[int],
    ) -> tuple[int, list[int]]:
        """A plan with its goals (``carried`` over from the previous version, or two or
        three new ones) and, for half, a barrier; returns its id and its goals' ids."""
        rng, days, staff = self.rng, self.days, self.loader.staff
        plan_id = self.loader.take(ServicePlan)
        start = approved if approved is not None else min(days.today, e.end)
        self.plans.row(
            plan_id,
            e.id,
            version,
            status,
            previous,
            staff.case_managers[e.cm],
            days.date(start),
            True,
            days.date(start - rng.randint(0, 7)),
            None if approved is None else days.date(approved),
            None if approved is None else staff.supervisors[e.team],
            None if approved is None else days.date(approved),
            days.ts(start - 3),
            days.ts(start),
        )
        count = len(carried) or rng.choice((2, 2, 3))
        goal_ids = [
            self._goal(plan_id, start, carried[n] if carried else None) for n in range(count)
        ]
        if rng.random() < 0.5:
            kind, description, strategy = rng.choice(BARRIERS)
            self.barriers.row(self.loader.take(Barrier), plan_id, kind, description, strategy, None)
        return plan_id, goal_ids

    def _goal(self, plan_id: int, start: int, carried_from: int | None) -> int:
        """A goal in the client's words with one or two objectives or interventions."""
        rng, days = self.rng, self.days
        goal_id = self.loader.take(Goal)
        words, domain = GOAL_WORDS[rng.randrange(len(GOAL_WORDS))]
        self.goals.row(
            goal_id,
            plan_id,
            words,
            domain,
            days.date(start + rng.randint(90, 365)),
            "active",
            carried_from,
        )
        for _ in range(rng.choice((1, 1, 2))):
            what, when, where, why = rng.choice(ACTIONS)
            self.actions.row(
                self.loader.take(PlanAction),
                goal_id,
                rng.choice(("objective", "intervention")),
                rng.choice(("case_manager", "client", "provider")),
                "",
                what,
                when,
                where,
                why,
                days.date(start + rng.randint(14, 120)),
                rng.choice(("not_started", "in_progress", "in_progress", "done")),
            )
        return goal_id

    def _reviews(self, plan_id: int, e: EnrollmentPlan, approved: int, until: int) -> None:
        """Reviews about the program's interval apart until ``until``, a few missed."""
        rng, days = self.rng, self.days
        interval = self.loader.programs[e.program].plan_review_interval_days
        day = approved
        while True:
            day += interval + rng.randint(-10, 12)
            if day > until:
                break
            if rng.random() < 0.85:
                self.reviews.row(
                    self.loader.take(PlanReview),
                    plan_id,
                    self.loader.staff.case_managers[e.cm],
                    days.date(day),
                    "Progress reviewed with the client.",
                    days.ts(day),
                )


def load_plans(loader: Loader) -> None:
    load_per_enrollment(loader, PlanLoader)
