"""quality.services: drawing samples, reviewing, returning findings, acknowledging, closing
corrective actions and re-reviewing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import ProgrammingError, transaction

from quality import services
from quality.models import Answer, Benchmark, CorrectiveAction, RecordReview, Sample
from tests import factories
from tests.quality.conftest import TODAY

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 2, 28)}


@pytest.fixture
def records(frozen, alice):
    """alice's records: six in one program, three in another, all active in the period."""
    first, second = factories.ProgramFactory(), factories.ProgramFactory()
    applied = dt.date(2025, 12, 1)
    made = [
        factories.EnrollmentFactory(case_manager=alice, program=program, application_date=applied)
        for program in [first] * 6 + [second] * 3
    ]
    return first, second, made


def _draw(quinn, alice, sizes, seed=7):
    return services.sample_draw(actor=quinn, case_manager=alice, sizes=sizes, seed=seed, **PERIOD)


# --- Drawing a sample -------------------------------------------------------------------------


def test_it_draws_the_size_set_in_each_program(quinn, alice, records) -> None:
    first, second, _ = records
    sample = _draw(quinn, alice, {str(first.pk): 2, str(second.pk): 1})
    drawn = sample.drawn
    assert (len(drawn[str(first.pk)]), len(drawn[str(second.pk)])) == (2, 1)
    assert sample.reviews.count() == 3


def test_the_same_seed_draws_the_same_records(quinn, alice, records) -> None:
    first, second, _ = records
    sizes = {str(first.pk): 3, str(second.pk): 2}
    assert _draw(quinn, alice, sizes).drawn == _draw(quinn, alice, sizes).drawn


def test_the_draw_is_replayable_from_the_stored_population_and_seed(quinn, alice, records) -> None:
    first, second, _ = records
    sample = _draw(quinn, alice, {str(first.pk): 3, str(second.pk): 2}, seed=123)
    assert services.draw(population=sample.population, sizes=sample.sizes, seed=123) == sample.drawn


def test_a_different_seed_may_draw_other_records() -> None:
    population = {"1": list(range(1, 101))}
    draws = {
        tuple(services.draw(population=population, sizes={"1": 5}, seed=s)["1"]) for s in range(5)
    }
    assert len(draws) > 1


def test_it_stores_the_population_it_was_drawn_from(quinn, alice, records) -> None:
    first, _, made = records
    sample = _draw(quinn, alice, {str(first.pk): 1})
    stored = [pk for ids in sample.population.values() for pk in ids]
    assert sorted(stored) == sorted(e.pk for e in made)


def test_a_record_arriving_later_does_not_change_the_sample(quinn, alice, records) -> None:
    first, _, _ = records
    sample = _draw(quinn, alice, {str(first.pk): 1})
    factories.EnrollmentFactory(
        case_manager=alice, program=first, application_date=dt.date(2026, 1, 5)
    )
    sample.refresh_from_db()
    assert len(sample.population[str(first.pk)]) == 6


def test_a_size_larger_than_the_program_draws_all_of_it(quinn, alice, records) -> None:
    _, second, _ = records
    sample = _draw(quinn, alice, {str(second.pk): 10})
    assert len(sample.drawn[str(second.pk)]) == 3


def test_a_record_closed_the_day_before_the_period_is_not_in_it(quinn, alice, records) -> None:
    first, _, made = records
    closed = made[0]
    closed.status, closed.closed_on, closed.close_reason = (
        "closed",
        dt.date(2025, 12, 31),
        "goals_met",
    )
    closed.save()
    sample = _draw(quinn, alice, {str(first.pk): 1})
    assert closed.pk not in sample.population[str(first.pk)]


def test_a_record_closed_on_the_first_day_of_the_period_is_in_it(quinn, alice, records) -> None:
    first, _, made = records
    closed = made[0]
    closed.status, closed.closed_on, closed.close_reason = (
        "closed",
        dt.date(2026, 1, 1),
        "goals_met",
    )
    closed.save()
    sample = _draw(quinn, alice, {str(first.pk): 1})
    assert closed.pk in sample.population[str(first.pk)]


def test_a_case_manager_may_not_draw_a_sample(alice, records) -> None:
    first, _, _ = records
    with pytest.raises(PermissionDenied):
        _draw(alice, alice, {str(first.pk): 1})


def test_it_refuses_a_period_ending_before_it_starts(quinn, alice, records) -> None:
    with pytest.raises(ValidationError) as refused:
        services.sample_draw(
            actor=quinn, case_manager=alice, sizes={"1": 1},
            period_start=dt.date(2026, 2, 1), period_end=dt.date(2026, 1, 1),
        )  # fmt: skip
    assert "period_end" in refused.value.message_dict
    assert not Sample.objects.exists()


def test_it_refuses_a_case_manager_with_no_record_in_the_period(quinn, bob, frozen) -> None:
    with pytest.raises(ValidationError):
        _draw(quinn, bob, {"1": 2})


# --- Reviewing ----------------------------------------------------------------------------------


@pytest.fixture
def pending(frozen, quinn, alice) -> RecordReview:
    """alice's record applied for on 1 January, assessed on day 31 (late): nothing else."""
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2026, 1, 1)
    )
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=dt.date(2026, 2, 1)
    )
    sample = factories.SampleFactory(case_manager=alice, drawn_by=quinn, **PERIOD)
    return factories.RecordReviewFactory(enrollment=enrollment, sample=sample)


def _all_met() -> dict[int, tuple[str, str]]:
    return {pk: (Answer.MET, "Seen.") for pk in Benchmark.objects.values_list("pk", flat=True)}


def _code(code: str) -> int:
    return Benchmark.objects.get(code=code).pk


def test_the_data_answers_the_initial_assessment_from_the_record(pending) -> None:
    data = services.data_answers(pending, on=TODAY)
    answer = data[_code("initial-assessment-30-days")]
    assert (answer.answer, "day 31" in answer.evidence) == (Answer.NOT_MET, True)


def test_a_record_is_judged_as_of_the_end_of_the_period(pending) -> None:
    assert services.review_as_of(pending, on=TODAY) == dt.date(2026, 2, 28)


def test_an_override_of_the_data_needs_a_comment(pending, quinn) -> None:
    data = services.data_answers(pending, on=TODAY)
    answers = {pk: (a.answer, "") for pk, a in data.items()}
    answers[_code("initial-assessment-30-days")] = (Answer.MET, "")
    with pytest.raises(ValidationError) as refused:
        services.review_complete(actor=quinn, review=pending, answers=answers)
    assert f"comment_{_code('initial-assessment-30-days')}" in refused.value.message_dict
    assert not pending.items.exists()


def test_an_override_with_a_comment_is_kept_beside_the_datas_answer(pending, quinn) -> None:
    data = services.data_answers(pending, on=TODAY)
    answers = {pk: (a.answer, "") for pk, a in data.items()}
    answers[_code("initial-assessment-30-days")] = (Answer.MET, "Assessed on paper on day 29.")
    services.review_complete(actor=quinn, review=pending, answers=answers)
    item = pending.items.get(benchmark__code="initial-assessment-30-days")
    assert (item.data_answer, item.answer, item.is_override) == (Answer.NOT_MET, Answer.MET, True)


def test_the_score_is_met_over_applicable(pending, quinn) -> None:
    ids = list(Benchmark.objects.values_list("pk", flat=True))
    answers = {pk: (Answer.MET, "x") for pk in ids[:3]}
    answers.update({pk: (Answer.NOT_MET, "x") for pk in ids[3:5]})
    answers.update({pk: (Answer.NOT_APPLICABLE, "x") for pk in ids[5:]})
    review = services.review_complete(actor=quinn, review=pending, answers=answers)
    assert (review.met_count, review.applicable_count) == (3, 5)


def test_each_item_must_be_answered(pending, quinn) -> None:
    with pytest.raises(ValidationError):
        services.review_complete(actor=quinn, review=pending, answers={})


def test_a_supervisor_may_not_review_a_record(pending, sam) -> None:
    with pytest.raises(PermissionDenied):
        services.review_complete(actor=sam, review=pending, answers=_all_met())


def test_a_review_is_completed_once(pending, quinn) -> None:
    answers = _all_met()
    services.review_complete(actor=quinn, review=pending, answers=answers)
    with pytest.raises(ValidationError):
        services.review_complete(actor=quinn, review=pending, answers=answers)


# --- Findings, acknowledgement, corrective actions, re-review ---------------------------------


@pytest.fixture
def returned(frozen, quinn, alice) -> RecordReview:
    return factories.ReturnedRecordReviewFactory(enrollment__case_manager=alice, reviewer=quinn)


def test_a_corrective_action_is_assigned_to_the_case_manager_reviewed(
    returned, quinn, alice
) -> None:
    action = services.corrective_action_add(
        actor=quinn, review=returned, description="Add the plan's where.", due_on=TODAY
    )
    assert action.assigned_to == alice


def test_a_corrective_action_cannot_be_due_yesterday(returned, quinn) -> None:
    with pytest.raises(ValidationError) as refused:
        services.corrective_action_add(
            actor=quinn, review=returned, description="Fix", due_on=TODAY - dt.timedelta(days=1)
        )
    assert "due_on" in refused.value.message_dict


def test_no_corrective_action_before_the_review_is_done(pending, quinn) -> None:
    with pytest.raises(ValidationError):
        services.corrective_action_add(actor=quinn, review=pending, description="x", due_on=TODAY)


def test_returning_findings_dates_them(frozen, quinn, alice) -> None:
    review = factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=alice, status="completed", returned_at=None
    )
    services.review_return(actor=quinn, review=review)
    review.refresh_from_db()
    assert (review.status, review.returned_at is not None) == ("returned", True)


def test_the_case_manager_acknowledges_the_findings(returned, alice) -> None:
    services.review_acknowledge(actor=alice, review=returned, note="Will fix.")
    returned.refresh_from_db()
    assert (returned.status, returned.acknowledgement_note) == ("acknowledged", "Will fix.")


def test_the_supervisor_does_not_acknowledge_for_the_case_manager(returned, sam) -> None:
    with pytest.raises(PermissionDenied):
        services.review_acknowledge(actor=sam, review=returned)


def test_the_case_manager_closes_a_corrective_action(returned, alice) -> None:
    action = factories.CorrectiveActionFactory(review=returned)
    done = services.corrective_action_done(actor=alice, action=action, note="Done.")
    assert (done.done_on, done.done_by) == (TODAY, alice)


def test_a_corrective_action_is_closed_once(returned, alice) -> None:
    action = factories.CorrectiveActionFactory(review=returned)
    services.corrective_action_done(actor=alice, action=action)
    with pytest.raises(ValidationError):
        services.corrective_action_done(actor=alice, action=action)


def test_a_teammate_may_not_close_the_corrective_action(returned, bob) -> None:
    action = factories.CorrectiveActionFactory(review=returned)
    with pytest.raises(PermissionDenied):
        services.corrective_action_done(actor=bob, action=action)


def test_a_rereview_is_linked_to_the_earlier_review(returned, quinn) -> None:
    again = services.rereview_start(actor=quinn, review=returned)
    assert (again.previous, again.enrollment_id, again.status) == (
        returned,
        returned.enrollment_id,
        "pending",
    )


def test_a_rereview_judges_the_record_as_of_the_day_it_is_made(returned, quinn) -> None:
    again = services.rereview_start(actor=quinn, review=returned)
    assert services.review_as_of(again, on=TODAY + dt.timedelta(days=3)) == TODAY + dt.timedelta(
        days=3
    )


def test_a_review_has_one_rereview(returned, quinn) -> None:
    services.rereview_start(actor=quinn, review=returned)
    with pytest.raises(ValidationError):
        services.rereview_start(actor=quinn, review=returned)


def test_a_review_is_never_deleted(returned) -> None:
    with pytest.raises(ProgrammingError), transaction.atomic():
        RecordReview.objects.filter(pk=returned.pk).delete()


def test_a_corrective_action_is_never_deleted(returned) -> None:
    action = factories.CorrectiveActionFactory(review=returned)
    with pytest.raises(ProgrammingError), transaction.atomic():
        CorrectiveAction.objects.filter(pk=action.pk).delete()
