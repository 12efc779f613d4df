"""Comprehensive assessments, the risk screens done with them and the alerts of the
positive ones."""

from __future__ import annotations

from devtools.scale.copy import CopyBatch
from devtools.scale.loader import EnrollmentPlan, Loader, load_per_enrollment, rng_for
from devtools.scale.vocabulary import ASSESSMENT_SUMMARIES
from serviceplans.models import RISK_ITEM_NAMES, Assessment, RiskAlert, RiskScreen

ASSESSMENT_COLUMNS = [
    "id",
    "enrollment_id",
    "kind",
    "status",
    "author_id",
    "summary",
    "completed_on",
    "created_at",
    "updated_at",
]
SCREEN_COLUMNS = [
    "id",
    "enrollment_id",
    "author_id",
    "screened_on",
    "mental_health_stage",
    "substance_use_stage",
    *RISK_ITEM_NAMES,
    "positive",
    "medication_adherence",
    "appointment_adherence",
    "notes",
    "created_at",
]
ALERT_COLUMNS = ["id", "risk_screen_id", "team_id", "raised_at", "reviewed_at", "reviewed_by_id"]
STAGES = ["", "precontemplation", "contemplation", "preparation", "action", "maintenance"]
ADHERENCE = ["good", "good", "partial", "poor", "not_applicable"]


class AssessmentLoader:
    def __init__(self, loader: Loader, batch: CopyBatch) -> None:
        self.loader = loader
        self.days = loader.days
        self.rng = rng_for(loader.seed, "assessments")
        self.assessments = batch.table(Assessment, ASSESSMENT_COLUMNS)
        self.screens = batch.table(RiskScreen, SCREEN_COLUMNS)
        self.alerts = batch.table(RiskAlert, ALERT_COLUMNS)

    def counts(self) -> dict[str, int]:
        return {
            "assessments": self.assessments.rows,
            "risk screens": self.screens.rows,
            "risk alerts": self.alerts.rows,
        }

    def enrollment(self, e: EnrollmentPlan) -> None:
        author = self.loader.staff.case_managers[e.cm]
        completed = self._completed_days(e)
        for n, day in enumerate(completed):
            self._completed(e, author, day, kind="update" if n else "initial")
        if completed:
            e.first_assessed = completed[0]
        self._draft(e, author, completed)

    def _completed_days(self, e: EnrollmentPlan) -> list[int]:
        """The initial assessment: most on time (within 30 days), some late, a few still
        missing (the compliance engine flags those); then updates about a year apart while
        the episode lasts, a few missed."""
        rng = self.rng
        completed: list[int] = []
        if e.end - e.app >= 5 and rng.random() < 0.93:
            day = e.app + int(rng.triangular(3, 45, 18))
            if day <= e.end:
                completed.append(day)
        while completed:
            day = completed[-1] + rng.randint(300, 372)
            if day > e.end or rng.random() < 0.2:
                break
            completed.append(day)
        return completed

    def _completed(self, e: EnrollmentPlan, author: int, day: int, *, kind: str) -> None:
        """A completed assessment, with a risk screen the same day three times in four."""
        days, rng = self.days, self.rng
        self.assessments.row(
            self.loader.take(Assessment),
            e.id,
            kind,
            "completed",
            author,
            rng.choice(ASSESSMENT_SUMMARIES),
            days.date(day),
            days.ts(day, 560),
            days.ts(day, 600),
        )
        if rng.random() < 0.75:
            self._screen(e, author, day)

    def _draft(self, e: EnrollmentPlan, author: int, completed: list[int]) -> None:
        """A draft in progress: the initial one of half the open episodes not yet
        assessed, or an update of a few of the others."""
        rng, days = self.rng, self.days
        if not e.is_open:
            return
        if not ((not completed and rng.random() < 0.5) or (completed and rng.random() < 0.03)):
            return
        day = max(days.today - rng.randint(0, 20), e.app)
        self.assessments.row(
            self.loader.take(Assessment),
            e.id,
            "update" if completed else "initial",
            "draft",
            author,
            "",
            None,
            days.ts(day),
            days.ts(day),
        )

    def _screen(self, e: EnrollmentPlan, author: int, day: int) -> None:
        """A risk screen, positive in about 7%: one or two concerns, and an alert for the
        team's supervisor, reviewed within days unless it is recent."""
        days, rng = self.days, self.rng
        items = [False] * len(RISK_ITEM_NAMES)
        if rng.random() < 0.07:
            for index in rng.sample(range(len(items)), rng.choice((1, 1, 2))):
                items[index] = True
        positive = any(items)
        screen_id = self.loader.take(RiskScreen)
        self.screens.row(
            screen_id,
            e.id,
            author,
            days.date(day),
            rng.choice(STAGES),
            rng.choice(STAGES),
            *items,
            positive,
            rng.choice(ADHERENCE),
            rng.choice(ADHERENCE),
            "",
            days.ts(day, 610),
        )
        if positive:
            concerns = [name for name, on in zip(RISK_ITEM_NAMES, items, strict=True) if on]
            self._alert(e, screen_id, day, concerns)

    def _alert(self, e: EnrollmentPlan, screen_id: int, day: int, concerns: list[str]) -> None:
        days, rng, staff = self.days, self.rng, self.loader.staff
        alert_id = self.loader.take(RiskAlert)
        reviewed: int | None = None
        if day < days.today - 3 and rng.random() < 0.92:
            reviewed = min(day + rng.randint(0, 3), days.today)
        self.alerts.row(
            alert_id,
            screen_id,
            staff.team_ids[e.team],
            days.ts(day, 615),
            None if reviewed is None else days.ts(reviewed, 700),
            None if reviewed is None else staff.supervisors[e.team],
        )
        self.loader.alerts.append((alert_id, e, reviewed, concerns))


def load_assessments(loader: Loader) -> None:
    load_per_enrollment(loader, AssessmentLoader)
