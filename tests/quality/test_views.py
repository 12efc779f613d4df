"""The record-review pages: the queue (QA's landing page), drawing a sample, the review form
pre-filled with its evidence, the findings, the trend, and My work's corrective actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quality.models import Benchmark, RecordReview, Sample
from quality.views import samples as samples_views
from tests import factories
from tests.helpers import assert_list_queries_constant

pytestmark = pytest.mark.django_db

QUEUE = reverse("quality:queue")
FINDINGS = reverse("quality:findings")
TREND = reverse("quality:trend")


def _page_count(response) -> int:
    return response.context["page"].paginator.count


# --- The queue --------------------------------------------------------------------------------


def test_a_qa_reviewer_lands_on_the_record_review_queue(client, quinn) -> None:
    client.force_login(quinn)
    assert client.get(reverse("home"))["Location"] == QUEUE


def test_the_queue_lists_the_records_to_review(client, quinn, frozen) -> None:
    pending = factories.RecordReviewFactory()
    factories.ReturnedRecordReviewFactory()
    client.force_login(quinn)
    response = client.get(QUEUE)
    assert [r.pk for r in response.context["reviews"]] == [pending.pk]


def test_the_queue_is_not_found_for_a_supervisor(client, sam) -> None:
    client.force_login(sam)
    assert client.get(QUEUE).status_code == 404


def test_the_queue_takes_as_many_queries_for_50_records_as_for_5(client, quinn, frozen) -> None:
    client.force_login(quinn)
    assert_list_queries_constant(
        client,
        QUEUE,
        lambda n: [factories.RecordReviewFactory() for _ in range(n)],
        rows_of=_page_count,
    )


def test_the_queue_scores_each_case_manager_over_the_reviews_done(
    client, quinn, alice, frozen
) -> None:
    factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=alice, met_count=4, applicable_count=5
    )
    factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=alice, met_count=2, applicable_count=5
    )
    factories.RecordReviewFactory(enrollment__case_manager=alice)  # pending: not scored
    client.force_login(quinn)
    [score] = client.get(QUEUE).context["scores"]
    assert (score.reviews, score.met, score.applicable, score.percent) == (2, 6, 10, 60)


def test_the_queue_lists_the_oldest_sample_first_a_page_at_a_time(
    client, quinn, frozen, monkeypatch
) -> None:
    monkeypatch.setattr(samples_views, "PAGE_SIZE", 2)
    made = [factories.RecordReviewFactory() for _ in range(3)]
    for days, review in zip((1, 3, 2), made, strict=True):
        Sample.objects.filter(pk=review.sample_id).update(
            drawn_at=timezone.now() - dt.timedelta(days=days)
        )
    client.force_login(quinn)
    first, second = client.get(QUEUE), client.get(QUEUE, {"page": 2})
    assert [r.pk for r in first.context["reviews"]] == [made[1].pk, made[2].pk]
    assert [r.pk for r in second.context["reviews"]] == [made[0].pk]


def test_the_queue_shows_the_lowest_scores_first_and_so_many_at_most(
    client, quinn, frozen, monkeypatch
) -> None:
    monkeypatch.setattr(samples_views, "LOWEST_SCORES", 2)
    for met in (4, 1, 3):
        factories.ReturnedRecordReviewFactory(met_count=met, applicable_count=5)
    client.force_login(quinn)
    scores = client.get(QUEUE).context["scores"]
    assert [s.percent for s in scores] == [20, 60]


def test_the_queue_counts_each_recent_samples_records_and_those_pending(
    client, quinn, frozen
) -> None:
    pending = factories.RecordReviewFactory()
    factories.ReturnedRecordReviewFactory(sample=pending.sample)
    client.force_login(quinn)
    [sample] = client.get(QUEUE).context["samples"]
    assert (sample.review_count, sample.pending_count) == (2, 1)


def test_the_queue_shows_a_page_of_findings_to_return_oldest_first(
    client, quinn, frozen, monkeypatch
) -> None:
    monkeypatch.setattr(samples_views, "PAGE_SIZE", 2)
    done = [
        factories.ReturnedRecordReviewFactory(
            status=RecordReview.Status.COMPLETED, returned_at=None
        )
        for _ in range(3)
    ]
    client.force_login(quinn)
    response = client.get(QUEUE)
    assert len(response.context["to_return"]) == 2
    assert response.context["more_to_return"]
    assert b'id="to-return-more"' in response.content
    assert {r.pk for r in done} >= {r.pk for r in response.context["to_return"]}


# --- Drawing a sample -------------------------------------------------------------------------


def test_it_draws_a_sample_and_shows_how(client, quinn, alice, frozen) -> None:
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2026, 1, 5)
    )
    client.force_login(quinn)
    response = client.post(
        reverse("quality:sample_draw"),
        {
            "case_manager": alice.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-02-28",
            "size": 1,
            "seed": 99,
        },
    )
    sample = Sample.objects.get()
    assert response["Location"] == reverse("quality:sample_detail", args=[sample.pk])
    page = client.get(response["Location"]).content.decode()
    assert ">99<" in page and str(enrollment.pk) in page


def test_a_draw_with_no_record_in_the_period_is_a_form_error(client, quinn, alice, frozen) -> None:
    factories.EnrollmentFactory(case_manager=alice, application_date=dt.date(2026, 3, 1))
    client.force_login(quinn)
    response = client.post(
        reverse("quality:sample_draw"),
        {
            "case_manager": alice.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-02-28",
            "size": 1,
        },
    )
    assert response.status_code == 400
    assert "no record in the period" in response.content.decode()


# --- Reviewing a record -----------------------------------------------------------------------


@pytest.fixture
def pending(frozen, alice, quinn) -> RecordReview:
    enrollment = factories.EnrollmentFactory(
        case_manager=alice, application_date=dt.date(2026, 1, 1)
    )
    factories.AssessmentFactory(
        enrollment=enrollment, completed=True, completed_on=dt.date(2026, 1, 31)
    )
    sample = factories.SampleFactory(
        case_manager=alice,
        drawn_by=quinn,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 2, 28),
    )
    return factories.RecordReviewFactory(enrollment=enrollment, sample=sample)


def test_the_review_form_shows_each_pre_filled_item_with_its_evidence(
    client, quinn, pending
) -> None:
    client.force_login(quinn)
    response = client.get(reverse("quality:review", args=[pending.pk]))
    page = response.content.decode()
    assert "day 30 after application" in page
    benchmark = Benchmark.objects.get(code="initial-assessment-30-days")
    assert response.context["form"][f"answer_{benchmark.pk}"].initial == "met"


def _confirm_all(response) -> dict[str, str]:
    form = response.context["form"]
    data = {"summary": "Tidy record."}
    for row in form.rows:
        data[f"answer_{row.benchmark.pk}"] = row.data.answer if row.data else "met"
        data[f"comment_{row.benchmark.pk}"] = ""
    return data


def test_confirming_the_items_completes_the_review(client, quinn, pending) -> None:
    client.force_login(quinn)
    url = reverse("quality:review", args=[pending.pk])
    response = client.post(url, _confirm_all(client.get(url)))
    pending.refresh_from_db()
    assert (response.status_code, pending.status, pending.items.count()) == (302, "completed", 7)


def test_an_override_without_a_comment_is_a_form_error(client, quinn, pending) -> None:
    client.force_login(quinn)
    url = reverse("quality:review", args=[pending.pk])
    data = _confirm_all(client.get(url))
    benchmark = Benchmark.objects.get(code="initial-assessment-30-days")
    data[f"answer_{benchmark.pk}"] = "not_met"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Say why you override" in response.content.decode()


def test_a_pending_review_is_not_found_for_the_case_manager(client, alice, pending) -> None:
    client.force_login(alice)
    assert client.get(reverse("quality:review", args=[pending.pk])).status_code == 404


# --- Findings, acknowledgement, corrective actions --------------------------------------------


def test_a_case_manager_sees_her_own_findings_only(client, alice, bob, frozen) -> None:
    own = factories.ReturnedRecordReviewFactory(enrollment__case_manager=alice)
    factories.ReturnedRecordReviewFactory(enrollment__case_manager=bob)
    client.force_login(alice)
    assert [r.pk for r in client.get(FINDINGS).context["page"]] == [own.pk]


def test_a_supervisor_sees_the_findings_of_her_team(
    client, sam, alice, bob, charlie, frozen
) -> None:
    mine = {
        factories.ReturnedRecordReviewFactory(enrollment__case_manager=alice).pk,
        factories.ReturnedRecordReviewFactory(enrollment__case_manager=bob).pk,
    }
    factories.ReturnedRecordReviewFactory(enrollment__case_manager=charlie)
    client.force_login(sam)
    assert {r.pk for r in client.get(FINDINGS).context["page"]} == mine


def test_findings_take_as_many_queries_for_50_as_for_5(client, sam, alice, frozen) -> None:
    client.force_login(sam)

    def record(n: int) -> None:
        for _ in range(n):
            factories.CorrectiveActionFactory(review__enrollment__case_manager=alice)

    assert_list_queries_constant(client, FINDINGS, record, rows_of=_page_count)


def test_the_case_manager_acknowledges_from_the_review_page(client, alice, frozen) -> None:
    review = factories.ReturnedRecordReviewFactory(enrollment__case_manager=alice)
    client.force_login(alice)
    client.post(reverse("quality:review_acknowledge", args=[review.pk]), {"note": "Understood."})
    review.refresh_from_db()
    assert review.status == "acknowledged"


def test_a_corrective_action_is_on_my_work_until_done(client, alice, frozen) -> None:
    action = factories.CorrectiveActionFactory(review__enrollment__case_manager=alice)
    client.force_login(alice)
    my_work = reverse("workspace:my_work")
    assert action.description in client.get(my_work).content.decode()
    client.post(reverse("quality:action_done", args=[action.pk]), {"note": "Added."})
    assert action.description not in client.get(my_work).content.decode()


def test_my_work_takes_as_many_queries_with_corrective_actions(client, alice, frozen) -> None:
    client.force_login(alice)
    my_work = reverse("workspace:my_work")

    def record(n: int) -> None:
        for _ in range(n):
            factories.CorrectiveActionFactory(review__enrollment__case_manager=alice)

    assert_list_queries_constant(
        client,
        my_work,
        record,
        rows_of=lambda r: sum(1 for i in r.context["items"] if i.kind == "corrective_action"),
    )


def test_a_rereview_opens_linked_to_the_earlier_review(client, quinn, frozen) -> None:
    review = factories.ReturnedRecordReviewFactory()
    client.force_login(quinn)
    response = client.post(reverse("quality:rereview", args=[review.pk]))
    again = RecordReview.objects.get(previous=review)
    assert response["Location"] == reverse("quality:review", args=[again.pk])


def test_a_supervisor_is_not_shown_a_link_to_a_pending_rereview(client, sam, alice, frozen) -> None:
    review = factories.ReturnedRecordReviewFactory(enrollment__case_manager=alice)
    again = factories.RecordReviewFactory(
        enrollment=review.enrollment, sample=review.sample, previous=review
    )
    client.force_login(sam)
    response = client.get(reverse("quality:review", args=[review.pk]))
    assert response.status_code == 200
    assert reverse("quality:review", args=[again.pk]) not in response.content.decode()


# --- The trend --------------------------------------------------------------------------------


def test_the_trend_shows_a_score_per_case_manager_and_month(client, quinn, alice, frozen) -> None:
    factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=alice,
        reviewed_on=dt.date(2026, 1, 10),
        met_count=3,
        applicable_count=6,
    )
    factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=alice,
        reviewed_on=dt.date(2026, 1, 20),
        met_count=5,
        applicable_count=6,
    )
    factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=alice,
        reviewed_on=dt.date(2026, 2, 3),
        met_count=6,
        applicable_count=6,
    )
    client.force_login(quinn)
    rows = client.get(TREND).context["rows"]
    assert [(r.month, r.score.met, r.score.applicable, r.score.percent) for r in rows] == [
        (dt.date(2026, 1, 1), 8, 12, 67),
        (dt.date(2026, 2, 1), 6, 6, 100),
    ]


def test_the_trend_per_team_groups_the_teams_case_managers(
    client, quinn, alice, bob, frozen
) -> None:
    factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=alice, met_count=1, applicable_count=2
    )
    factories.ReturnedRecordReviewFactory(
        enrollment__case_manager=bob, met_count=2, applicable_count=2
    )
    client.force_login(quinn)
    rows = client.get(f"{TREND}?by=team").context["rows"]
    assert [(r.who, r.score.met, r.score.applicable) for r in rows] == [("North Team", 3, 4)]


def test_the_trend_takes_as_many_queries_for_50_reviews_as_for_5(client, quinn, frozen) -> None:
    client.force_login(quinn)

    def record(n: int) -> None:
        for _ in range(n):
            factories.ReturnedRecordReviewFactory()

    assert_list_queries_constant(
        client, TREND, record, rows_of=lambda r: sum(row.score.reviews for row in r.context["rows"])
    )
