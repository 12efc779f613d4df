import re

import icalendar
import pytest
from django.urls import reverse

from clients.models import AccessLog
from scheduling import services
from scheduling.calendar import EVENT_PROPERTIES
from scheduling.models import CalendarFeed, feed_token_hash
from tests import factories
from tests.helpers import assert_list_queries_constant
from tests.scheduling.conftest import local

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("scheduling:feed_settings")
CALENDAR_PROPERTIES = {"PRODID", "VERSION", "X-WR-CALNAME", "X-WR-TIMEZONE"}


def _feed_url(token):
    return reverse("scheduling:feed", args=[token])


@pytest.fixture
def token(alice, frozen):
    return services.feed_enable(user=alice)


def test_turning_it_on_shows_the_address_once(client, alice, frozen):
    client.force_login(alice)
    response = client.post(SETTINGS_URL, {"action": "enable"})
    assert "/schedule/feed/" in response.context["feed_url"]
    assert client.get(SETTINGS_URL).context["feed_url"] == ""


def test_only_the_tokens_hash_is_stored(alice, token):
    stored = CalendarFeed.objects.get(user=alice).token_sha256
    assert stored == feed_token_hash(token)
    assert token not in stored


def test_an_unknown_action_answers_400(client, alice):
    client.force_login(alice)
    assert client.post(SETTINGS_URL, {"action": "explode"}).status_code == 400


def test_the_feed_is_not_behind_the_login(client, token, visit):
    response = client.get(_feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_an_unknown_token_answers_404(client, token):
    assert client.get(_feed_url("not-a-token")).status_code == 404


def test_a_rotated_token_answers_404(client, alice, token):
    services.feed_enable(user=alice)
    assert client.get(_feed_url(token)).status_code == 404


def test_a_revoked_token_answers_404(client, alice, token):
    client.force_login(alice)
    client.post(SETTINGS_URL, {"action": "revoke"})
    client.logout()
    assert client.get(_feed_url(token)).status_code == 404


def test_deactivating_the_account_revokes_the_feed(alice, token):
    alice.is_active = False
    alice.save()
    assert CalendarFeed.objects.get(user=alice).revoked_at is not None


def test_a_deactivated_users_token_answers_404_even_unrevoked(client, alice, token):
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)  # no save(): no revocation
    assert client.get(_feed_url(token)).status_code == 404


def test_each_fetch_is_access_logged_without_the_token(client, alice, token):
    client.get(_feed_url(token))
    client.get(_feed_url(token))
    rows = AccessLog.objects.filter(user=alice)
    assert rows.count() == 2
    assert all(row.client_id is None and token not in row.path for row in rows)


def test_an_event_carries_only_time_type_and_record_number(client, token, visit):
    calendar = icalendar.Calendar.from_ical(client.get(_feed_url(token)).content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert set(events[0].keys()) <= EVENT_PROPERTIES
    assert str(events[0]["SUMMARY"]) == f"Home visit · {visit.enrollment.client.record_number}"


def test_the_feed_holds_no_name_address_program_or_free_text(client, token, visit):
    body = client.get(_feed_url(token)).content.decode()
    calendar = icalendar.Calendar.from_ical(body)
    assert set(calendar.keys()) <= CALENDAR_PROPERTIES
    client_record = visit.enrollment.client
    unfolded = re.sub(r"\r\n[ \t]", "", body)
    for secret in (
        client_record.first_name,
        client_record.last_name,
        visit.enrollment.program.name,
        visit.location,
        visit.with_whom,
        visit.purpose,
        "Client's home",
    ):
        assert secret not in unfolded


def test_events_are_in_the_agencys_time_zone(client, token, visit):
    calendar = icalendar.Calendar.from_ical(client.get(_feed_url(token)).content)
    start = calendar.walk("VEVENT")[0].decoded("DTSTART")
    assert str(start.tzinfo) == "America/Boise"
    assert start == visit.scheduled_start
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Boise"]


def test_it_covers_30_days_back_to_90_ahead(client, alice, enrollment, token):
    inside = [local(2026, 2, 3, 14), local(2026, 6, 1, 12)]
    outside = [local(2026, 2, 2, 12), local(2026, 6, 3, 12)]
    for start in inside + outside:
        factories.PlannedVisitFactory(enrollment=enrollment, scheduled_start=start)
    calendar = icalendar.Calendar.from_ical(client.get(_feed_url(token)).content)
    starts = sorted(e.decoded("DTSTART") for e in calendar.walk("VEVENT"))
    assert starts == inside


def test_cancelled_visits_are_left_out(client, alice, token, visit):
    services.visit_cancel(actor=alice, visit=visit)
    calendar = icalendar.Calendar.from_ical(client.get(_feed_url(token)).content)
    assert calendar.walk("VEVENT") == []


def test_its_queries_do_not_grow_with_visits(client, alice, enrollment, token):
    def record(n):
        factories.PlannedVisitFactory.create_batch(n, enrollment=enrollment)

    def events(response):
        return len(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))

    assert_list_queries_constant(client, _feed_url(token), record, rows_of=events)
