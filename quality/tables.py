"""Record reviews' exports (exports.tables): the review queue, the findings returned and the
score trend. Each builds, for a viewer and the page's query, the rows its page shows (every
page of them), through the same selector as the page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from exports.tables import Table, cleaned_data, holds_part2, in_chunks, register
from quality import selectors
from quality.forms import TrendForm
from quality.models import RecordReview, is_reviewer

# The scores are counts per case manager or team and month: no 42 CFR 2.32 notice.
SCORES_HOLD_PART2 = False


def _client_rows(
    reviews: QuerySet[RecordReview], row: Callable[[RecordReview], list[Any]]
) -> Iterator[list[Any]]:
    for review in in_chunks(reviews):
        yield row(review)


# --- The review queue (quality:queue) ----------------------------------------------------------


QUEUE_HEADERS = [
    "Client", "Record number", "Program", "Case manager", "Period start", "Period end", "Review",
]  # fmt: skip


def review_kind(review: RecordReview) -> str:
    """A first review, or the re-review of the review of a day (as the queue shows it)."""
    if review.previous_id is None:
        return "First review"
    assert review.previous is not None
    reviewed_on = review.previous.reviewed_on
    return f"Re-review of {reviewed_on:%Y-%m-%d}" if reviewed_on else "Re-review"


def queue_row(review: RecordReview) -> list[Any]:
    enrollment = review.enrollment
    return [
        enrollment.client.display_name,
        enrollment.client.record_number,
        enrollment.program.name,
        str(review.case_manager),
        review.sample.period_start,
        review.sample.period_end,
        review_kind(review),
    ]


@register("quality.queue", filename="record-review-queue")
def queue_table(viewer: User, query: QueryDict) -> Table:
    """The records still to review, for QA reviewers and administrators only (as the page)."""
    if not is_reviewer(viewer):
        raise PermissionDenied("Only QA reviewers and administrators read the review queue.")
    reviews = selectors.review_queue(viewer=viewer)
    return Table(
        headers=QUEUE_HEADERS,
        rows=_client_rows(reviews, queue_row),
        count=reviews.count(),
        part2=holds_part2(reviews, "enrollment__program"),
    )


# --- The findings returned (quality:findings) --------------------------------------------------


FINDINGS_HEADERS = [
    "Client", "Record number", "Program", "Case manager", "Reviewed", "Reviewed by",
    "Score: met", "Score: applicable", "Open actions", "Acknowledged",
]  # fmt: skip


def finding_row(review: RecordReview) -> list[Any]:
    """A review of selectors.findings_for (its ``open_actions`` counted) as the list shows it;
    "Acknowledged" is blank while the findings are still to acknowledge."""
    enrollment = review.enrollment
    acknowledged_at = review.acknowledged_at
    return [
        enrollment.client.display_name,
        enrollment.client.record_number,
        enrollment.program.name,
        str(review.case_manager),
        review.reviewed_on,
        str(review.reviewer) if review.reviewer_id else None,
        review.met_count,
        review.applicable_count,
        review.open_actions,  # type: ignore[attr-defined]  # annotated by findings_for
        timezone.localdate(acknowledged_at) if acknowledged_at else None,
    ]


@register("quality.findings", filename="record-review-findings")
def findings_table(viewer: User, query: QueryDict) -> Table:
    reviews = selectors.findings_for(viewer=viewer)
    return Table(
        headers=FINDINGS_HEADERS,
        rows=_client_rows(reviews, finding_row),
        count=reviews.count(),
        part2=holds_part2(reviews, "enrollment__program"),
    )


# --- The score trend (quality:trend) -----------------------------------------------------------


def trend_by(query: QueryDict) -> str:
    """``?by=``: "case_manager" (by default) or "team"; anything else is an invalid query."""
    by: str = cleaned_data(TrendForm(query))["by"]
    return by


def trend_headers(by: str) -> list[str]:
    return ["Month", TrendForm.BY[by], "Records reviewed", "Met", "Applicable", "Score (%)"]


def trend_row(row: selectors.TrendRow) -> list[Any]:
    score = row.score
    return [
        f"{row.month:%Y-%m}",
        row.who,
        score.reviews,
        score.met,
        score.applicable,
        score.percent,
    ]


@register("quality.trend", filename="record-review-scores")
def trend_table(viewer: User, query: QueryDict) -> Table:
    by = trend_by(query)
    rows = [trend_row(row) for row in selectors.score_trend(viewer=viewer, by=by)]
    return Table(headers=trend_headers(by), rows=rows, count=len(rows), part2=SCORES_HOLD_PART2)
