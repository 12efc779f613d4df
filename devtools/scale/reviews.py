"""Record reviews at scale, so the record-review queue has rows to page through: for each
case manager, a sample of the last 90 days drawn by an administrator (two of their records,
the first by program), one record reviewed, returned with its seven items and an open
corrective action, the other still to review."""

from __future__ import annotations

from collections import defaultdict

from devtools.scale.copy import copy_batch
from devtools.scale.loader import EnrollmentPlan, Loader, rng_for
from quality.models import Benchmark, CorrectiveAction, RecordReview, ReviewItem, Sample

SAMPLE_COLUMNS = [
    "id", "case_manager_id", "team_id", "period_start", "period_end", "seed", "sizes",
    "population", "drawn", "drawn_by_id", "drawn_at", "note",
]  # fmt: skip
REVIEW_COLUMNS = [
    "id", "sample_id", "enrollment_id", "case_manager_id", "team_id", "previous_id", "status",
    "reviewer_id", "reviewed_on", "met_count", "applicable_count", "summary", "returned_at",
    "acknowledged_at", "acknowledgement_note", "created_at", "updated_at",
]  # fmt: skip
ITEM_COLUMNS = ["id", "review_id", "benchmark_id", "data_answer", "evidence", "answer", "comment"]
ACTION_COLUMNS = [
    "id", "review_id", "benchmark_id", "description", "due_on", "assigned_to_id",
    "created_by_id", "created_at", "done_on", "done_by_id", "done_note",
]  # fmt: skip
PERIOD_DAYS = 90


def _population(open_records: list[EnrollmentPlan], loader: Loader) -> dict[str, list[int]]:
    population: dict[str, list[int]] = defaultdict(list)
    for e in open_records:
        population[str(loader.programs[e.program].pk)].append(e.id)
    return dict(population)


def load_reviews(loader: Loader) -> None:
    rng = rng_for(loader.seed, "reviews")
    days, staff = loader.days, loader.staff
    benchmark_ids = list(Benchmark.objects.order_by("position", "id").values_list("pk", flat=True))
    by_cm: dict[int, list[EnrollmentPlan]] = defaultdict(list)
    for e in loader.enrollments:
        if e.is_open and e.app <= days.today:
            by_cm[e.cm].append(e)
    reviewer = staff.administrators[0]
    with copy_batch() as batch:
        samples = batch.table(Sample, SAMPLE_COLUMNS)
        reviews = batch.table(RecordReview, REVIEW_COLUMNS)
        items = batch.table(ReviewItem, ITEM_COLUMNS)
        actions = batch.table(CorrectiveAction, ACTION_COLUMNS)
        for cm, records in sorted(by_cm.items()):
            drawn = rng.sample(records, min(2, len(records)))
            sample_id = loader.take(Sample)
            population = _population(records, loader)
            drawn_day = days.today - rng.randint(5, 30)
            cm_id, team_id = staff.case_managers[cm], staff.team_ids[staff.cm_team[cm]]
            samples.row(
                sample_id, cm_id, team_id, days.date(days.today - PERIOD_DAYS),
                days.date(days.today), rng.randrange(2**31), dict.fromkeys(population, 2),
                population, _population(drawn, loader), reviewer,
                days.ts(drawn_day), "Synthetic sample.",
            )  # fmt: skip
            for n, e in enumerate(drawn):
                review_id = loader.take(RecordReview)
                done = n == 0
                met = rng.randint(3, len(benchmark_ids)) if done else 0
                reviews.row(
                    review_id, sample_id, e.id, cm_id, team_id, None,
                    "returned" if done else "pending", reviewer if done else None,
                    days.date(drawn_day + 2) if done else None, met,
                    len(benchmark_ids) if done else 0, "Synthetic review." if done else "",
                    days.ts(drawn_day + 3) if done else None, None, "",
                    days.ts(drawn_day), days.ts(drawn_day + 3 if done else drawn_day),
                )  # fmt: skip
                if not done:
                    continue
                for b, benchmark_id in enumerate(benchmark_ids):
                    answer = "met" if b < met else "not_met"
                    items.row(
                        loader.take(ReviewItem), review_id, benchmark_id, answer,
                        "From the synthetic record.", answer, "",
                    )  # fmt: skip
                actions.row(
                    loader.take(CorrectiveAction), review_id, benchmark_ids[-1],
                    "Document the supervisor's review of the risk screen.",
                    days.date(days.today + rng.randint(1, 20)), cm_id, reviewer,
                    days.ts(drawn_day + 3), None, None, "",
                )  # fmt: skip
    loader.report.counts["record reviews"] = reviews.rows
