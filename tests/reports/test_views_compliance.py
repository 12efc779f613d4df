"""The compliance-rate page and its drill-down: defaults, bad input, scope, links, exports and
the query count."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from clients.models import AccessLog, Enrollment
from reports import compliance_rates as rates
from supervision.models import FlagRule
from tests import factories
from tests.helpers import assert_list_queries_constant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

URL = reverse("reports:compliance")
TREND = reverse("reports:compliance_trend")
DRILL = reverse("reports:compliance_enrollments")
INITIAL = FlagRule.INITIAL_ASSESSMENT_OVERDUE
LATE = dt.date(2026, 1, 5)  # applied then: the initial assessment overdue since 5 February


@pytest.fixture
def late(alice: User) -> Enrollment:
    return factories.EnrollmentFactory(case_manager=alice, application_date=LATE)


def _drill(**params: str) -> dict[str, str]:
    query = {"as_of": "2026-04-15", "by": "team", "standard": INITIAL, "status": "unmet"}
    query.update(params)
    return query


# --- The report -------------------------------------------------------------------------------


def test_it_reports_as_of_today_per_team_by_default(client, alice: User, late) -> None:
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.as_of, report.by) == (dt.date(2026, 4, 15), "team")
    assert report.total.figures[INITIAL].unmet == 1


def test_each_figure_links_to_the_enrollments_behind_it(client, alice: User, late) -> None:
    client.force_login(alice)
    html = client.get(URL, {"as_of": "2026-04-15", "by": "team"}).content.decode()
    unmet = f"{DRILL}?as_of=2026-04-15&amp;by=team&amp;standard={INITIAL}&amp;group={late.team_id}"
    assert f'<a class="small" href="{unmet}&amp;status=unmet">1 not met</a>' in html
    assert 'aria-label="Initial' in html and ": 0%; 0 met of 1" in html


def test_it_reports_as_of_the_date_asked(client, alice: User, late) -> None:
    client.force_login(alice)
    report = client.get(URL, {"as_of": "2026-02-04"}).context["report"]
    assert report.total.figures[INITIAL].met == 1


def test_it_shows_the_table_and_asks_for_each_month_end_of_the_trend(
    client, alice: User, late
) -> None:
    client.force_login(alice)
    html = client.get(URL, {"as_of": "2026-04-15", "by": "program"}).content.decode()
    assert 'id="compliance-table"' in html
    assert html.count(f'hx-get="{TREND}?as_of=') == 12
    assert f'hx-get="{TREND}?as_of=2025-04-30"' in html
    assert f'hx-get="{TREND}?as_of=2026-03-31"' in html
    assert "js/compliance_chart.js" in html


def test_a_month_end_of_the_trend_is_a_row_of_its_rates(client, alice: User, late) -> None:
    client.force_login(alice)
    html = client.get(TREND, {"as_of": "2026-03-31"}).content.decode()
    assert html.count('<th scope="row">2026-03-31</th>') == 1
    assert html.count('<td class="text-end">') == len(rates.STANDARDS)


def test_a_month_end_carries_its_rates_as_numbers_for_the_chart(client, alice: User, late) -> None:
    client.force_login(alice)
    html = client.get(TREND, {"as_of": "2026-03-31"}).content.decode()
    points = json.loads(unescape(re.search(r'data-points="([^"]*)"', html).group(1)))
    assert len(points) == len(rates.STANDARDS)
    assert points[rates.STANDARDS.index(INITIAL)] == 0


def test_the_trend_of_a_date_that_is_not_one_answers_400(client, alice: User, late) -> None:
    client.force_login(alice)
    assert client.get(TREND, {"as_of": "2026-02-31"}).status_code == 400


def test_it_links_a_figure_to_the_enrollments_behind_it(client, alice: User, late) -> None:
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert f"{DRILL}?as_of=2026-04-15&amp;by=team&amp;standard={INITIAL}&amp;status=unmet" in html


def test_it_refuses_a_bad_date_with_the_reason(client, alice: User) -> None:
    client.force_login(alice)
    response = client.get(URL, {"as_of": "31/04/2026"})
    assert response.status_code == 400
    assert "as_of" in response.context["form"].errors


def test_it_refuses_a_date_after_today(client, alice: User) -> None:
    client.force_login(alice)
    response = client.get(URL, {"as_of": "2026-04-16"})
    assert response.status_code == 400
    assert "after today" in response.content.decode()


def test_it_refuses_an_unknown_grouping(client, alice: User) -> None:
    client.force_login(alice)
    response = client.get(URL, {"by": "planet"})
    assert response.status_code == 400
    assert "by" in response.context["form"].errors


def test_it_refuses_an_unknown_format(client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_every_role_opens_it(client, late, sam: User, ada: User, quinn: User, charlie) -> None:
    for user in (sam, ada, quinn, charlie):
        client.force_login(user)
        assert client.get(URL).status_code == 200, user.username


def test_a_case_manager_of_another_team_counts_none_of_alices(client, charlie, late) -> None:
    client.force_login(charlie)
    assert client.get(URL).context["report"].groups == []


def test_it_exports_the_rates_as_csv(client, ada: User, late) -> None:
    client.force_login(ada)
    response = client.get(URL, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Team", "Open enrollments", "Initial assessment on time: met"]
    assert rows[-1][:4] == ["All", "1", "0", "1"]
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORTED, row_count=2).exists()


def test_its_queries_do_not_grow_with_the_groups(client, ada: User) -> None:
    def record(count: int) -> None:
        for _ in range(count):
            factories.EnrollmentFactory(application_date=LATE)

    client.force_login(ada)
    assert_list_queries_constant(
        client, URL, record, rows_of=lambda r: len(r.context["report"].groups)
    )


def test_a_month_ends_queries_do_not_grow_with_the_enrollments(client, ada: User) -> None:
    def record(count: int) -> None:
        for _ in range(count):
            factories.EnrollmentFactory(application_date=LATE)

    def open_then(response: object) -> int:
        return rates.totals_on(viewer=ada, as_of=dt.date(2026, 3, 31))[INITIAL].open

    client.force_login(ada)
    assert_list_queries_constant(client, f"{TREND}?as_of=2026-03-31", record, rows_of=open_then)


# --- The drill-down ---------------------------------------------------------------------------


def test_the_drill_down_lists_the_unmet_enrollments(client, alice: User, late) -> None:
    factories.EnrollmentFactory(case_manager=alice, application_date=dt.date(2026, 4, 1))
    client.force_login(alice)
    response = client.get(DRILL, _drill())
    assert response.status_code == 200
    page = response.context["page"]
    assert [e.pk for e in page] == [late.pk]
    assert page[0].due_on == dt.date(2026, 2, 4)


def test_the_drill_down_lists_the_met_enrollments(client, alice: User, late) -> None:
    on_time = factories.EnrollmentFactory(case_manager=alice, application_date=dt.date(2026, 4, 1))
    client.force_login(alice)
    page = client.get(DRILL, _drill(status="met")).context["page"]
    assert [e.pk for e in page] == [on_time.pk]


def test_the_drill_down_lists_the_excused_with_their_variance(client, alice, late) -> None:
    factories.VarianceFactory(
        enrollment=late,
        rule=INITIAL,
        status="approved",
        decided_by=factories.AdministratorFactory(),
        decided_at=dt.datetime(2026, 3, 1, 18, tzinfo=dt.UTC),
        approved_due_on=dt.date(2026, 5, 1),
    )
    client.force_login(alice)
    page = client.get(DRILL, _drill(status="excused")).context["page"]
    assert [(e.pk, e.variance_until) for e in page] == [(late.pk, dt.date(2026, 5, 1))]


def test_the_drill_down_keeps_to_the_group(client, ada: User, late, charlie) -> None:
    factories.EnrollmentFactory(case_manager=charlie, application_date=LATE)
    client.force_login(ada)
    page = client.get(DRILL, _drill(group=str(late.team_id))).context["page"]
    assert [e.pk for e in page] == [late.pk]


def test_the_drill_down_shows_no_enrollment_out_of_scope(client, charlie: User, late) -> None:
    client.force_login(charlie)
    page = client.get(DRILL, _drill(group=str(late.team_id))).context["page"]
    assert list(page) == []


def test_the_drill_down_refuses_an_unknown_standard(client, alice: User) -> None:
    client.force_login(alice)
    response = client.get(DRILL, _drill(standard="consent_expiring"))
    assert response.status_code == 400
    assert "standard" in response.context["form"].errors


def test_the_drill_down_refuses_an_unknown_status(client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(DRILL, _drill(status="maybe")).status_code == 400


def test_the_drill_down_exports_as_xlsx_with_the_part2_notice(client, alice, late) -> None:
    late.program.is_part2 = True
    late.program.save(update_fields=["is_part2"])
    client.force_login(alice)
    response = client.get(DRILL, {**_drill(), "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    data = workbook.worksheets[-1]
    rows = list(data.iter_rows(values_only=True))
    assert rows[0][:2] == ("Client", "Record number")
    assert rows[1][1] == late.client.record_number
    assert "42 CFR 2.32" in workbook.sheetnames[0]


def test_the_drill_down_queries_do_not_grow_with_the_rows(client, alice: User) -> None:
    def record(count: int) -> None:
        for _ in range(count):
            factories.EnrollmentFactory(case_manager=alice, application_date=LATE)

    client.force_login(alice)
    assert_list_queries_constant(
        client,
        f"{DRILL}?as_of=2026-04-15&by=team&standard={INITIAL}&status=unmet",
        record,
        rows_of=lambda r: r.context["page"].paginator.count,
    )


def test_a_teams_name_is_escaped_in_the_table(client, ada: User, alice: User, late) -> None:
    alice.team.name = '<script>alert("x")</script> & Co'
    alice.team.save(update_fields=["name"])
    client.force_login(ada)
    html = client.get(URL).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
