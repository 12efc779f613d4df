"""The staff activity log page: scope, bad input, its chart's table and its query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import User
from clients.models import Enrollment
from reports.views import activity as views_activity
from tests import factories
from tests.helpers import assert_list_queries_constant
from tests.reports.conftest import local

URL = reverse("reports:activity")


@pytest.fixture
def contact(frozen: None, enrollment):
    return factories.ContactFactory(enrollment=enrollment, occurred_at=local(2026, 4, 2))


def test_it_shows_the_last_three_months_by_month_by_default(client, alice: User, contact) -> None:
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end, report.kind) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 4, 15),
        "month",
    )
    assert len(report.periods) == 3


def test_it_shows_the_rows_and_the_chart_table(client, alice: User, contact) -> None:
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert 'id="activity-table"' in html
    assert 'id="activity-chart-table"' in html
    assert "js/activity_chart.js" in html


def test_each_cell_of_the_table_is_labelled_with_its_header(client, alice: User, contact) -> None:
    client.force_login(alice)
    response = client.get(URL, {"start": "2026-04-01", "end": "2026-04-15", "by": "case_manager"})
    html = response.content.decode()
    assert f'<th scope="row">{alice.get_full_name()}</th>' in html
    assert '<td data-label="From" class="">2026-04-01</td>' in html
    assert '<td data-label="Contacts" class="text-end">1</td>' in html


def test_a_share_with_no_open_caseload_is_a_dash(client, ada: User, frozen) -> None:
    closed = factories.EnrollmentFactory(
        application_date=dt.date(2026, 1, 5), status=Enrollment.Status.CLOSED,
        closed_on=dt.date(2026, 4, 3), close_reason=Enrollment.CloseReason.GOALS_MET,
    )  # fmt: skip
    factories.ContactFactory(enrollment=closed, occurred_at=local(2026, 4, 2))
    client.force_login(ada)
    html = client.get(URL, {"start": "2026-04-01", "end": "2026-04-15"}).content.decode()
    assert '<td data-label="Share of open caseload contacted (%)" class="text-end">—</td>' in html


def test_it_offers_csv_and_xlsx_of_the_same_question(client, alice: User, contact) -> None:
    client.force_login(alice)
    links = client.get(URL, {"by": "team"}).context["export_links"]
    assert links == {"csv": f"{URL}?by=team&format=csv", "xlsx": f"{URL}?by=team&format=xlsx"}


def test_every_role_opens_it(client, contact, sam, ada, quinn, charlie) -> None:
    for user in (sam, ada, quinn, charlie):
        client.force_login(user)
        assert client.get(URL).status_code == 200, user.username


def test_a_case_manager_of_another_team_sees_none_of_alices(client, charlie, contact) -> None:
    client.force_login(charlie)
    assert client.get(URL).context["rows"] == []


def test_an_end_before_the_start_is_a_form_error(client, alice: User, frozen) -> None:
    client.force_login(alice)
    response = client.get(URL, {"start": "2026-04-10", "end": "2026-04-01"})
    assert response.status_code == 400
    assert "before its start" in response.content.decode()


def test_a_date_that_is_not_one_is_a_form_error(client, alice: User, frozen) -> None:
    client.force_login(alice)
    response = client.get(URL, {"start": "2026-02-30"})
    assert response.status_code == 400
    assert response.context["form"].errors["start"]


def test_a_range_of_three_years_is_refused(client, alice: User, frozen) -> None:
    client.force_login(alice)
    response = client.get(URL, {"start": "2023-04-15", "end": "2026-04-15"})
    assert response.status_code == 400
    assert "longer than 3 years" in response.content.decode()


def test_a_range_of_three_years_less_a_day_is_answered(client, alice: User, frozen) -> None:
    client.force_login(alice)
    assert client.get(URL, {"start": "2023-04-16", "end": "2026-04-15"}).status_code == 200


def test_an_unknown_grouping_is_a_form_error(client, alice: User, frozen) -> None:
    client.force_login(alice)
    assert client.get(URL, {"by": "planet"}).status_code == 400


def test_an_unknown_format_is_refused(client, alice: User, frozen) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_it_takes_as_many_queries_for_50_case_managers_as_for_5(client, ada: User, frozen) -> None:
    client.force_login(ada)
    team = factories.TeamFactory()

    def record(n: int) -> None:
        for _ in range(n):
            enrollment = factories.EnrollmentFactory(
                case_manager=factories.CaseManagerFactory(team=team),
                application_date=dt.date(2026, 1, 5),
            )
            factories.ContactFactory(enrollment=enrollment, occurred_at=local(2026, 4, 2))

    assert_list_queries_constant(
        client,
        URL + "?start=2026-04-01&end=2026-04-15",
        record,
        rows_of=lambda response: len(response.context["rows"]),
    )


def test_the_table_shows_a_page_of_rows_and_counts_them_all(
    client, ada: User, frozen, monkeypatch
) -> None:
    monkeypatch.setattr(views_activity, "ROWS_PER_PAGE", 2)
    for _ in range(3):
        enrollment = factories.EnrollmentFactory(application_date=dt.date(2026, 1, 5))
        factories.ContactFactory(enrollment=enrollment, occurred_at=local(2026, 4, 2))
    client.force_login(ada)
    query = {"start": "2026-04-01", "end": "2026-04-15"}
    first = client.get(URL, query)
    second = client.get(URL, {**query, "page": 2})
    rows = [r.content.decode().count('<td data-label="Contacts"') for r in (first, second)]
    assert rows == [2, 1]
    assert "Rows 1\u20132 of 3" in first.content.decode()
    assert sum(counts["phone"] for _, counts in first.context["report"].totals_by_period()) == 3


def test_the_navigation_leads_every_role_to_reports(client, alice, sam, ada, quinn, frozen) -> None:
    for user in (alice, sam, ada, quinn):
        client.force_login(user)
        assert f'id="nav-reports" href="{URL}"' in client.get(URL).content.decode(), user.username


def test_a_case_managers_name_is_escaped_in_the_table(client, ada: User, frozen) -> None:
    author = factories.CaseManagerFactory(first_name="<b>Bo</b>", last_name="O'Hara & Co")
    enrollment = factories.EnrollmentFactory(
        case_manager=author, application_date=dt.date(2026, 1, 5)
    )
    factories.ContactFactory(enrollment=enrollment, author=author, occurred_at=local(2026, 4, 2))
    client.force_login(ada)
    html = client.get(URL, {"start": "2026-04-01", "end": "2026-04-15"}).content.decode()
    assert "<b>Bo</b>" not in html
    assert "&lt;b&gt;Bo&lt;/b&gt; O&#x27;Hara &amp; Co" in html
