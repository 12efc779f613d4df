"""``manage.py benchmark`` at a small N, so that the command cannot rot: every page is
measured and written to the JSON, the compliance run and its floor agree and leave the
database as they found it. Times are never asserted (they mean nothing at this size).

One synthetic agency is loaded for the module in a transaction rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from clients.models import Enrollment
from devtools.benchmark.compliance import measure_compliance, rolled_back
from devtools.benchmark.compliance_floor import FLOOR_RULES, compliance_floor
from devtools.benchmark.floors import (
    COMPLIANCE_RATES_FLOOR,
    COMPLIANCE_TREND_FLOOR,
    compliance_rates_floor_params,
)
from devtools.benchmark.pages import (
    EMPTY_CASELOAD_SEARCH,
    PageCase,
    PageResult,
    judge,
    measure_page,
    page_cases,
)
from devtools.benchmark.run import apply_session_settings
from devtools.benchmark.subjects import BenchmarkError, Subjects
from devtools.scale.agency import seed_scale
from devtools.scale.loader import LoadReport
from reports import compliance_rates as rates
from supervision.compliance import compliance_evaluate
from supervision.models import Flag
from supervision.rules import registered_rules
from tests import migration_data

# seed_scale and the benchmark run as the tables' owner (casemgmt.database_roles).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("as_database_owner")]

PAGES = {
    "caseload",
    "client_page",
    "client_accesses",
    "supervisor_dashboard",
    "variance_queue",
    "referral_list",
    "duplicate_search",
    "client_directory",
    "client_search",
    "api_clients",
    "my_week",
    "team_week",
    "my_work",
    "activity_month",
    "compliance_rates",
    "compliance_trend",
    "outcomes_report",
    "record_review_queue",
}
REFERENCES = {"empty_caseload"}


def test_it_refuses_a_database_without_a_synthetic_agency() -> None:
    with pytest.raises(CommandError, match="seed_scale"):
        call_command("benchmark", "--repeat", "1", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture(scope="module")
def agency(as_database_owner: None, django_db_blocker: DjangoDbBlocker) -> Iterator[LoadReport]:
    with django_db_blocker.unblock(), transaction.atomic():
        migration_data.restore()
        yield seed_scale(clients=200, seed=11)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def report(agency: LoadReport, tmp_path_factory: pytest.TempPathFactory) -> dict:
    path = tmp_path_factory.mktemp("benchmark") / "benchmark.json"
    out = io.StringIO()
    call_command(
        "benchmark",
        "--repeat",
        "2",
        "--compliance-repeat",
        "1",
        "--json",
        str(path),
        stdout=out,
        stderr=io.StringIO(),
    )
    return {"json": json.loads(Path(path).read_text()), "table": out.getvalue()}


def test_it_writes_every_page_to_the_json(report: dict) -> None:
    assert {page["key"] for page in report["json"]["pages"]} == PAGES | REFERENCES


def test_it_measures_every_page(report: dict) -> None:
    statuses = {page["key"]: page["status"] for page in report["json"]["pages"]}
    assert statuses == dict.fromkeys(PAGES | REFERENCES, "ok")


def test_it_gives_each_page_its_figures(report: dict) -> None:
    for page in report["json"]["pages"]:
        assert page["median_ms"] > 0
        assert page["p95_ms"] >= page["median_ms"]
        assert page["floor_ms"] > 0
        assert page["queries"] > 0
        assert page["floor_rows"] > 0


def test_it_judges_every_page_but_the_reference(report: dict) -> None:
    budgets = {page["key"]: set(page["budget"]) for page in report["json"]["pages"]}
    restated = {"queries <= 12", "SQL <= 2x floor", "Python <= 3x reference"}
    assert all(restated <= budgets[key] for key in PAGES)
    assert all(budgets[key] == set() for key in REFERENCES)


def test_it_gives_each_page_its_python_time_against_the_reference(report: dict) -> None:
    pages = {page["key"]: page for page in report["json"]["pages"]}
    reference = pages["empty_caseload"]["python_ms"]
    for key in PAGES:
        page = pages[key]
        assert 0 < page["python_ms"] <= page["p95_ms"]  # each request less its SQL
        assert page["python_ratio"] == pytest.approx(page["python_ms"] / reference, abs=0.06)


def _measured(key: str, *, db_ms: float, python_ms: float, queries: int = 5) -> PageResult:
    """A page as measure_page leaves it, with a floor of 2 ms."""
    return PageResult(
        key=key, title=key, url="/", user="u", status="ok", median_ms=db_ms + python_ms,
        p95_ms=db_ms + python_ms, floor_ms=2.0, queries=queries, db_ms=db_ms,
        db_ratio=db_ms / 2.0, python_ms=python_ms,
    )  # fmt: skip


def _judged(*pages: PageResult, reference: PageResult | None) -> list[PageResult]:
    base = page_cases()[0]
    cases = [PageCase(**{**base.__dict__, "key": p.key, "reference": False}) for p in pages]
    results = list(pages)
    if reference is not None:
        cases.insert(0, PageCase(**{**base.__dict__, "key": "ref", "reference": True}))
        results.insert(0, reference)
    judge(cases, results)
    return list(pages)


def test_a_page_within_the_restated_budgets_passes() -> None:
    reference = _measured("ref", db_ms=2, python_ms=10)
    (page,) = _judged(_measured("p", db_ms=4, python_ms=30), reference=reference)
    assert page.passed
    assert page.python_ratio == 3.0


def test_a_page_whose_sql_is_over_twice_its_floor_fails() -> None:
    reference = _measured("ref", db_ms=2, python_ms=10)
    (page,) = _judged(_measured("p", db_ms=4.2, python_ms=10), reference=reference)
    assert page.budget["SQL <= 2x floor"] is False


def test_a_page_whose_python_is_over_three_times_the_references_fails() -> None:
    reference = _measured("ref", db_ms=2, python_ms=10)
    (page,) = _judged(_measured("p", db_ms=2, python_ms=31), reference=reference)
    assert page.budget["Python <= 3x reference"] is False


def test_a_page_of_more_than_twelve_queries_fails() -> None:
    reference = _measured("ref", db_ms=2, python_ms=10)
    (page,) = _judged(_measured("p", db_ms=2, python_ms=10, queries=13), reference=reference)
    assert page.budget["queries <= 12"] is False


def test_without_a_measured_reference_no_page_passes_its_python_budget() -> None:
    (page,) = _judged(_measured("p", db_ms=2, python_ms=1), reference=None)
    assert page.python_ratio is None
    assert not page.passed


def test_the_reference_caseload_shows_no_rows(agency: LoadReport) -> None:
    subjects = Subjects.find()
    browser = HttpClient()
    browser.force_login(subjects.case_manager)
    response = browser.get(reverse("workspace:caseload"), {"q": EMPTY_CASELOAD_SEARCH})
    assert response.status_code == 200
    assert b"data-enrollment=" not in response.content


def test_it_judges_the_duplicate_search_against_100_ms_too(report: dict) -> None:
    search = next(p for p in report["json"]["pages"] if p["key"] == "duplicate_search")
    assert "median < 100 ms" in search["budget"]


def test_it_times_the_compliance_run_at_two_sizes(report: dict) -> None:
    compliance = report["json"]["compliance"]
    assert compliance["full"]["enrollments"] == compliance["open_enrollments"]
    assert compliance["half"]["enrollments"] == compliance["open_enrollments"] // 2
    assert compliance["full"]["floor_seconds"] > 0
    assert set(compliance["budget"]) == {
        "<= 3x floor",
        "linear (per 10k at all <= 1.25x at half)",
    }


def test_it_prints_the_table(report: dict) -> None:
    assert "Duplicate search at intake" in report["table"]
    assert "Compliance evaluation over" in report["table"]


def _on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(
        timezone.make_aware(dt.datetime.combine(day, dt.time(12))), tick=False
    )


def test_it_leaves_the_flags_as_they_were(agency: LoadReport) -> None:
    before = list(Flag.objects.order_by("pk").values_list("pk", "resolved_on"))
    as_of = timezone.localdate() + dt.timedelta(days=40)
    with _on(as_of):  # only today's evaluation writes
        measure_compliance(as_of=as_of, repeat=1)
    assert list(Flag.objects.order_by("pk").values_list("pk", "resolved_on")) == before
    assert Enrollment.objects.open().count() == agency.counts["open enrollments"]


@pytest.mark.parametrize("days_ago", [0, 100])
def test_the_floor_finds_what_each_rule_finds(agency: LoadReport, days_ago: int) -> None:
    as_of = timezone.localdate() - dt.timedelta(days=days_ago)
    scope = Enrollment.objects.open()
    for rule in registered_rules():
        engine = set(rule.due(as_of, scope).order_by().values_list("pk", "due_on", "subject_id"))
        with connection.cursor() as cursor:
            cursor.execute(
                FLOOR_RULES[rule.code],
                {"as_of": as_of, "ids": None, "tz": settings.TIME_ZONE},
            )
            floor = set(cursor.fetchall())
        assert floor == engine, rule.code


def test_the_floor_raises_the_flags_the_engine_raises(agency: LoadReport) -> None:
    """From a month on: both raise and resolve the same flags (compared, then rolled back)."""
    as_of = timezone.localdate() + dt.timedelta(days=30)

    def open_flags() -> set[tuple[int, str, dt.date]]:
        return set(Flag.objects.open().values_list("enrollment_id", "rule", "due_on"))

    with _on(as_of):  # only today's evaluation writes
        _, engine = rolled_back(lambda: (compliance_evaluate(as_of=as_of), open_flags())[1])
    _, floor = rolled_back(lambda: (compliance_floor(as_of=as_of, ids=None), open_flags())[1])
    assert floor == engine


def test_it_reports_a_page_whose_url_is_not_there_yet(
    agency: LoadReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = page_cases()
    case = PageCase(**{**cases[0].__dict__, "url_name": "supervision:not_built_yet"})
    result = measure_page(case, Subjects.find(), repeat=1)
    assert result.status == "missing"
    assert not result.passed


def test_it_refuses_a_repeat_below_one(agency: LoadReport) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("benchmark", "--repeat", "0", stdout=io.StringIO())


def test_it_refuses_a_setting_without_a_value(agency: LoadReport) -> None:
    with pytest.raises(CommandError, match="NAME=VALUE"):
        call_command("benchmark", "--set", "jit", stdout=io.StringIO())


def test_it_applies_a_postgresql_setting_for_its_run(agency: LoadReport) -> None:
    apply_session_settings({"jit": "off"})
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_it_refuses_a_setting_name_that_is_not_one(agency: LoadReport) -> None:
    with pytest.raises(BenchmarkError, match="Not a setting name"):
        apply_session_settings({"jit; DROP TABLE x": "off"})


def test_the_compliance_rates_floor_counts_what_the_report_counts(agency: LoadReport) -> None:
    as_of = timezone.localdate() - dt.timedelta(days=20)
    report = rates.rates_on(viewer=Subjects.find().administrator, as_of=as_of, by="team")
    expected = {
        (
            g.group_id,
            *[n for c in rates.STANDARDS for n in (g.figures[c].unmet, g.figures[c].excused)],
        )
        for g in report.groups
    }
    with connection.cursor() as cursor:
        cursor.execute(COMPLIANCE_RATES_FLOOR, compliance_rates_floor_params(as_of))
        rows = cursor.fetchall()
    assert {(row[1], *row[3:]) for row in rows} == expected


def test_the_compliance_trend_floor_counts_what_a_month_end_counts(agency: LoadReport) -> None:
    as_of = timezone.localdate() - dt.timedelta(days=50)
    figures = rates.totals_on(viewer=Subjects.find().administrator, as_of=as_of)
    expected = (
        figures[rates.STANDARDS[0]].open,
        *[n for c in rates.STANDARDS for n in (figures[c].unmet, figures[c].excused)],
    )
    with connection.cursor() as cursor:
        cursor.execute(COMPLIANCE_TREND_FLOOR, compliance_rates_floor_params(as_of))
        (row,) = cursor.fetchall()
    assert (row[0], *row[2:]) == (as_of.isoformat(), *expected)
