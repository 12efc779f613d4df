"""The demo record reviews: ruth (QA reviewer) draws a sample of alex's records over the last
90 days, two per program (seed 2026), and reviews the first record drawn: the items the data
answers confirmed, one overridden with a comment, a summary; two corrective actions for alex
(one done with a note, one open, so it is on his My work), the findings returned and
acknowledged with a response, and a re-review opened, linked to it. Every optional field is
filled. Written only when no sample exists, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from quality import services
from quality.models import Answer, Benchmark, RecordReview, Sample

REVIEWER = "ruth"
CASE_MANAGER = "alex"
SEED = 2026


def _answers(review: RecordReview, today: dt.date) -> dict[int, tuple[str, str]]:
    """The data's answers confirmed, the contacts item overridden with a comment."""
    data = services.data_answers(review, on=today)
    answers = {}
    for benchmark in Benchmark.objects.filter(is_active=True):
        found = data.get(benchmark.pk)
        answers[benchmark.pk] = (found.answer if found else Answer.MET, "")
    contacts = Benchmark.objects.filter(code="contacts-documented").first()
    if contacts is not None:
        answer = Answer.NOT_MET if answers[contacts.pk][0] != Answer.NOT_MET else Answer.MET
        answers[contacts.pk] = (
            answer,
            "Two contact notes say only 'checked in': the contact is not documented.",
        )
    return answers


def write_reviews(*, users: dict[str, User], today: dt.date) -> None:
    if Sample.objects.exists():
        return
    ruth, alex = users[REVIEWER], users[CASE_MANAGER]
    population = services.sample_population(
        case_manager=alex, period_start=today - dt.timedelta(days=90), period_end=today
    )
    sample = services.sample_draw(
        actor=ruth,
        case_manager=alex,
        period_start=today - dt.timedelta(days=90),
        period_end=today,
        sizes={program_id: 2 for program_id in population},
        seed=SEED,
        note="Quarterly review of the documentation of contacts and referrals.",
    )
    # The oldest record drawn: it has the most history to review.
    review = sample.reviews.order_by("enrollment__application_date", "id").first()
    if review is None:
        return
    review = services.review_complete(
        actor=ruth,
        review=review,
        answers=_answers(review, today),
        summary="Assessment and plan on time; contact notes too brief to show the work done.",
    )
    contacts = Benchmark.objects.filter(code="contacts-documented").first()
    done = services.corrective_action_add(
        actor=ruth,
        review=review,
        description="Add the missing progress note for the last home visit.",
        due_on=today,
        benchmark=contacts,
    )
    services.corrective_action_add(
        actor=ruth,
        review=review,
        description="Write each contact note with its purpose, what happened and next steps.",
        due_on=today + dt.timedelta(days=14),
        benchmark=contacts,
    )
    services.review_return(actor=ruth, review=review)
    services.review_acknowledge(
        actor=alex, review=review, note="Understood; I will add the notes this week."
    )
    services.corrective_action_done(
        actor=alex, action=done, note="Progress note of the home visit added."
    )
    services.rereview_start(actor=ruth, review=review)
