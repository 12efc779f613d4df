"""Reads of record reviews: the queue, the findings, the scores and their trend.

Every read starts from ``visible_to(viewer)``, and each list is one set-based query (plus a
fixed number of prefetches), whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, NullIf, TruncMonth

from accounts.models import User
from quality import benchmarks
from quality.models import Benchmark, CorrectiveAction, RecordReview, ReviewItem, Sample

FINDINGS_RETURNED = [RecordReview.Status.RETURNED, RecordReview.Status.ACKNOWLEDGED]


QUEUE_RELATED = ("enrollment__client", "enrollment__program", "case_manager", "sample", "previous")


def review_queue(*, viewer: User) -> QuerySet[RecordReview]:
    """Records still to review, oldest sample first (re-reviews with them)."""
    return (
        RecordReview.objects.visible_to(viewer)
        .filter(status=RecordReview.Status.PENDING)
        .select_related(*QUEUE_RELATED)
        .order_by("sample__drawn_at", "id")
    )


def review_queue_keys(*, viewer: User) -> QuerySet[RecordReview, int]:
    """The queue's keys in its order: a page of them is chosen joining the samples only, and
    its rows are then read by key (reviews_by_key), so the client, program and case manager
    are joined for one page, not for every record pending."""
    return review_queue(viewer=viewer).values_list("pk", flat=True)


def reviews_by_key(*, viewer: User, keys: Iterable[int]) -> list[RecordReview]:
    """The reviews of ``keys`` the viewer may read, in that order, with what the queue shows
    of each."""
    keys = list(keys)
    found = RecordReview.objects.visible_to(viewer).select_related(*QUEUE_RELATED).in_bulk(keys)
    return [found[key] for key in keys if key in found]


def reviews_to_return(*, viewer: User) -> QuerySet[RecordReview]:
    """Reviewed records whose findings have not gone back yet."""
    return (
        RecordReview.objects.visible_to(viewer)
        .filter(status=RecordReview.Status.COMPLETED)
        .select_related("enrollment__client", "enrollment__program", "case_manager")
        .order_by("reviewed_on", "id")
    )


def samples_recent(*, viewer: User, limit: int = 20) -> QuerySet[Sample]:
    return (
        Sample.objects.visible_to(viewer)
        .select_related("case_manager", "drawn_by")
        .annotate(
            # Counted per sample shown (correlated), not grouped over every sample drawn.
            review_count=_reviews_of_sample(),
            pending_count=_reviews_of_sample(status=RecordReview.Status.PENDING),
        )
        .order_by("-drawn_at", "-id")[:limit]
    )


def _reviews_of_sample(**where: Any) -> Subquery:
    return Subquery(
        RecordReview.objects.filter(sample=OuterRef("pk"), **where)
        .order_by()
        .values("sample")
        .annotate(n=Count("*"))
        .values("n"),
        output_field=IntegerField(),
    )


def sample_reviews(sample: Sample) -> QuerySet[RecordReview]:
    return sample.reviews.select_related(
        "enrollment__client", "enrollment__program", "previous"
    ).order_by("enrollment__program__name", "id")


def findings_for(*, viewer: User) -> QuerySet[RecordReview]:
    """Returned findings the viewer may read (their own, their teams', or all), those still
    to acknowledge first, each with its open corrective actions counted."""
    return (
        RecordReview.objects.visible_to(viewer)
        .filter(status__in=FINDINGS_RETURNED)
        .select_related("enrollment__client", "enrollment__program", "case_manager", "reviewer")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__done_on__isnull=True)),
        )
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-returned_at", "-id")
    )


def review_items(review: RecordReview) -> QuerySet[ReviewItem]:
    return review.items.select_related("benchmark").order_by("benchmark__position", "benchmark_id")


def review_actions(review: RecordReview) -> QuerySet[CorrectiveAction]:
    return review.actions.select_related("benchmark", "assigned_to", "done_by").order_by(
        "due_on", "id"
    )


@dataclass(frozen=True)
class ChecklistRow:
    """One benchmark on the review form: what the data answers (None: the reviewer judges)."""

    benchmark: Benchmark
    data: benchmarks.DataAnswer | None


def checklist(data: dict[int, benchmarks.DataAnswer]) -> list[ChecklistRow]:
    return [
        ChecklistRow(benchmark=benchmark, data=data.get(benchmark.pk))
        for benchmark in Benchmark.objects.filter(is_active=True)
    ]


@dataclass(frozen=True)
class Score:
    label: str
    met: int
    applicable: int
    reviews: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.applicable) if self.applicable else None


def scores_by_case_manager(*, viewer: User, lowest: int | None = None) -> list[Score]:
    """Per case manager, over the reviews completed: met / applicable summed, one query; by
    name, or with ``lowest`` the case managers with the lowest scores first, that many."""
    rows = (
        RecordReview.objects.visible_to(viewer)
        .exclude(status=RecordReview.Status.PENDING)
        .values("case_manager__first_name", "case_manager__last_name", "case_manager_id")
        .annotate(met=Sum("met_count"), applicable=Sum("applicable_count"), reviews=Count("id"))
    )
    by_name = ["case_manager__last_name", "case_manager__first_name", "case_manager_id"]
    if lowest is None:
        rows = rows.order_by(*by_name)
    else:
        share = Cast(F("met"), FloatField()) / NullIf(F("applicable"), 0)
        rows = rows.order_by(share.asc(nulls_last=True), *by_name)[:lowest]
    return [
        Score(
            label=f"{row['case_manager__first_name']} {row['case_manager__last_name']}",
            met=row["met"] or 0,
            applicable=row["applicable"] or 0,
            reviews=row["reviews"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class TrendRow:
    month: dt.date
    who: str
    score: Score


def _trend_rows(
    rows: Iterable[dict[str, Any]], *, label_of: Callable[[dict[str, Any]], str]
) -> list[TrendRow]:
    return [
        TrendRow(
            month=row["month"],
            who=label_of(row),
            score=Score(
                label=label_of(row),
                met=row["met"] or 0,
                applicable=row["applicable"] or 0,
                reviews=row["reviews"],
            ),
        )
        for row in rows
    ]


def score_trend(*, viewer: User, by: str) -> list[TrendRow]:
    """Scores per month of review, per case manager (``by="case_manager"``) or per team,
    over the reviews the viewer may read: one grouped query. A re-review counts in the month
    it was made, so the trend shows what the correction changed."""
    group = (
        ["case_manager__first_name", "case_manager__last_name", "case_manager_id"]
        if by == "case_manager"
        else ["team__name", "team_id"]
    )
    rows = (
        RecordReview.objects.visible_to(viewer)
        .exclude(status=RecordReview.Status.PENDING)
        .annotate(month=TruncMonth("reviewed_on"))
        .values("month", *group)
        .annotate(met=Sum("met_count"), applicable=Sum("applicable_count"), reviews=Count("id"))
        .order_by("month", *group)
    )
    if by == "case_manager":
        return _trend_rows(
            rows,
            label_of=lambda r: f"{r['case_manager__first_name']} {r['case_manager__last_name']}",
        )
    return _trend_rows(rows, label_of=lambda r: r["team__name"] or "No team")


def open_actions_for(
    *, viewer: User, case_manager: User, until: dt.date
) -> QuerySet[CorrectiveAction]:
    """Open corrective actions assigned to the case manager, due by ``until`` or overdue,
    that the viewer may read (My work)."""
    return (
        CorrectiveAction.objects.visible_to(viewer)
        .filter(assigned_to=case_manager, done_on__isnull=True, due_on__lte=until)
        .select_related("review__enrollment__client")
    )
