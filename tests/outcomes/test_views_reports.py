"""The outcomes report and the continuity-of-care report: figures against a hand-computed
fixture (period boundary days included), scope per role, bad input, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from outcomes.models import Occasion
from tests import factories
from tests.helpers import assert_list_queries_constant
from tests.outcomes.conftest import record_measures, referral_sent

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-02-28"}


def _figures(client, user, url="outcomes:report", **query):
    client.force_login(user)
    response = client.get(reverse(url), {**PERIOD, **query})
    assert response.status_code == 200
    return response


def _by_measure(response):
    return {
        r.measure.code: (r.measured, r.improved, r.unchanged, r.worsened)
        for r in response.context["rows"]
    }


def test_it_counts_a_case_managers_caseload(client, alice, outcomes) -> None:
    assert _by_measure(_figures(client, alice)) == {
        "substance_use_days": (3, 1, 1, 1),
        "housing": (2, 1, 0, 1),
    }


def test_it_shows_the_share_improved(client, alice, outcomes) -> None:
    rows = _figures(client, alice).context["rows"]
    assert [round(r.improved_share, 3) for r in rows] == [0.333, 0.5]


def test_the_agency_is_counted_for_an_administrator(client, ada, outcomes) -> None:
    assert _by_measure(_figures(client, ada))["substance_use_days"] == (4, 2, 1, 1)


def test_the_agency_is_counted_for_a_qa_reviewer(client, quinn, outcomes) -> None:
    assert _by_measure(_figures(client, quinn))["substance_use_days"] == (4, 2, 1, 1)


def test_a_supervisor_counts_their_teams(client, sam, outcomes) -> None:
    assert _by_measure(_figures(client, sam))["substance_use_days"] == (3, 1, 1, 1)


def test_a_teammate_does_not_count_another_caseload(client, bob, outcomes) -> None:
    assert _figures(client, bob).context["rows"] == []


def test_a_measurement_the_day_after_the_period_is_not_counted(client, alice, outcomes) -> None:
    response = _figures(client, alice, end="2026-03-01")
    # E3's 0 on 1 March is now its latest: from 5, an improvement.
    assert _by_measure(response)["substance_use_days"] == (3, 2, 1, 0)


def test_a_measurement_on_the_periods_first_day_is_counted(client, alice, outcomes) -> None:
    response = _figures(client, alice, start="2026-02-28")
    assert _by_measure(response) == {"substance_use_days": (1, 1, 0, 0), "housing": (1, 1, 0, 0)}


def test_the_chart_has_the_tables_shares(client, alice, outcomes) -> None:
    chart = _figures(client, alice).context["chart"]
    assert chart["values"] == [33.3, 50.0]


def test_a_start_after_the_end_is_refused(client, alice) -> None:
    client.force_login(alice)
    response = client.get(reverse("outcomes:report"), {"start": "2026-03-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["end"]


def test_a_date_that_is_not_one_is_refused(client, alice) -> None:
    client.force_login(alice)
    response = client.get(reverse("outcomes:report"), {"start": "2026-02-30"})
    assert response.status_code == 400


def test_a_period_over_three_years_is_refused(client, alice) -> None:
    client.force_login(alice)
    response = client.get(
        reverse("outcomes:continuity"), {"start": "2020-01-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400


def test_the_reports_queries_do_not_grow_with_rows(client, ada, alice, frozen) -> None:
    client.force_login(ada)

    def record(n: int) -> None:
        for _ in range(n):
            episode = factories.EnrollmentFactory(
                case_manager=alice, application_date=dt.date(2025, 11, 20)
            )
            record_measures(episode, Occasion.INTAKE, dt.date(2025, 12, 1), er_visits=3)
            record_measures(episode, Occasion.FOLLOW_UP, dt.date(2026, 2, 1), er_visits=1)

    assert_list_queries_constant(
        client,
        reverse("outcomes:report") + "?start=2026-01-01&end=2026-02-28",
        record,
        rows_of=lambda r: len(r.context["rows"]),
    )


# --- Continuity of care ---------------------------------------------------------------------


def test_continuity_counts_the_referrals_sent_in_the_period(client, alice, referrals) -> None:
    (row,) = _figures(client, alice, "outcomes:continuity").context["rows"]
    assert (row.sent, row.engaged, row.engaged_within, row.decided, row.waiting) == (5, 3, 2, 4, 1)


def test_continuity_gives_the_median_days_to_entry(client, alice, referrals) -> None:
    (row,) = _figures(client, alice, "outcomes:continuity").context["rows"]
    assert row.median_days == 14  # of 14, 15 and 3


def test_continuity_gives_the_share_within_14_days(client, alice, referrals) -> None:
    (row,) = _figures(client, alice, "outcomes:continuity").context["rows"]
    assert row.within_share == 0.5


def test_continuity_is_scoped_like_the_outcomes(client, charlie, referrals) -> None:
    assert _figures(client, charlie, "outcomes:continuity").context["rows"] == []


def test_continuitys_queries_do_not_grow_with_rows(client, ada, alice, frozen) -> None:
    client.force_login(ada)
    enrollment = factories.EnrollmentFactory(case_manager=alice)

    def record(n: int) -> None:
        for _ in range(n):
            referral_sent(
                enrollment, factories.ProviderFactory(), dt.date(2026, 1, 5), dt.date(2026, 1, 9)
            )

    assert_list_queries_constant(
        client,
        reverse("outcomes:continuity") + "?start=2026-01-01&end=2026-02-28",
        record,
        rows_of=lambda r: len(r.context["rows"]),
    )
