"""The variance pages: asking (from a flag or a standard), the variance page, the
administrators' queue with its filters and per-row decisions, the decision page, the teams'
variance list, and the compliance card of the client page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clients.models import AccessLog, Enrollment
from supervision import rules
from supervision.models import Flag, FlagRule, Variance
from tests import factories
from tests.helpers import in_days

pytestmark = pytest.mark.django_db

INITIAL = FlagRule.INITIAL_ASSESSMENT_OVERDUE
QUEUE_URL = reverse("supervision:variance_queue")
LIST_URL = reverse("supervision:variance_list")


@pytest.fixture
def pending(overdue: Enrollment, flag: Flag) -> Variance:
    return factories.VarianceFactory(enrollment=overdue, flag=flag, proposed_due_on=in_days(14))


def _request_url(enrollment: Enrollment, flag: Flag | None = None) -> str:
    url = reverse("supervision:variance_request", args=[enrollment.pk])
    return f"{url}?flag={flag.pk}" if flag else url


def _decide_url(variance: Variance) -> str:
    return reverse("supervision:variance_decide", args=[variance.pk])


def _ask(**overrides: Any) -> dict[str, Any]:
    data = {
        "flag": "",
        "rule": INITIAL,
        "reason": "The family was out of state for three weeks.",
        "proposed_due_on": in_days(14).isoformat(),
    }
    return {**data, **overrides}


def _form_errors(response: Any) -> dict[str, Any]:
    return response.context["form"].errors


# --- Asking -----------------------------------------------------------------------------------


def test_it_prefills_the_standard_of_the_flag(client: WebClient, alice: User, flag: Flag) -> None:
    client.force_login(alice)
    response = client.get(_request_url(flag.enrollment, flag))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["flag"].value(), form["rule"].value()) == (flag.pk, INITIAL)
    page = response.content.decode()
    assert "Initial comprehensive assessment overdue" in page
    assert "10 days overdue" in page


def test_it_ignores_a_flag_of_another_enrollment(
    client: WebClient, alice: User, enrollment: Enrollment, flag: Flag
) -> None:
    client.force_login(alice)
    response = client.get(_request_url(enrollment, flag))
    assert response.context["flag"] is None


def test_it_records_a_request_against_the_flag(client: WebClient, alice: User, flag: Flag) -> None:
    client.force_login(alice)
    response = client.post(_request_url(flag.enrollment), _ask(flag=flag.pk, rule=""))
    variance = Variance.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("supervision:variance_detail", args=[variance.pk])
    assert (variance.flag, variance.rule, variance.requested_by) == (flag, INITIAL, alice)


def test_it_records_a_request_against_a_standard(
    client: WebClient, alice: User, enrollment: Enrollment
) -> None:
    client.force_login(alice)
    client.post(_request_url(enrollment), _ask(rule=FlagRule.MONITORING_GAP))
    assert Variance.objects.get().rule == FlagRule.MONITORING_GAP


def test_it_refuses_a_proposed_date_in_the_past_on_the_form(
    client: WebClient, alice: User, enrollment: Enrollment
) -> None:
    client.force_login(alice)
    response = client.post(_request_url(enrollment), _ask(proposed_due_on=in_days(-3).isoformat()))
    assert response.status_code == 400
    assert _form_errors(response)["proposed_due_on"] == [
        "The proposed new due date must be after today."
    ]
    assert not Variance.objects.exists()


def test_it_refuses_a_date_that_is_not_a_date(
    client: WebClient, alice: User, enrollment: Enrollment
) -> None:
    client.force_login(alice)
    response = client.post(_request_url(enrollment), _ask(proposed_due_on="next week"))
    assert response.status_code == 400
    assert "proposed_due_on" in _form_errors(response)


def test_it_refuses_a_request_without_a_reason(
    client: WebClient, alice: User, enrollment: Enrollment
) -> None:
    client.force_login(alice)
    response = client.post(_request_url(enrollment), _ask(reason=""))
    assert response.status_code == 400
    assert _form_errors(response)["reason"] == ["Say why the standard cannot be met."]


def test_it_refuses_a_second_pending_request_on_the_form(
    client: WebClient, alice: User, pending: Variance
) -> None:
    client.force_login(alice)
    response = client.post(_request_url(pending.enrollment), _ask())
    assert response.status_code == 400
    assert _form_errors(response)["rule"] == [
        "A variance of this standard is already pending for this enrollment."
    ]
    assert Variance.objects.count() == 1


def test_a_teammate_may_not_ask_for_alices_enrollment(
    client: WebClient, bob: User, enrollment: Enrollment
) -> None:
    client.force_login(bob)
    response = client.post(_request_url(enrollment), _ask())
    assert response.status_code == 403
    assert not Variance.objects.exists()


# --- Reading ----------------------------------------------------------------------------------


def test_the_variance_page_shows_the_request_and_logs_the_read(
    client: WebClient, bob: User, pending: Variance
) -> None:
    client.force_login(bob)
    response = client.get(reverse("supervision:variance_detail", args=[pending.pk]))
    page = response.content.decode()
    assert "The family was out of state for three weeks." in page
    assert "Pending" in page
    assert response.context["can_decide"] is False
    assert AccessLog.objects.filter(
        user=bob, client=pending.enrollment.client, action=AccessLog.Action.VIEWED
    ).exists()


def test_the_variance_page_offers_the_decision_to_an_administrator(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    response = client.get(reverse("supervision:variance_detail", args=[pending.pk]))
    assert response.context["can_decide"] is True
    assert 'id="variance-decide"' in response.content.decode()


def test_an_outsider_is_told_nothing_and_logged(
    client: WebClient, charlie: User, pending: Variance
) -> None:
    client.force_login(charlie)
    response = client.get(reverse("supervision:variance_detail", args=[pending.pk]))
    assert response.status_code == 404
    assert AccessLog.objects.filter(user=charlie, action=AccessLog.Action.DENIED).exists()


# --- The queue --------------------------------------------------------------------------------


def _queue_rows(response: Any) -> list[Variance]:
    return [row.variance for row in response.context["rows"]]


def test_the_queue_lists_pending_variances_oldest_first(
    client: WebClient, ada: User, alice: User
) -> None:
    older = factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    newer = factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    Variance.objects.filter(pk=older.pk).update(requested_at=timezone.now() - dt.timedelta(days=3))
    factories.VarianceFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice),
        status=Variance.Status.DENIED,
        decided_by=ada,
        decided_at=timezone.now(),
    )
    client.force_login(ada)
    response = client.get(QUEUE_URL)
    assert _queue_rows(response) == [older, newer]


def test_a_queue_row_says_what_the_variance_is_about(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    response = client.get(QUEUE_URL)
    (row,) = response.context["rows"]
    assert (row.due_on, row.days_overdue) == (in_days(-10), 10)
    page = response.content.decode()
    enrollment = pending.enrollment
    for shown in (
        enrollment.client.display_name,
        enrollment.program.name,
        enrollment.team.name,
        enrollment.team.region.name,
        "Initial assessment overdue",
        "10 days overdue",
        "The family was out of state for three weeks.",
        in_days(14).isoformat(),
    ):
        assert shown in page


def test_a_variance_asked_against_a_standard_shows_its_open_flag(
    client: WebClient, ada: User, overdue: Enrollment, flag: Flag
) -> None:
    factories.VarianceFactory(enrollment=overdue, flag=None)
    client.force_login(ada)
    (row,) = client.get(QUEUE_URL).context["rows"]
    assert row.due_on == flag.due_on


def test_the_queue_filters_by_region_and_program(
    client: WebClient, ada: User, alice: User, charlie: User
) -> None:
    ours = factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    theirs = factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=charlie))
    client.force_login(ada)
    by_region = client.get(QUEUE_URL, {"region": charlie.team.region_id})
    assert _queue_rows(by_region) == [theirs]
    assert f'action="{QUEUE_URL}"' in by_region.content.decode()
    by_program = client.get(QUEUE_URL, {"program": ours.enrollment.program_id})
    assert _queue_rows(by_program) == [ours]


def test_the_queue_shows_decided_variances_when_asked(
    client: WebClient, ada: User, pending: Variance, alice: User
) -> None:
    approved = factories.VarianceFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice),
        status=Variance.Status.APPROVED,
        decided_by=ada,
        decided_at=timezone.now(),
        approved_due_on=in_days(5),
    )
    client.force_login(ada)
    assert _queue_rows(client.get(QUEUE_URL, {"status": "approved"})) == [approved]
    assert set(_queue_rows(client.get(QUEUE_URL, {"status": ""}))) == {pending, approved}


def _queries_for_the_queue(client: WebClient, user: User) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE_URL)
    assert response.status_code == 200
    return len(queries)


def test_the_queue_uses_the_same_number_of_queries_at_2_and_10_variances(
    client: WebClient, ada: User, alice: User, charlie: User
) -> None:
    def add(count: int) -> None:
        for i in range(count):
            enrollment = factories.EnrollmentFactory(
                case_manager=alice if i % 2 else charlie, application_date=in_days(-40)
            )
            flag = factories.FlagFactory(enrollment=enrollment)
            factories.VarianceFactory(enrollment=enrollment, flag=flag if i % 3 else None)

    add(2)
    at_two = _queries_for_the_queue(client, ada)
    add(8)
    assert _queries_for_the_queue(client, ada) == at_two


# --- Deciding ---------------------------------------------------------------------------------


def _decide(**overrides: Any) -> dict[str, Any]:
    """A decision as the confirmation page posts it (``confirmed``): it is signed."""
    return {
        "approve": "approve",
        "approved_due_on": "",
        "note": "",
        "confirmed": "yes",
        **overrides,
    }


def _unconfirmed(**overrides: Any) -> dict[str, Any]:
    """A decision as the queue's row or the decision page posts it, before confirmation."""
    return {"approve": "approve", "approved_due_on": "", "note": "", **overrides}


def test_an_administrator_approves_from_the_queue_and_goes_back_to_it(
    client: WebClient, ada: User, pending: Variance, flag: Flag
) -> None:
    client.force_login(ada)
    back = f"{QUEUE_URL}?region={pending.enrollment.team.region_id}"
    response = client.post(_decide_url(pending), _decide(next=back))
    assert (response.status_code, response.url) == (302, back)
    pending.refresh_from_db()
    assert (pending.status, pending.approved_due_on) == ("approved", in_days(14))
    flag.refresh_from_db()
    assert flag.resolution == f"Variance approved until {in_days(14):%Y-%m-%d}."


def test_the_decision_is_in_history_with_the_request(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    client.post(_decide_url(pending), _decide())
    event_model = Variance.pgh_event_model  # type: ignore[attr-defined]
    event = event_model.objects.filter(pgh_obj=pending).order_by("pgh_id").last()
    assert event.status == "approved"
    assert event.pgh_context.metadata["user"] == ada.pk
    assert event.pgh_context.metadata["url"] == _decide_url(pending)


def test_it_refuses_to_go_back_to_another_site(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    response = client.post(_decide_url(pending), _decide(next="https://example.com/"))
    assert response.url == QUEUE_URL


def test_an_administrator_approves_until_another_date(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    client.post(_decide_url(pending), _decide(approved_due_on=in_days(30).isoformat()))
    pending.refresh_from_db()
    assert pending.approved_due_on == in_days(30)


def test_it_refuses_an_approval_date_in_the_past(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    response = client.post(_decide_url(pending), _decide(approved_due_on=in_days(-1).isoformat()))
    assert response.status_code == 400
    assert _form_errors(response)["approved_due_on"] == [
        "The approved due date cannot be in the past."
    ]
    pending.refresh_from_db()
    assert pending.status == Variance.Status.PENDING


def test_a_denial_needs_a_note_on_the_form(client: WebClient, ada: User, pending: Variance) -> None:
    client.force_login(ada)
    response = client.post(_decide_url(pending), _decide(approve="deny"))
    assert response.status_code == 400
    assert _form_errors(response)["note"] == ["Say why the variance is denied."]


def test_an_administrator_denies_with_a_note(
    client: WebClient, ada: User, pending: Variance, flag: Flag
) -> None:
    client.force_login(ada)
    client.post(_decide_url(pending), _decide(approve="deny", note="Assess this week."))
    pending.refresh_from_db()
    assert (pending.status, pending.decision_note) == ("denied", "Assess this week.")
    flag.refresh_from_db()
    assert flag.is_open


def test_a_decision_needs_a_button(client: WebClient, ada: User, pending: Variance) -> None:
    client.force_login(ada)
    response = client.post(_decide_url(pending), {"note": "?"})
    assert response.status_code == 400
    assert "approve" in _form_errors(response)


def test_a_supervisor_may_not_decide(client: WebClient, sam: User, pending: Variance) -> None:
    client.force_login(sam)
    response = client.post(_decide_url(pending), _decide())
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Variance.Status.PENDING


def test_a_decided_variance_is_not_decided_again(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    client.post(_decide_url(pending), _decide())
    response = client.post(_decide_url(pending), _decide(approve="deny", note="No."))
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == Variance.Status.APPROVED


def test_a_decision_not_confirmed_is_not_signed(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    client.post(_decide_url(pending), _unconfirmed())
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Variance.Status.PENDING, None)


def test_a_decision_not_confirmed_asks_for_confirmation(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    until = in_days(20)
    response = client.post(_decide_url(pending), _unconfirmed(approved_due_on=until.isoformat()))
    assert response.status_code == 200
    assert response.templates[0].name == "supervision/variance_decide_confirm.html"
    html = response.content.decode()
    assert f'<strong id="until">{until:%Y-%m-%d}</strong>' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html


def test_the_confirmation_keeps_the_way_back_to_the_queue(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    back = f"{QUEUE_URL}?region={pending.enrollment.team.region_id}"
    response = client.post(_decide_url(pending), _unconfirmed(next=back))
    assert f'<input type="hidden" name="next" value="{back}">' in response.content.decode()


def test_a_date_in_the_past_is_refused_before_confirmation(
    frozen_day: None, client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    response = client.post(
        _decide_url(pending), _unconfirmed(approved_due_on=in_days(-1).isoformat())
    )
    assert response.status_code == 400
    assert _form_errors(response)["approved_due_on"] == [
        "The approved due date cannot be in the past."
    ]


@pytest.fixture
def frozen_day() -> Iterator[None]:
    """A fixed afternoon in the agency's time zone, so the day boundaries do not move under
    the test (asked for before the records, which are then made on that day)."""
    with time_machine.travel(dt.datetime(2026, 12, 4, 21, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def thirty_days_at_most(monkeypatch: pytest.MonkeyPatch, pending: Variance) -> None:
    """The pending variance's rule allows an approval of at most 30 days."""
    rule = rules.rule_for_code(pending.rule)
    monkeypatch.setitem(
        rules._registry, pending.rule, dataclasses.replace(rule, variance_max_days=30)
    )


def test_a_date_past_the_rules_maximum_is_refused_with_a_message(
    frozen_day: None, client: WebClient, ada: User, pending: Variance, thirty_days_at_most: None
) -> None:
    client.force_login(ada)
    response = client.post(_decide_url(pending), _decide(approved_due_on=in_days(31).isoformat()))
    assert response.status_code == 400
    assert _form_errors(response)["approved_due_on"] == [
        f"A variance to this standard runs at most until {in_days(30):%Y-%m-%d}."
    ]
    pending.refresh_from_db()
    assert pending.status == Variance.Status.PENDING


def test_a_date_on_the_rules_maximum_is_approved(
    frozen_day: None, client: WebClient, ada: User, pending: Variance, thirty_days_at_most: None
) -> None:
    client.force_login(ada)
    client.post(_decide_url(pending), _decide(approved_due_on=in_days(30).isoformat()))
    pending.refresh_from_db()
    assert pending.approved_due_on == in_days(30)


def test_the_queue_row_offers_the_date_it_runs_until_within_the_rules_maximum(
    frozen_day: None, client: WebClient, ada: User, pending: Variance, thirty_days_at_most: None
) -> None:
    client.force_login(ada)
    html = client.get(QUEUE_URL).content.decode()
    assert (
        f'id="until-{pending.pk}" value="{pending.proposed_due_on:%Y-%m-%d}" '
        f'min="{in_days(0):%Y-%m-%d}" max="{in_days(30):%Y-%m-%d}"'
    ) in html


def test_the_decision_page_of_a_decided_variance_sends_to_its_page(
    client: WebClient, ada: User, pending: Variance
) -> None:
    client.force_login(ada)
    client.post(_decide_url(pending), _decide())
    response = client.get(_decide_url(pending))
    assert response.url == reverse("supervision:variance_detail", args=[pending.pk])


# --- The teams' list --------------------------------------------------------------------------


def test_a_supervisor_sees_the_variances_of_the_team(
    client: WebClient, sam: User, pending: Variance, charlie: User
) -> None:
    factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=charlie))
    client.force_login(sam)
    response = client.get(LIST_URL)
    assert [row.variance for row in response.context["rows"]] == [pending]


def test_the_list_filters_by_status(
    client: WebClient, sam: User, ada: User, pending: Variance
) -> None:
    client.force_login(sam)
    assert list(client.get(LIST_URL, {"status": "approved"}).context["rows"]) == []


def test_the_list_uses_the_same_number_of_queries_at_2_and_10_variances(
    client: WebClient, sam: User, alice: User
) -> None:
    def queries() -> int:
        client.force_login(sam)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    for _ in range(2):
        factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    at_two = queries()
    for _ in range(8):
        factories.VarianceFactory(enrollment=factories.EnrollmentFactory(case_manager=alice))
    assert queries() == at_two


# --- The client page's compliance card --------------------------------------------------------


def _client_page(client: WebClient, user: User, enrollment: Enrollment) -> Any:
    client.force_login(user)
    return client.get(reverse("workspace:client", args=[enrollment.client_id]))


def test_the_client_page_explains_each_open_flag(
    client: WebClient, alice: User, flag: Flag
) -> None:
    response = _client_page(client, alice, flag.enrollment)
    rows = {row.flag.rule: row for row in response.context["compliance"].flags}
    explained = rows[INITIAL].explained
    assert (explained["due_on"], explained["days_overdue"]) == (in_days(-10), 10)
    page = response.content.decode()
    assert "Idaho CMH clinical case management standard 7" in page
    assert "Complete the comprehensive assessment." in page
    assert _request_url(flag.enrollment, flag).replace("&", "&amp;") in page


def test_the_client_page_offers_no_variance_to_a_reader(
    client: WebClient, bob: User, flag: Flag
) -> None:
    response = _client_page(client, bob, flag.enrollment)
    assert not any(row.can_request_variance for row in response.context["compliance"].flags)
    assert "Request variance" not in response.content.decode()


def test_the_client_page_shows_a_pending_variance_instead_of_the_link(
    client: WebClient, alice: User, pending: Variance
) -> None:
    response = _client_page(client, alice, pending.enrollment)
    rows = {row.flag.rule: row for row in response.context["compliance"].flags}
    assert rows[INITIAL].pending_variance == pending
    assert not rows[INITIAL].can_request_variance
    assert "Variance pending" in response.content.decode()


def test_the_client_page_lists_the_variances_with_their_status(
    client: WebClient, alice: User, ada: User, overdue: Enrollment
) -> None:
    denied = factories.VarianceFactory(
        enrollment=overdue,
        status=Variance.Status.DENIED,
        decided_by=ada,
        decided_at=timezone.now(),
        decision_note="No.",
    )
    response = _client_page(client, alice, overdue)
    assert response.context["compliance"].variances == [denied]
    assert "Denied" in response.content.decode()


def test_the_client_page_uses_the_same_number_of_queries_at_2_and_10_flags(
    client: WebClient, alice: User, enrollment: Enrollment
) -> None:
    rules = list(FlagRule)

    def add(start: int, stop: int) -> None:
        for i in range(start, stop):
            # Up to eight rules per enrollment: the rest on more enrollments of the client.
            target = enrollment
            if i >= len(rules):
                target = factories.EnrollmentFactory(client=enrollment.client, case_manager=alice)
            flag = factories.FlagFactory(enrollment=target, rule=rules[i % len(rules)])
            if i % 2:
                factories.VarianceFactory(enrollment=target, rule=flag.rule, flag=flag)

    def queries() -> int:
        client.force_login(alice)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
        assert response.status_code == 200
        return len(captured)

    add(0, 2)
    at_two = queries()
    add(2, 10)
    assert queries() == at_two
