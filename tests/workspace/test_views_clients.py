import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import AccessLog
from referrals.models import Disclosure
from serviceplans.models import Assessment, ContactGoal, RiskAlert, RiskScreen
from supervision.models import FlagRule, Variance
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_shows_the_client_header_family_and_enrollments(
    client, alice, client_record, enrollment
):
    parent = factories.FamilyMemberFactory(client=client_record, first_name="Maria")
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[client_record.pk]))
    assert response.status_code == 200
    assert client_record.record_number in response.content.decode()
    assert list(response.context["family"]) == [parent]
    assert list(response.context["enrollments"]) == [enrollment]


def test_it_lists_contacts_newest_first(client, alice, enrollment):
    now = timezone.now()
    older = factories.ContactFactory(enrollment=enrollment, occurred_at=now - dt.timedelta(days=5))
    newer = factories.ContactFactory(enrollment=enrollment, occurred_at=now - dt.timedelta(days=1))
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert list(response.context["timeline"]) == [newer, older]


def test_it_paginates_the_timeline(client, alice, enrollment):
    now = timezone.now()
    for day in range(25):
        factories.ContactFactory(
            enrollment=enrollment, occurred_at=now - dt.timedelta(days=day + 1)
        )
    client.force_login(alice)
    url = reverse("workspace:client", args=[enrollment.client_id])
    assert len(client.get(url).context["timeline"]) == 20
    assert len(client.get(url, {"page": 2}).context["timeline"]) == 5


def test_it_writes_one_access_log_row_per_view(client, bob, client_record):
    client.force_login(bob)
    client.get(reverse("workspace:client", args=[client_record.pk]))
    rows = AccessLog.objects.filter(client=client_record)
    assert [(r.user, r.action) for r in rows] == [(bob, AccessLog.Action.VIEWED)]


def test_it_answers_404_to_another_team_and_logs_the_attempt(client, charlie, client_record):
    client.force_login(charlie)
    response = client.get(reverse("workspace:client", args=[client_record.pk]))
    assert response.status_code == 404
    row = AccessLog.objects.get()
    assert (row.user, row.client, row.action) == (charlie, client_record, AccessLog.Action.DENIED)


def test_it_answers_404_for_an_id_that_does_not_exist(client, alice):
    client.force_login(alice)
    assert client.get(reverse("workspace:client", args=[999999])).status_code == 404
    assert AccessLog.objects.get().client is None


def _queries_for_client_page(client, user, client_record) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:client", args=[client_record.pk]))
    assert response.status_code == 200
    return len(queries)


def test_it_uses_the_same_number_of_queries_at_5_and_50_contacts(client, alice, enrollment):
    def add(n):
        for _ in range(n):
            contact = factories.ContactFactory(enrollment=enrollment)
            factories.FamilyMemberFactory(client=enrollment.client)
            contact.addenda.create(author=alice, note="Later: called back.")

    add(5)
    at_five = _queries_for_client_page(client, alice, enrollment.client)
    add(45)
    assert _queries_for_client_page(client, alice, enrollment.client) == at_five


def test_it_shows_a_team_only_its_own_enrollments_and_contacts_of_a_shared_client(
    client, alice, charlie, enrollment
):
    # The same client is also served by charlie's team in another program.
    theirs = factories.EnrollmentFactory(client=enrollment.client, case_manager=charlie)
    factories.ContactFactory(enrollment=theirs, note="Other team's note.")
    ours = factories.ContactFactory(enrollment=enrollment)
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert list(response.context["enrollments"]) == [enrollment]
    assert list(response.context["timeline"]) == [ours]
    assert "Other team's note." not in response.content.decode()


# --- Query budget (issue 6: every page at most 12 queries) -------------------------------------

CLIENT_PAGE_MAX_QUERIES = 12


def _add_contacts(enrollment, n):
    now = timezone.now()
    for minute in range(n):
        contact = factories.ContactFactory(
            enrollment=enrollment, occurred_at=now - dt.timedelta(minutes=minute + 1)
        )
        contact.addenda.create(author=enrollment.case_manager, note="Later: called back.")


def _add_care(enrollment, *, rules):
    """An enrollment's share of every card: flags and variances, a referral, a consent and
    its disclosure, a supervision note, assessments, a risk screen, a draft plan."""
    provider = factories.ProviderFactory()
    for rule in rules:
        factories.FlagFactory(enrollment=enrollment, rule=rule)
        factories.VarianceFactory(enrollment=enrollment, rule=rule)
    consent = factories.ConsentFactory(client=enrollment.client, recipient_provider=provider)
    referral = factories.ReferralFactory(enrollment=enrollment, provider=provider, consent=consent)
    Disclosure.objects.create(
        client=enrollment.client,
        referral=referral,
        consent=consent,
        recipient=provider,
        categories=["identifying"],
        by=enrollment.case_manager,
    )
    factories.SupervisionNoteFactory(enrollment=enrollment)
    factories.AssessmentFactory(enrollment=enrollment, completed=True)
    factories.RiskScreenFactory(enrollment=enrollment)
    if not Assessment.objects.filter(enrollment=enrollment, status="draft").exists():
        factories.AssessmentFactory(enrollment=enrollment)  # one draft at a time
        factories.ServicePlanFactory(enrollment=enrollment)  # one draft plan at a time


@pytest.mark.parametrize("user", ["alice", "sam"])
def test_it_stays_within_12_queries_at_2_and_200_contacts(client, request, user, enrollment):
    viewer = request.getfixturevalue(user)
    _add_contacts(enrollment, 2)
    at_two = _queries_for_client_page(client, viewer, enrollment.client)
    _add_contacts(enrollment, 198)
    at_two_hundred = _queries_for_client_page(client, viewer, enrollment.client)
    assert at_two_hundred == at_two
    assert at_two_hundred <= CLIENT_PAGE_MAX_QUERIES


def test_it_uses_the_same_queries_for_one_and_several_enrollments_flags_and_referrals(
    client, alice, enrollment
):
    _add_contacts(enrollment, 3)
    _add_care(enrollment, rules=[FlagRule.MONITORING_GAP])
    at_one = _queries_for_client_page(client, alice, enrollment.client)
    _add_care(enrollment, rules=[FlagRule.NO_SERVICE_PLAN, FlagRule.CONSENT_EXPIRING])
    for _ in range(3):
        other = factories.EnrollmentFactory(client=enrollment.client, case_manager=alice)
        _add_contacts(other, 3)
        _add_care(other, rules=list(FlagRule)[:4])
    at_several = _queries_for_client_page(client, alice, enrollment.client)
    assert at_several == at_one
    assert at_several <= CLIENT_PAGE_MAX_QUERIES


def test_it_shows_the_cards_of_every_enrollment_from_one_read(client, alice, enrollment):
    second = factories.EnrollmentFactory(client=enrollment.client, case_manager=alice)
    _add_care(enrollment, rules=[FlagRule.MONITORING_GAP])
    _add_care(second, rules=[FlagRule.NO_SERVICE_PLAN])
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    context = response.context
    assert {e.pk for e in context["enrollments"]} == {enrollment.pk, second.pk}
    assert context["writable_enrollments"] == {enrollment.pk, second.pk}
    assert context["can_write"]
    flags = context["compliance"].flags
    assert {(row.flag.enrollment_id, row.flag.rule) for row in flags} == {
        (enrollment.pk, FlagRule.MONITORING_GAP),
        (second.pk, FlagRule.NO_SERVICE_PLAN),
    }
    assert all(row.pending_variance is not None for row in flags)
    assert [v.status for v in context["compliance"].variances] == [Variance.Status.PENDING] * 2
    screens = {i.enrollment.pk: i.latest_screen for i in context["assessments"].enrollments}
    assert {pk: type(s) for pk, s in screens.items()} == {
        enrollment.pk: RiskScreen,
        second.pk: RiskScreen,
    }
    assert {row["enrollment"].pk: row["draft"] is not None for row in context["plan_rows"]} == {
        enrollment.pk: True,
        second.pk: True,
    }
    page = response.content.decode()
    assert "Monitoring gap" in page
    assert "No service plan" in page


def test_it_shows_the_latest_risk_screen_of_an_enrollment(client, alice, enrollment):
    today = timezone.localdate()
    factories.RiskScreenFactory(
        enrollment=enrollment, screened_on=today - dt.timedelta(days=9), suicidal_ideation=True
    )
    latest = factories.RiskScreenFactory(enrollment=enrollment, screened_on=today)
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    (item,) = response.context["assessments"].enrollments
    assert item.latest_screen.pk == latest.pk
    assert item.latest_screen.screened_on == today
    assert not response.context["assessments"].at_risk


def test_it_does_not_let_a_colleague_write_the_client(client, bob, enrollment):
    client.force_login(bob)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert response.context["writable_enrollments"] == set()
    assert not response.context["can_write"]


def test_it_offers_the_teams_supervisor_a_note_and_a_conference(client, sam, enrollment):
    client.force_login(sam)
    page = client.get(reverse("workspace:client", args=[enrollment.client_id])).content.decode()
    assert f'{reverse("supervision:note_create")}?enrollment={enrollment.pk}"' in page
    assert f'{reverse("supervision:conference_create")}?enrollment={enrollment.pk}"' in page


def _unreviewed_positive_screen(enrollment):
    screen = factories.RiskScreenFactory(
        enrollment=enrollment, positive=True, suicidal_ideation=True
    )
    return RiskAlert.objects.create(risk_screen=screen, team_id=enrollment.team_id)


def test_its_note_link_answers_the_risk_screen_still_to_review(client, sam, enrollment):
    alert = _unreviewed_positive_screen(enrollment)
    client.force_login(sam)
    page = client.get(reverse("workspace:client", args=[enrollment.client_id])).content.decode()
    note_url = reverse("supervision:note_create")
    assert f'{note_url}?enrollment={enrollment.pk}&amp;risk_alert={alert.pk}"' in page


def test_its_note_link_opens_the_note_with_the_concerns_pre_filled(client, sam, enrollment):
    alert = _unreviewed_positive_screen(enrollment)
    client.force_login(sam)
    response = client.get(
        reverse("supervision:note_create"), {"enrollment": enrollment.pk, "risk_alert": alert.pk}
    )
    assert response.context["form"].initial["concerns"] == ["suicidal_ideation"]


def test_its_note_link_leaves_a_reviewed_risk_screen_out(client, sam, enrollment):
    alert = _unreviewed_positive_screen(enrollment)
    RiskAlert.objects.filter(pk=alert.pk).update(reviewed_at=timezone.now())
    client.force_login(sam)
    page = client.get(reverse("workspace:client", args=[enrollment.client_id])).content.decode()
    assert f'{reverse("supervision:note_create")}?enrollment={enrollment.pk}"' in page


@pytest.mark.parametrize("reader", ["alice", "ada", "quinn"])
def test_it_offers_no_note_to_anyone_but_the_teams_supervisor(request, client, enrollment, reader):
    client.force_login(request.getfixturevalue(reader))
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert response.context["note_enrollments"] == []
    assert reverse("supervision:note_create") not in response.content.decode()


def test_it_offers_no_note_on_a_closed_enrollment(client, sam, enrollment):
    enrollment.status = enrollment.Status.CLOSED
    enrollment.closed_on = enrollment.application_date
    enrollment.close_reason = "completed"
    enrollment.save()
    client.force_login(sam)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    assert response.context["note_enrollments"] == []


def test_it_lets_the_registering_case_manager_write_a_client_not_yet_enrolled(client, alice):
    registered = factories.ClientFactory(created_by=alice, registered_team=alice.team)
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[registered.pk]))
    assert response.status_code == 200
    assert response.context["can_write"]
    assert list(response.context["enrollments"]) == []


# --- The timeline ----------------------------------------------------------------------------


def test_it_shows_each_contacts_addenda_and_goals(client, alice, enrollment):
    contact = factories.ContactFactory(enrollment=enrollment, note="Met at school.")
    contact.addenda.create(author=alice, note="First addendum.")
    contact.addenda.create(author=alice, note="Second addendum.")
    goal = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=enrollment), client_words="Go to school."
    )
    ContactGoal.objects.create(contact=contact, goal=goal)
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]))
    (shown,) = response.context["timeline"]
    assert [a.note for a in shown.addenda_list] == ["First addendum.", "Second addendum."]
    assert [str(a.author) for a in shown.addenda_list] == [str(alice)] * 2
    assert shown.goal_words == ["Go to school."]
    page = response.content.decode()
    assert "Go to school." in page
    assert f"by {alice}:" in page


def test_it_shows_the_number_of_timeline_pages(client, alice, enrollment):
    _add_contacts(enrollment, 45)
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]), {"page": 2})
    assert response.context["timeline"].number == 2
    assert "Page 2 of 3" in response.content.decode()


@pytest.mark.parametrize("page", ["9", "x", "-1", "0"])
def test_it_answers_a_timeline_page_out_of_range_like_the_paginator(
    client, alice, enrollment, page
):
    _add_contacts(enrollment, 25)
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[enrollment.client_id]), {"page": page})
    timeline = response.context["timeline"]
    # Paginator.get_page: the first page for a page that is not a number, else the last.
    expected = 1 if page == "x" else 2
    assert (timeline.number, len(timeline)) == (expected, 5 if expected == 2 else 20)


def test_it_sends_a_page_of_the_timeline_to_htmx(client, alice, enrollment):
    _add_contacts(enrollment, 25)
    client.force_login(alice)
    response = client.get(
        reverse("workspace:client", args=[enrollment.client_id]),
        {"page": 2},
        headers={"HX-Request": "true"},
    )
    assert [t.name for t in response.templates] == ["workspace/_timeline.html"]
    assert len(response.context["timeline"]) == 5
    assert response.context["writable_enrollments"] == {enrollment.pk}


# --- The cards that arrive after the page (htmx) ---------------------------------------------


@pytest.mark.parametrize("name", ["workspace:releases_card", "workspace:supervision_card"])
def test_the_page_loads_its_later_cards_with_a_link_for_browsers_without_javascript(
    client, alice, client_record, name
):
    client.force_login(alice)
    page = client.get(reverse("workspace:client", args=[client_record.pk])).content.decode()
    url = reverse(name, args=[client_record.pk])
    assert f'hx-get="{url}"' in page
    assert f'href="{url}"' in page


@pytest.mark.parametrize("name", ["workspace:releases_card", "workspace:supervision_card"])
def test_a_later_card_answers_404_to_another_team_and_logs_the_attempt(
    client, charlie, client_record, name
):
    client.force_login(charlie)
    response = client.get(reverse(name, args=[client_record.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 404
    row = AccessLog.objects.get()
    assert (row.user, row.client, row.action) == (charlie, client_record, AccessLog.Action.DENIED)


@pytest.mark.parametrize("name", ["workspace:releases_card", "workspace:supervision_card"])
def test_a_later_card_is_a_logged_read_of_the_client(client, bob, client_record, name):
    client.force_login(bob)
    url = reverse(name, args=[client_record.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    rows = AccessLog.objects.filter(client=client_record)
    assert [(r.user, r.action, r.path) for r in rows] == [(bob, AccessLog.Action.VIEWED, url)]


@pytest.mark.parametrize("name", ["workspace:releases_card", "workspace:supervision_card"])
def test_a_later_card_is_a_whole_page_without_htmx(client, alice, client_record, name):
    client.force_login(alice)
    response = client.get(reverse(name, args=[client_record.pk]))
    assert response.status_code == 200
    assert "workspace/card_page.html" in [t.name for t in response.templates]
    assert reverse("workspace:client", args=[client_record.pk]) in response.content.decode()


def test_the_releases_card_offers_adding_a_consent_to_writers_only(
    client, alice, bob, client_record
):
    url = reverse("workspace:releases_card", args=[client_record.pk])
    create = reverse("referrals:consent_create", args=[client_record.pk])
    client.force_login(alice)
    assert create in client.get(url, headers={"HX-Request": "true"}).content.decode()
    client.force_login(bob)
    assert create not in client.get(url, headers={"HX-Request": "true"}).content.decode()


@pytest.mark.parametrize("name", ["workspace:releases_card", "workspace:supervision_card"])
def test_a_later_card_uses_the_same_queries_for_one_and_several_rows(
    client, alice, enrollment, name
):
    url = reverse(name, args=[enrollment.client_id])
    client.force_login(alice)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
        return len(captured)

    _add_care(enrollment, rules=[])
    at_one = queries()
    for _ in range(4):
        _add_care(enrollment, rules=[])
    assert queries() == at_one
    assert at_one <= 7  # session, user, client, access log, write check, one or two reads
