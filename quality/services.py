"""Every change to samples, record reviews and corrective actions goes through one of these.

Each service is atomic, takes keyword arguments, checks that the actor may make the change
(QA reviewers and administrators draw and review; the case manager reviewed acknowledges; the
case manager or a supervisor of the team closes a corrective action), validates (raising
``ValidationError`` with field errors) and saves nothing when it refuses.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casemgmt.dates import today
from clients.models import Enrollment
from quality import benchmarks
from quality.models import (
    Answer,
    Benchmark,
    CorrectiveAction,
    RecordReview,
    ReviewItem,
    Sample,
    is_reviewer,
)

MAX_PER_PROGRAM = 50


def require_reviewer(actor: User, *, to: str) -> None:
    if not is_reviewer(actor):
        raise PermissionDenied(f"Only QA reviewers and administrators {to}.")


def draw(
    *, population: Mapping[str, list[int]], sizes: Mapping[str, int], seed: int
) -> dict[str, list[int]]:
    """A simple random sample without replacement in each program (a stratum), ``sizes`` of
    it at most, from the ids sorted: the same population, sizes and seed draw the same
    records, so a stored sample can be replayed to show how it was drawn."""
    rng = random.Random(seed)
    drawn: dict[str, list[int]] = {}
    for program_id in sorted(population, key=int):
        ids = sorted(population[program_id])
        size = min(sizes.get(program_id, 0), len(ids))
        drawn[program_id] = sorted(rng.sample(ids, size)) if size > 0 else []
    return drawn


def sample_population(
    *, case_manager: User, period_start: dt.date, period_end: dt.date
) -> dict[str, list[int]]:
    """The case manager's records active in the period: enrollments applied for by its end
    and not closed before its start, by program."""
    rows = (
        Enrollment.objects.filter(case_manager=case_manager, application_date__lte=period_end)
        .exclude(closed_on__lt=period_start)
        .order_by("program_id", "id")
        .values_list("program_id", "id")
    )
    population: dict[str, list[int]] = {}
    for program_id, enrollment_id in rows:
        population.setdefault(str(program_id), []).append(enrollment_id)
    return population


def _validate_draw(
    *, case_manager: User, period_start: dt.date, period_end: dt.date, sizes: Mapping[str, int]
) -> None:
    errors: dict[str, str] = {}
    if not case_manager.is_case_manager:
        errors["case_manager"] = "Choose a case manager."
    if period_end < period_start:
        errors["period_end"] = "The period ends on or after its start."
    elif period_start > today():
        errors["period_start"] = "The period has not begun yet."
    if any(size < 0 or size > MAX_PER_PROGRAM for size in sizes.values()):
        errors["size"] = f"Between 0 and {MAX_PER_PROGRAM} records per program."
    elif not any(sizes.values()):
        errors["size"] = "Draw at least one record."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def sample_draw(
    *,
    actor: User,
    case_manager: User,
    period_start: dt.date,
    period_end: dt.date,
    sizes: Mapping[str, int],
    seed: int | None = None,
    note: str = "",
) -> Sample:
    """Draw a random sample of the case manager's records for the period, stratified by
    program (TIP 27, 001_3c08ce069f179acb: review of client records against benchmarks),
    store it with its seed and population, and open a review of each record drawn."""
    require_reviewer(actor, to="draw samples of records")
    _validate_draw(
        case_manager=case_manager, period_start=period_start, period_end=period_end, sizes=sizes
    )
    population = sample_population(
        case_manager=case_manager, period_start=period_start, period_end=period_end
    )
    sizes = {program_id: size for program_id, size in sizes.items() if size}
    seed = secrets.randbelow(2**31) if seed is None else seed
    drawn = draw(population=population, sizes=sizes, seed=seed)
    if not any(drawn.values()):
        raise ValidationError({"period_start": "The case manager has no record in the period."})
    sample = Sample(
        case_manager=case_manager,
        team=case_manager.team,
        period_start=period_start,
        period_end=period_end,
        seed=seed,
        sizes=sizes,
        population=population,
        drawn=drawn,
        drawn_by=actor,
        note=note,
    )
    sample.full_clean()
    sample.save()
    teams = dict(
        Enrollment.objects.filter(pk__in=[pk for ids in drawn.values() for pk in ids]).values_list(
            "pk", "team_id"
        )
    )
    RecordReview.objects.bulk_create(
        RecordReview(
            sample=sample,
            enrollment_id=pk,
            case_manager=case_manager,
            team_id=teams[pk],
        )
        for ids in drawn.values()
        for pk in ids
    )
    return sample


def review_as_of(review: RecordReview, *, on: dt.date) -> dt.date:
    """The day a record is judged as of: the end of the sample's period (a re-review: the day
    it is made, after the corrections), never after the enrollment closed or after today."""
    day = on if review.previous_id else min(review.sample.period_end, on)
    closed_on = review.enrollment.closed_on
    return min(day, closed_on) if closed_on else day


def data_answers(review: RecordReview, *, on: dt.date) -> dict[int, benchmarks.DataAnswer]:
    """What the record's data answers for each active benchmark that has a rule, by id."""
    as_of = review_as_of(review, on=on)
    facts = benchmarks.record_facts(review.enrollment, as_of)
    answers = {}
    for benchmark in Benchmark.objects.filter(is_active=True):
        answer = benchmarks.answer_from_data(benchmark.data_rule, facts, as_of)
        if answer is not None:
            answers[benchmark.pk] = answer
    return answers


def _locked_review(*, review: RecordReview, status: str) -> RecordReview:
    locked = (
        RecordReview.objects.select_for_update(of=("self",))
        .select_related("sample", "enrollment")
        .filter(pk=review.pk, status=status)
        .first()
    )
    if locked is None:
        raise ValidationError(f"This review is no longer {RecordReview.Status(status).label}.")
    return locked


def _validated_items(
    *,
    answers: Mapping[int, tuple[str, str]],
    data: Mapping[int, benchmarks.DataAnswer],
    benchmark_ids: list[int],
) -> list[tuple[int, str, str]]:
    errors: dict[str, str] = {}
    items = []
    for benchmark_id in benchmark_ids:
        answer, comment = answers.get(benchmark_id, ("", ""))
        comment = comment.strip()
        from_data = data.get(benchmark_id)
        if answer not in Answer.values:
            errors[f"answer_{benchmark_id}"] = "Answer each item."
        elif from_data and answer != from_data.answer and not comment:
            errors[f"comment_{benchmark_id}"] = "Say why you override the record's answer."
        items.append((benchmark_id, answer, comment))
    if errors:
        raise ValidationError(errors)
    return items


@transaction.atomic
def review_complete(
    *,
    actor: User,
    review: RecordReview,
    answers: Mapping[int, tuple[str, str]],
    summary: str = "",
) -> RecordReview:
    """Record the reviewer's answer to each benchmark, keeping beside it what the data said
    and its evidence; an answer that differs from the data's (an override) needs a comment.
    The score is met / applicable (not-applicable items count in neither)."""
    require_reviewer(actor, to="review records")
    locked = _locked_review(review=review, status=RecordReview.Status.PENDING)
    on = today()
    data = data_answers(locked, on=on)
    benchmark_ids = list(Benchmark.objects.filter(is_active=True).values_list("pk", flat=True))
    items = _validated_items(answers=answers, data=data, benchmark_ids=benchmark_ids)
    ReviewItem.objects.bulk_create(
        ReviewItem(
            review=locked,
            benchmark_id=benchmark_id,
            data_answer=data[benchmark_id].answer if benchmark_id in data else "",
            evidence=data[benchmark_id].evidence if benchmark_id in data else "",
            answer=answer,
            comment=comment,
        )
        for benchmark_id, answer, comment in items
    )
    locked.met_count = sum(1 for _, answer, _ in items if answer == Answer.MET)
    locked.applicable_count = sum(1 for _, answer, _ in items if answer != Answer.NOT_APPLICABLE)
    locked.status = RecordReview.Status.COMPLETED
    locked.reviewer = actor
    locked.reviewed_on = on
    locked.summary = summary
    locked.full_clean()
    locked.save(
        update_fields=[
            "met_count", "applicable_count", "status", "reviewer", "reviewed_on", "summary",
            "updated_at",
        ]
    )  # fmt: skip
    return locked


@transaction.atomic
def corrective_action_add(
    *,
    actor: User,
    review: RecordReview,
    description: str,
    due_on: dt.date,
    benchmark: Benchmark | None = None,
) -> CorrectiveAction:
    """A corrective action for the case manager reviewed, due on a day to come, added to a
    reviewed record before or after its findings are returned."""
    require_reviewer(actor, to="write review findings")
    locked = (
        RecordReview.objects.select_for_update().filter(pk=review.pk).exclude(status="pending")
    ).first()
    if locked is None:
        raise ValidationError("Complete the review before writing its corrective actions.")
    errors = {}
    if not description.strip():
        errors["description"] = "Say what is to be corrected."
    if due_on < today():
        errors["due_on"] = "The due date cannot be in the past."
    if errors:
        raise ValidationError(errors)
    return CorrectiveAction.objects.create(
        review=locked,
        benchmark=benchmark,
        description=description.strip(),
        due_on=due_on,
        assigned_to_id=locked.case_manager_id,
        created_by=actor,
    )


@transaction.atomic
def review_return(*, actor: User, review: RecordReview) -> RecordReview:
    """Return the findings to the case manager reviewed and their supervisor (TIP 27: feedback
    returned to the people who produced the data): from now on they see the review."""
    require_reviewer(actor, to="return review findings")
    locked = _locked_review(review=review, status=RecordReview.Status.COMPLETED)
    locked.status = RecordReview.Status.RETURNED
    locked.returned_at = timezone.now()
    locked.save(update_fields=["status", "returned_at", "updated_at"])
    return locked


@transaction.atomic
def review_acknowledge(*, actor: User, review: RecordReview, note: str = "") -> RecordReview:
    """The case manager reviewed acknowledges the findings, once."""
    if actor.pk != review.case_manager_id or not actor.is_active:
        raise PermissionDenied("Only the case manager reviewed acknowledges the findings.")
    locked = _locked_review(review=review, status=RecordReview.Status.RETURNED)
    locked.status = RecordReview.Status.ACKNOWLEDGED
    locked.acknowledged_at = timezone.now()
    locked.acknowledgement_note = note.strip()
    locked.save(update_fields=["status", "acknowledged_at", "acknowledgement_note", "updated_at"])
    return locked


@transaction.atomic
def corrective_action_done(
    *, actor: User, action: CorrectiveAction, note: str = ""
) -> CorrectiveAction:
    """The case manager (or a supervisor of the team) closes a corrective action once, when
    done; it leaves My work."""
    if not CorrectiveAction.objects.writable_by(actor).filter(pk=action.pk).exists():
        raise PermissionDenied("Only the case manager or their supervisor closes this action.")
    claimed = CorrectiveAction.objects.filter(pk=action.pk, done_on__isnull=True).update(
        done_on=today(), done_by=actor, done_note=note.strip()
    )
    if claimed != 1:
        raise ValidationError("This corrective action is already done.")
    return CorrectiveAction.objects.get(pk=action.pk)


@transaction.atomic
def rereview_start(*, actor: User, review: RecordReview) -> RecordReview:
    """Open a re-review of a reviewed record, linked to the review it follows (one each)."""
    require_reviewer(actor, to="re-review records")
    locked = RecordReview.objects.select_for_update().filter(pk=review.pk).first()
    if locked is None or locked.is_pending:
        raise ValidationError("Only a completed review can be re-reviewed.")
    if RecordReview.objects.filter(previous=locked).exists():
        raise ValidationError("This review has a re-review already.")
    return RecordReview.objects.create(
        sample_id=locked.sample_id,
        enrollment_id=locked.enrollment_id,
        case_manager_id=locked.case_manager_id,
        team_id=locked.team_id,
        previous=locked,
    )
