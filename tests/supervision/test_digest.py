"""The daily flag digest email (supervision.notifications.send_flag_digests)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from celery.schedules import crontab
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casemgmt.celery import app
from supervision.models import DigestSent, Flag, FlagRule
from supervision.notifications import send_flag_digests
from supervision.tasks import send_flag_digests_daily
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 13, 30, tzinfo=dt.UTC)  # 06:30 on 2 March in America/Boise
TODAY = dt.date(2026, 3, 2)
YESTERDAY_MORNING = NOW - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _flag(enrollment, *, rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE, raised_at=NOW, **kwargs):
    return factories.FlagFactory(
        enrollment=enrollment,
        rule=rule,
        raised_at=raised_at,
        raised_on=raised_at.date(),
        **kwargs,
    )


def _digest_sent(user, at=YESTERDAY_MORNING) -> DigestSent:
    return DigestSent.objects.create(
        user=user, sent_on=at.date(), sent_at=at, new_flags=0, open_flags=0
    )


def _to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def _body(user) -> str:
    """Send today's digests, then the one ``user`` got."""
    send_flag_digests(today=TODAY)
    (message,) = _to(user)
    return message.body


def test_it_emails_a_case_manager_the_new_flags_of_their_caseload(alice, enrollment):
    _flag(enrollment, due_on=TODAY - dt.timedelta(days=5))
    send_flag_digests(today=TODAY)
    (message,) = _to(alice)
    assert message.subject == "Casework: 1 new, 1 open compliance flag"
    assert "Initial comprehensive assessment overdue: 1 (1 overdue, the longest by 5 days)" in (
        message.body
    )


def test_it_names_no_client(sam, alice, enrollment):
    _flag(enrollment, due_on=TODAY - dt.timedelta(days=5))
    send_flag_digests(today=TODAY)
    client = enrollment.client
    for message in _to(alice) + _to(sam):
        for identifying in (client.first_name, client.last_name, client.record_number):
            assert identifying not in message.subject + message.body


def test_it_counts_a_flag_due_today_as_not_yet_overdue(alice, enrollment):
    _flag(enrollment, due_on=TODAY)
    assert "Initial comprehensive assessment overdue: 1\n" in _body(alice)


def test_it_groups_the_flags_by_rule(alice, enrollment):
    second = factories.EnrollmentFactory(case_manager=alice)
    _flag(enrollment)
    _flag(second)
    _flag(second, rule=FlagRule.MONITORING_GAP)
    body = _body(alice)
    assert "Initial comprehensive assessment overdue: 2" in body
    assert "Monitoring gap: 1" in body
    assert body.index("Initial comprehensive assessment overdue") < body.index("Monitoring gap")
    assert "To resolve: Make and log a contact with the client" in body


def test_it_lists_still_open_flags_apart_from_the_new_ones(alice, enrollment):
    _digest_sent(alice)
    _flag(enrollment, raised_at=NOW - dt.timedelta(days=3))
    second = factories.EnrollmentFactory(case_manager=alice)
    _flag(second, rule=FlagRule.MONITORING_GAP)
    body = _body(alice)
    new = body[body.index("NEW SINCE YOUR LAST DIGEST (1)") : body.index("STILL OPEN (1)")]
    still_open = body[body.index("STILL OPEN (1)") :]
    assert "Monitoring gap: 1" in new
    assert "Initial comprehensive assessment overdue" not in new
    assert "Initial comprehensive assessment overdue: 1" in still_open


def test_it_sends_nothing_when_nothing_changed_since_the_last_digest(alice, enrollment):
    _digest_sent(alice)
    _flag(enrollment, raised_at=NOW - dt.timedelta(days=3))
    report = send_flag_digests(today=TODAY)
    assert _to(alice) == []
    assert report.unchanged >= 1


def test_it_sends_when_a_flag_was_resolved_since_the_last_digest(alice, enrollment):
    _digest_sent(alice)
    _flag(enrollment, raised_at=NOW - dt.timedelta(days=3))
    _flag(
        factories.EnrollmentFactory(case_manager=alice),
        raised_at=NOW - dt.timedelta(days=3),
        resolved_on=TODAY,
        resolved_at=NOW - dt.timedelta(hours=4),
        resolution="Comprehensive assessment completed.",
    )
    body = _body(alice)
    assert "Some flags were resolved since your last digest." in body
    assert "STILL OPEN (1)" in body


def test_it_counts_as_new_before_the_first_digest_only_what_was_raised_in_the_last_day(
    alice, enrollment
):
    _flag(enrollment, raised_at=NOW - dt.timedelta(days=2))
    send_flag_digests(today=TODAY)
    assert _to(alice) == []


def test_it_sends_at_most_one_digest_a_day(alice, enrollment):
    _flag(enrollment)
    send_flag_digests(today=TODAY)
    _flag(factories.EnrollmentFactory(case_manager=alice))
    report = send_flag_digests(today=TODAY)
    assert len(_to(alice)) == 1
    assert report.already_sent >= 1
    assert DigestSent.objects.filter(user=alice).count() == 1


def test_it_records_what_it_sent(alice, enrollment):
    _digest_sent(alice)
    _flag(enrollment, raised_at=NOW - dt.timedelta(days=3))
    _flag(factories.EnrollmentFactory(case_manager=alice))
    send_flag_digests(today=TODAY)
    sent = DigestSent.objects.get(user=alice, sent_on=TODAY)
    assert (sent.new_flags, sent.open_flags, sent.sent_at) == (1, 2, NOW)


def test_it_gives_a_supervisor_the_teams_flags(sam, alice, bob, enrollment, other_enrollment):
    _flag(enrollment)
    bobs = factories.EnrollmentFactory(case_manager=bob)
    _flag(bobs)
    _flag(other_enrollment)
    body = _body(sam)
    assert "for the teams you supervise: 2 new" in body
    assert f"By case manager: {alice.get_full_name()} 1, {bob.get_full_name()} 1" in body
    assert other_enrollment.case_manager.get_full_name() not in body


def test_it_gives_a_supervisor_their_own_teams_flags_too(team, other_team, alice, enrollment):
    # The scope every page gives a supervisor (accounts.selectors.team_ids_readable_by): the
    # teams they supervise and their own, even when they do not supervise it.
    supervisor = factories.SupervisorFactory(team=team, supervises=[other_team])
    _flag(enrollment)
    assert f"By case manager: {enrollment.case_manager.get_full_name()} 1" in _body(supervisor)


def test_it_does_not_give_a_case_manager_a_colleagues_flags(alice, bob):
    bobs = factories.EnrollmentFactory(case_manager=bob)
    _flag(bobs)
    send_flag_digests(today=TODAY)
    assert _to(alice) == []
    (message,) = _to(bob)
    assert "Initial comprehensive assessment overdue: 1" in message.body


def test_it_leaves_flags_of_closed_enrollments_out(alice):
    closed = factories.EnrollmentFactory(
        case_manager=alice, status="closed", closed_on=TODAY, close_reason="moved"
    )
    _flag(closed)
    send_flag_digests(today=TODAY)
    assert _to(alice) == []


def test_it_skips_staff_without_an_email_address(alice, enrollment):
    alice.email = ""
    alice.save()
    _flag(enrollment)
    send_flag_digests(today=TODAY)
    assert mail.outbox == []
    assert not DigestSent.objects.filter(user=alice).exists()


def test_it_links_to_the_flag_list(alice, enrollment, settings):
    settings.SITE_URL = "https://casework.example.org/"
    _flag(enrollment)
    assert "https://casework.example.org/flags/" in _body(alice)


def test_it_sends_from_the_default_address(alice, enrollment, settings):
    settings.DEFAULT_FROM_EMAIL = "digest@agency.example"
    _flag(enrollment)
    send_flag_digests(today=TODAY)
    (message,) = _to(alice)
    assert message.from_email == "digest@agency.example"


def _team_with(team, case_managers: int) -> None:
    for _ in range(case_managers):
        case_manager = factories.CaseManagerFactory(team=team)
        enrollment = factories.EnrollmentFactory(case_manager=case_manager)
        _flag(enrollment)
        _flag(enrollment, rule=FlagRule.MONITORING_GAP, raised_at=NOW - dt.timedelta(days=4))
        _digest_sent(case_manager)
        _flag(
            factories.EnrollmentFactory(case_manager=case_manager),
            resolved_on=TODAY,
            resolved_at=NOW,
            resolution="Met.",
        )


def _queries(team, case_managers: int) -> int:
    _team_with(team, case_managers)
    DigestSent.objects.filter(sent_on=TODAY).delete()
    with CaptureQueriesContext(connection) as queries:
        send_flag_digests(today=TODAY)
    return len(queries)


def test_it_uses_the_same_number_of_queries_for_2_and_10_people(team, sam):
    at_two = _queries(team, 2)
    sent_at_two = len(mail.outbox)
    assert _queries(team, 8) == at_two
    assert len(mail.outbox) - sent_at_two == 11  # sam and the ten case managers


def test_the_daily_task_sends_the_digests(alice, enrollment):
    _flag(enrollment)
    result = send_flag_digests_daily.delay().get()
    assert result["sent"] == 1
    assert len(_to(alice)) == 1


def test_the_digest_is_scheduled_every_morning_at_half_past_six():
    entry = app.conf.beat_schedule["send-flag-digests-daily"]
    assert entry["task"] == "supervision.tasks.send_flag_digests_daily"
    assert entry["schedule"] == crontab(hour=6, minute=30)


def test_a_flag_resolved_by_the_engine_shows_as_a_change(alice, enrollment):
    _digest_sent(alice)
    flag = _flag(enrollment, raised_at=NOW - dt.timedelta(days=3))
    Flag.objects.filter(pk=flag.pk).update(resolved_on=TODAY, resolved_at=NOW, resolution="Met.")
    body = _body(alice)
    assert "0 new, 0 still open" in body


def test_it_uses_the_same_number_of_queries_for_1_and_4_supervisors(team, other_team, sam):
    at_one = _queries(team, 2)
    for _ in range(3):
        factories.SupervisorFactory(team=team, supervises=[team, other_team])
    assert _queries(team, 0) == at_one
