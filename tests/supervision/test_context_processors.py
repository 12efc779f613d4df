"""The navigation bar: the viewer's count of open flags (pending variances for
administrators), looked up lazily in one query, and the Dashboard item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from supervision.context_processors import NavigationFlags
from supervision.models import FlagRule
from tests import factories

pytestmark = pytest.mark.django_db


def _nav(user) -> NavigationFlags:
    request = RequestFactory().get("/")
    request.user = user
    return NavigationFlags(request)


def _resolved(flag):
    flag.resolved_on = dt.date.today()
    flag.resolved_at = dt.datetime.now(tz=dt.UTC)
    flag.resolution = "Met."
    flag.save()
    return flag


def test_it_counts_a_case_managers_open_flags_on_their_own_caseload(alice, bob, enrollment):
    factories.FlagFactory(enrollment=enrollment)
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=bob))
    assert _nav(alice).count == 2


def test_it_leaves_resolved_flags_out_of_the_count(alice, enrollment):
    _resolved(factories.FlagFactory(enrollment=enrollment))
    assert _nav(alice).count == 0


def test_it_leaves_flags_of_closed_enrollments_out_of_the_count(alice):
    closed = factories.EnrollmentFactory(
        case_manager=alice, status="closed", closed_on=dt.date.today(), close_reason="moved"
    )
    factories.FlagFactory(enrollment=closed)
    assert _nav(alice).count == 0


def test_it_counts_a_supervisors_open_flags_of_the_teams_they_supervise(
    sam, alice, bob, enrollment, other_enrollment
):
    factories.FlagFactory(enrollment=enrollment)
    factories.FlagFactory(enrollment=factories.EnrollmentFactory(case_manager=bob))
    factories.FlagFactory(enrollment=other_enrollment)
    assert _nav(sam).count == 2


def test_it_counts_pending_variances_for_an_administrator(ada, enrollment, other_enrollment):
    factories.VarianceFactory(enrollment=enrollment)
    factories.VarianceFactory(enrollment=other_enrollment)
    nav = _nav(ada)
    assert (nav.count, nav.label, nav.url) == (
        2,
        "Pending variances",
        reverse("supervision:variance_queue"),
    )


def test_it_links_the_flag_count_to_the_flag_list(alice):
    assert _nav(alice).url == reverse("supervision:flag_list")


def test_it_shows_no_count_to_a_qa_reviewer(quinn):
    assert not _nav(quinn).show


def test_it_asks_nothing_of_the_database_for_an_anonymous_user(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not _nav(AnonymousUser()).show


def test_it_asks_nothing_until_the_count_is_read(alice, django_assert_num_queries):
    with django_assert_num_queries(0):
        _nav(alice)


def test_it_asks_once_however_often_the_template_reads_it(alice, django_assert_num_queries):
    nav = _nav(alice)
    with django_assert_num_queries(1):
        assert (nav.show, nav.count, nav.label, nav.count) == (True, 0, "Flags", 0)


def test_it_shows_the_count_in_the_navigation_bar(client, alice, enrollment):
    factories.FlagFactory(enrollment=enrollment)
    client.force_login(alice)
    html = client.get(reverse("workspace:caseload")).content.decode()
    nav = html[html.index('id="nav-count"') :]
    assert '<span class="badge rounded-pill text-bg-danger">1</span>' in nav[: nav.index("</a>")]


def test_it_leaves_the_count_out_of_htmx_partials(client, alice, enrollment):
    factories.FlagFactory(enrollment=enrollment)
    client.force_login(alice)
    response = client.get(reverse("workspace:caseload"), headers={"HX-Request": "true"})
    assert b'id="nav-count"' not in response.content


@pytest.mark.parametrize(
    ("role", "shown"), [("alice", False), ("sam", True), ("ada", True), ("quinn", True)]
)
def test_it_offers_the_dashboard_to_supervisors_administrators_and_qa(client, request, role, shown):
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("referrals:referral_list")).content.decode()
    assert (f'href="{reverse("workspace:dashboard")}"' in html) is shown
