"""The measurement form, its correction and the client page's outcomes card."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from outcomes.models import Occasion, OutcomeMeasurement
from tests import factories
from tests.helpers import assert_list_queries_constant
from tests.outcomes.conftest import TODAY, record_measures

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(alice, frozen):
    return factories.EnrollmentFactory(case_manager=alice, application_date=dt.date(2025, 11, 20))


def test_the_form_offers_a_field_per_measure(client, alice, enrollment) -> None:
    client.force_login(alice)
    response = client.get(reverse("outcomes:measurement_create", args=[enrollment.pk]))
    assert response.status_code == 200
    assert "m_substance_use_days" in response.context["form"].fields
    assert response.context["form"].initial["occasion"] == Occasion.INTAKE


def test_it_records_the_measures_and_returns_to_the_client(client, alice, enrollment) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("outcomes:measurement_create", args=[enrollment.pk]),
        {"occasion": "intake", "measured_on": "2025-12-01", "m_substance_use_days": "9",
         "m_housing": "Emergency shelter"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith(f"/clients/{enrollment.client_id}/#outcomes")
    assert OutcomeMeasurement.objects.get().values.count() == 2


def test_a_value_out_of_range_is_shown_on_the_form(client, alice, enrollment) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("outcomes:measurement_create", args=[enrollment.pk]),
        {"occasion": "intake", "measured_on": "2025-12-01", "m_substance_use_days": "45"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["m_substance_use_days"]
    assert not OutcomeMeasurement.objects.exists()


def test_a_follow_up_before_the_intake_is_refused_on_the_form(client, alice, enrollment) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("outcomes:measurement_create", args=[enrollment.pk]),
        {"occasion": "follow_up", "measured_on": "2025-12-01", "m_substance_use_days": "4"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["occasion"]


def test_an_outsider_is_told_there_is_no_such_enrollment(client, charlie, enrollment) -> None:
    client.force_login(charlie)
    response = client.get(reverse("outcomes:measurement_create", args=[enrollment.pk]))
    assert response.status_code == 404


def test_the_correction_form_starts_from_the_measurement(client, alice, enrollment) -> None:
    measurement = record_measures(enrollment, Occasion.INTAKE, dt.date(2025, 12, 1),
                                  substance_use_days=9)  # fmt: skip
    client.force_login(alice)
    response = client.get(reverse("outcomes:measurement_correct", args=[measurement.pk]))
    assert response.context["form"].initial["m_substance_use_days"] == 9


def test_it_saves_a_correction(client, alice, enrollment) -> None:
    measurement = record_measures(enrollment, Occasion.INTAKE, dt.date(2025, 12, 1),
                                  substance_use_days=9)  # fmt: skip
    client.force_login(alice)
    response = client.post(
        reverse("outcomes:measurement_correct", args=[measurement.pk]),
        {"measured_on": "2025-12-01", "m_substance_use_days": "19", "reason": "Misheard."},
    )
    assert response.status_code == 302
    assert OutcomeMeasurement.objects.current().get().corrects == measurement


def _card(client, enrollment):
    return client.get(
        reverse("outcomes:client_card", args=[enrollment.client_id]), headers={"HX-Request": "true"}
    )


def test_the_card_shows_the_change_from_baseline(client, alice, enrollment) -> None:
    record_measures(enrollment, Occasion.INTAKE, dt.date(2025, 12, 1), substance_use_days=10,
                    housing="Emergency shelter")  # fmt: skip
    record_measures(enrollment, Occasion.FOLLOW_UP, dt.date(2026, 3, 1), substance_use_days=8,
                    housing="Stable (own, rented or with family)")  # fmt: skip
    client.force_login(alice)
    episode = _card(client, enrollment).context["episodes"][0]
    changes = {c.measure.code: c.change for c in episode.changes if c.change}
    assert changes == {"substance_use_days": "unchanged", "housing": "improved"}
    assert episode.due_on == dt.date(2026, 5, 30)


def test_the_cards_chart_has_the_tables_figures(client, alice, enrollment) -> None:
    record_measures(enrollment, Occasion.INTAKE, dt.date(2025, 12, 1), substance_use_days=10)
    record_measures(enrollment, Occasion.FOLLOW_UP, dt.date(2026, 3, 1), substance_use_days=2)
    client.force_login(alice)
    response = _card(client, enrollment)
    html = response.content.decode()
    start = html.index(f'id="outcome-chart-{enrollment.pk}"')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert (data["labels"], data["values"]) == (["Days of substance use"], [8])


def test_the_card_offers_recording_to_the_caseloads_owner(client, alice, enrollment) -> None:
    client.force_login(alice)
    assert _card(client, enrollment).context["episodes"][0].can_record


def test_the_card_offers_no_recording_to_a_qa_reviewer(client, quinn, enrollment) -> None:
    client.force_login(quinn)
    response = _card(client, enrollment)
    assert not response.context["episodes"][0].can_record
    assert (
        reverse("outcomes:measurement_create", args=[enrollment.pk])
        not in response.content.decode()
    )


def test_the_card_is_not_found_for_an_outsider(client, charlie, enrollment) -> None:
    client.force_login(charlie)
    assert _card(client, enrollment).status_code == 404


def test_the_card_without_htmx_is_a_page(client, alice, enrollment) -> None:
    client.force_login(alice)
    response = client.get(reverse("outcomes:client_card", args=[enrollment.client_id]))
    assert "workspace/card_page.html" in [t.name for t in response.templates]


def test_the_cards_queries_do_not_grow_with_measurements(client, alice, enrollment) -> None:
    record_measures(enrollment, Occasion.INTAKE, dt.date(2025, 11, 20), substance_use_days=10)
    client.force_login(alice)
    days = iter(range(1, 100))

    def record(n: int) -> None:
        for _ in range(n):
            on = dt.date(2025, 11, 20) + dt.timedelta(days=next(days))
            record_measures(
                enrollment,
                Occasion.FOLLOW_UP,
                on,
                substance_use_days=5,
                housing="Emergency shelter",
            )

    assert_list_queries_constant(
        client,
        reverse("outcomes:client_card", args=[enrollment.client_id]),
        record,
        rows_of=lambda r: sum(len(e.measurements) for e in r.context["episodes"]) - 1,
    )


def test_the_client_page_loads_the_card(client, alice, enrollment) -> None:
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert reverse("outcomes:client_card", args=[enrollment.client_id]) in response.content.decode()


def test_today_is_the_default_day(client, alice, enrollment) -> None:
    client.force_login(alice)
    response = client.get(reverse("outcomes:measurement_create", args=[enrollment.pk]))
    assert response.context["form"].initial["measured_on"] == TODAY
