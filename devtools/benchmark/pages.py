"""Each page requested through the whole Django stack, timed beside its floor and judged
against its budget."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from rest_framework.settings import api_settings

from accounts.models import User
from accounts.selectors import team_ids_readable_by
from casemgmt.dates import local_midnight, today
from clients.views.accesses import PAGE_SIZE as ACCESSES_PAGE_SIZE
from clients.views.directory import CLIENT_LIST_PAGE_SIZE
from devtools.benchmark.floors import (
    ACTIVITY_MONTH_FLOOR,
    API_CLIENTS_FLOOR,
    CASELOAD_FLOOR,
    CLIENT_ACCESSES_FLOOR,
    CLIENT_DIRECTORY_FLOOR,
    CLIENT_PAGE_FLOOR,
    CLIENT_SEARCH_FLOOR,
    COMPLIANCE_RATES_FLOOR,
    COMPLIANCE_TREND_FLOOR,
    DASHBOARD_FLOOR,
    DUPLICATE_SEARCH_FLOOR,
    MY_WEEK_FLOOR,
    MY_WORK_FLOOR,
    OUTCOMES_REPORT_FLOOR,
    RECORD_REVIEW_QUEUE_FLOOR,
    REFERRAL_LIST_FLOOR,
    TEAM_WEEK_FLOOR,
    VARIANCE_QUEUE_FLOOR,
    compliance_rates_floor_params,
)
from devtools.benchmark.subjects import Subjects
from devtools.scale.size import BENCHMARK_CONTACTS
from devtools.sessions import force_login_verified
from outcomes.views.reports import DEFAULT_PERIOD_DAYS
from quality.views.samples import PAGE_SIZE as RECORD_REVIEW_PAGE_SIZE
from referrals.views.referrals import REFERRAL_LIST_PAGE_SIZE
from reports.compliance_rates import month_ends_before
from scheduling.selectors import week_bounds, week_start
from supervision.views.variances import VARIANCE_PAGE_SIZE
from workspace.my_work import my_work_until
from workspace.views.caseload import CASELOAD_PAGE_SIZE
from workspace.views.clients import TIMELINE_PAGE_SIZE

MAX_QUERIES = 12
MAX_SQL_RATIO = 2.0  # the page's SQL time over its floor
MAX_PYTHON_RATIO = 3.0  # the page's Python time over the no-rows reference's, in the same run
DUPLICATE_SEARCH_MAX_MS = 100.0
WARM_UP = 2


@dataclass(frozen=True)
class PageCase:
    key: str
    title: str
    url_name: str
    user: Callable[[Subjects], User]
    floor_sql: str
    floor_params: Callable[[Subjects], dict[str, Any]]
    url_args: Callable[[Subjects], Sequence[Any]] = lambda s: ()
    query: Callable[[Subjects], dict[str, Any]] = lambda s: {}
    max_median_ms: float | None = None  # an absolute budget besides the ratios
    # A reference measurement, not judged against the budgets: what the stack costs a page
    # before its rows (EMPTY_CASELOAD_SEARCH).
    reference: bool = False


@dataclass
class PageResult:
    key: str
    title: str
    url: str
    user: str
    status: str  # "ok", "missing" (URL name not there yet) or "HTTP <code>"
    median_ms: float | None = None
    p95_ms: float | None = None
    floor_ms: float | None = None
    queries: int | None = None
    db_ms: float | None = None
    db_ratio: float | None = None  # the page's SQL time over the floor: the query shapes
    python_ms: float | None = None  # a request's time less its SQL (median): Django's cost
    python_ratio: float | None = None  # python_ms over the reference's, in the same run
    floor_rows: int | None = None
    budget: dict[str, bool] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == "ok" and all(self.budget.values())


EMPTY_CASELOAD_SEARCH = "zz-no-such-client"


def _misspelt(name: str) -> str:
    """The name as intake might type it: one letter dropped ("John" → "Jon")."""
    return name if len(name) < 4 else name[:2] + name[3:]


def _directory_search(s: Subjects) -> str:
    """The directory searched as the navigation bar's box is typed into: a client of the team
    with the agency's commonest surname, the first name misspelt."""
    return f"{_misspelt(s.searched.first_name)} {s.searched.last_name}"


def _week() -> dict[str, Any]:
    """This week's bounds in the agency's time zone, as the schedule reads them."""
    start, end = week_bounds(week_start(today()))
    return {"start": start, "end": end}


def _last_month() -> dict[str, str]:
    """Last calendar month, as the staff activity log is asked for it."""
    end = today().replace(day=1) - dt.timedelta(days=1)
    return {"start": end.replace(day=1).isoformat(), "end": end.isoformat()}


def _last_month_floor() -> dict[str, Any]:
    """Last month's bounds as the activity log's queries read them (local midnights)."""
    month = _last_month()
    start, end = dt.date.fromisoformat(month["start"]), dt.date.fromisoformat(month["end"])
    return {
        "since": local_midnight(start),
        "until": local_midnight(end + dt.timedelta(days=1)),
        "end": end,
    }


def _month_end_of_trend() -> dt.date:
    """The oldest of the twelve month ends whose rows the compliance page (as of last month's
    end) asks for: one request of its trend."""
    return month_ends_before(dt.date.fromisoformat(_last_month()["end"]))[0]


def _window() -> dict[str, Any]:
    """My work's window, as the page reads it: today, its last day, and the end of that day
    in the agency's time zone (planned visits are datetimes)."""
    first, last = today(), my_work_until(today())
    return {
        "today": first,
        "until": last,
        "until_end": local_midnight(last + dt.timedelta(days=1)),
        "tz": settings.TIME_ZONE,
    }


def page_cases() -> list[PageCase]:
    def caseload_floor(s: Subjects) -> dict[str, Any]:
        return {"user": s.case_manager.pk, "teams": s.team_ids, "limit": CASELOAD_PAGE_SIZE}

    api_size = int(api_settings.PAGE_SIZE or 50)
    return [
        PageCase(
            key="caseload",
            title="Case manager's caseload",
            url_name="workspace:caseload",
            user=lambda s: s.case_manager,
            floor_sql=CASELOAD_FLOOR,
            floor_params=caseload_floor,
        ),
        # The caseload searched for a name no client has: the same session, user, navigation
        # bar, layout and queries as the caseload, and no rows. Its Python time is what the
        # stack alone costs, the reference the other pages' Python time is measured against.
        PageCase(
            key="empty_caseload",
            title="Caseload, no rows (reference)",
            url_name="workspace:caseload",
            query=lambda s: {"q": EMPTY_CASELOAD_SEARCH},
            user=lambda s: s.case_manager,
            floor_sql=CASELOAD_FLOOR,
            floor_params=caseload_floor,
            reference=True,
        ),
        PageCase(
            key="client_page",
            title=f"Client page ({BENCHMARK_CONTACTS} contacts)",
            url_name="workspace:client",
            url_args=lambda s: (s.client.pk,),
            user=lambda s: s.case_manager,
            floor_sql=CLIENT_PAGE_FLOOR,
            floor_params=lambda s: {
                "client": s.client.pk,
                "teams": s.team_ids,
                "limit": TIMELINE_PAGE_SIZE,
            },
        ),
        PageCase(
            key="client_accesses",
            title="Who read a client's record (the administrator's accounting page)",
            url_name="clients:accesses",
            url_args=lambda s: (s.client.pk,),
            user=lambda s: s.administrator,
            floor_sql=CLIENT_ACCESSES_FLOOR,
            floor_params=lambda s: {"client": s.client.pk, "limit": ACCESSES_PAGE_SIZE},
        ),
        PageCase(
            key="supervisor_dashboard",
            title="Supervisor dashboard (every team supervised, sorted by open flags)",
            url_name="workspace:dashboard",
            query=lambda s: {"sort": "-open_flags"},
            user=lambda s: s.supervisor,
            floor_sql=DASHBOARD_FLOOR,
            # The teams the page shows: those the supervisor reads (and supervises).
            floor_params=lambda s: {"teams": sorted(team_ids_readable_by(s.supervisor) or ())},
        ),
        PageCase(
            key="variance_queue",
            title="Administrator's variance queue",
            url_name="supervision:variance_queue",
            user=lambda s: s.administrator,
            floor_sql=VARIANCE_QUEUE_FLOOR,
            floor_params=lambda s: {"limit": VARIANCE_PAGE_SIZE},
        ),
        PageCase(
            key="referral_list",
            title="Referral list of a team",
            url_name="referrals:referral_list",
            query=lambda s: {"team": s.team_id},
            user=lambda s: s.supervisor,
            floor_sql=REFERRAL_LIST_FLOOR,
            floor_params=lambda s: {"team": s.team_id, "limit": REFERRAL_LIST_PAGE_SIZE},
        ),
        PageCase(
            key="duplicate_search",
            title="Duplicate search at intake",
            url_name="clients:register",
            query=lambda s: {
                "first_name": _misspelt(s.searched.first_name),
                "last_name": s.searched.last_name,
                "date_of_birth": s.searched.date_of_birth.isoformat(),
            },
            user=lambda s: s.case_manager,
            floor_sql=DUPLICATE_SEARCH_FLOOR,
            floor_params=lambda s: {
                "name": f"{_misspelt(s.searched.first_name)} {s.searched.last_name}".lower(),
                "born": s.searched.date_of_birth,
                "teams": s.team_ids,
            },
            max_median_ms=DUPLICATE_SEARCH_MAX_MS,
        ),
        PageCase(
            key="client_directory",
            title="Client directory, a case manager's (with recent clients)",
            url_name="clients:client_list",
            user=lambda s: s.case_manager,
            floor_sql=CLIENT_DIRECTORY_FLOOR,
            floor_params=lambda s: {
                "user": s.case_manager.pk,
                "teams": s.team_ids,
                "limit": CLIENT_LIST_PAGE_SIZE,
            },
        ),
        PageCase(
            key="client_search",
            title="Client directory searched by name",
            url_name="clients:client_list",
            query=lambda s: {"q": _directory_search(s)},
            user=lambda s: s.case_manager,
            floor_sql=CLIENT_SEARCH_FLOOR,
            floor_params=lambda s: {
                "name": _directory_search(s).lower(),
                "teams": s.team_ids,
                "limit": CLIENT_LIST_PAGE_SIZE,
            },
        ),
        PageCase(
            key="my_week",
            title="Case manager's week (/schedule/)",
            url_name="scheduling:schedule",
            user=lambda s: s.case_manager,
            floor_sql=MY_WEEK_FLOOR,
            floor_params=lambda s: {"user": s.case_manager.pk, "teams": s.team_ids, **_week()},
        ),
        PageCase(
            key="team_week",
            title="A team's week, for its supervisor (visits counted per case manager and day)",
            url_name="scheduling:team_schedule",
            url_args=lambda s: (s.team_id,),
            user=lambda s: s.supervisor,
            floor_sql=TEAM_WEEK_FLOOR,
            floor_params=lambda s: {"team": s.team_id, "tz": settings.TIME_ZONE, **_week()},
        ),
        PageCase(
            key="my_work",
            title="Case manager's My work (home)",
            url_name="workspace:my_work",
            user=lambda s: s.case_manager,
            floor_sql=MY_WORK_FLOOR,
            floor_params=lambda s: {"user": s.case_manager.pk, "teams": s.team_ids, **_window()},
        ),
        PageCase(
            key="activity_month",
            title="Staff activity log of last month over the agency, per case manager",
            url_name="reports:activity",
            query=lambda s: {**_last_month(), "period": "month", "by": "case_manager"},
            user=lambda s: s.administrator,
            floor_sql=ACTIVITY_MONTH_FLOOR,
            floor_params=lambda s: _last_month_floor(),
        ),
        PageCase(
            key="record_review_queue",
            title="Record-review queue (QA's landing page)",
            url_name="quality:queue",
            user=lambda s: s.administrator,
            floor_sql=RECORD_REVIEW_QUEUE_FLOOR,
            floor_params=lambda s: {"limit": RECORD_REVIEW_PAGE_SIZE},
        ),
        PageCase(
            key="outcomes_report",
            title="Outcomes report over the agency, the year to today (share improved)",
            url_name="outcomes:report",
            user=lambda s: s.administrator,
            floor_sql=OUTCOMES_REPORT_FLOOR,
            floor_params=lambda s: {
                "start": today() - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1),
                "end": today(),
            },
        ),
        PageCase(
            key="compliance_rates",
            title="Compliance rates as of last month's end over the agency, per team",
            url_name="reports:compliance",
            query=lambda s: {"as_of": _last_month()["end"], "by": "team"},
            user=lambda s: s.administrator,
            floor_sql=COMPLIANCE_RATES_FLOOR,
            floor_params=lambda s: compliance_rates_floor_params(
                dt.date.fromisoformat(_last_month()["end"])
            ),
        ),
        PageCase(
            key="compliance_trend",
            title="Compliance trend: one month end over the agency (the page asks for twelve)",
            url_name="reports:compliance_trend",
            query=lambda s: {"as_of": _month_end_of_trend().isoformat()},
            user=lambda s: s.administrator,
            floor_sql=COMPLIANCE_TREND_FLOOR,
            floor_params=lambda s: compliance_rates_floor_params(_month_end_of_trend()),
        ),
        PageCase(
            key="api_clients",
            title="API: /api/v1/clients/",
            url_name="client-list",
            user=lambda s: s.case_manager,
            floor_sql=API_CLIENTS_FLOOR,
            floor_params=lambda s: {"teams": s.team_ids, "limit": api_size},
        ),
    ]


# --- Timing -----------------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _time_floor(sql: str, params: dict[str, Any], repeat: int) -> tuple[list[float], int]:
    samples = []
    rows = 0
    with connection.cursor() as cursor:
        for n in range(repeat + WARM_UP):
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = len(cursor.fetchall())
            if n >= WARM_UP:
                samples.append(time.perf_counter() - started)
    return samples, rows


class _SqlTimer:
    """A database execute wrapper adding up the time of every statement a request runs."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure_page(case: PageCase, subjects: Subjects, *, repeat: int) -> PageResult:
    user = case.user(subjects)
    result = PageResult(key=case.key, title=case.title, url="", user=user.username, status="ok")
    try:
        path = reverse(case.url_name, args=case.url_args(subjects))
    except NoReverseMatch:
        result.status = "missing"
        return result
    query = case.query(subjects)
    result.url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    browser = HttpClient(raise_request_exception=False)
    force_login_verified(browser, user)
    secure = settings.SECURE_SSL_REDIRECT

    def get() -> Any:
        return browser.get(path, query, secure=secure)

    for _ in range(WARM_UP):
        response = get()
    if response.status_code != 200:
        result.status = f"HTTP {response.status_code}"
        return result
    with CaptureQueriesContext(connection) as captured:
        get()
    result.queries = len(captured.captured_queries)
    samples, sql_samples = [], []
    for _ in range(repeat):
        sql = _SqlTimer()
        with connection.execute_wrapper(sql):
            started = time.perf_counter()
            get()
            samples.append(time.perf_counter() - started)
        sql_samples.append(sql.seconds)
    # The SQL of the median request, timed around each statement (Django's query log counts
    # whole milliseconds, too coarse beside a floor of one).
    result.db_ms = _ms(statistics.median(sql_samples))
    floor, result.floor_rows = _time_floor(case.floor_sql, case.floor_params(subjects), repeat)
    result.median_ms = _ms(statistics.median(samples))
    result.p95_ms = _ms(_p95(samples))
    result.floor_ms = _ms(statistics.median(floor))
    result.db_ratio = round(result.db_ms / max(result.floor_ms, 0.01), 1)
    # Each request's time less its own SQL: the median of the differences, not the difference
    # of the medians, which a slow statement in one request and not the next would skew.
    result.python_ms = _ms(
        statistics.median(t - q for t, q in zip(samples, sql_samples, strict=True))
    )
    return result


def judge(cases: Sequence[PageCase], results: Sequence[PageResult]) -> None:
    """Set each measured page's budget (issue 15's, restated from issue 6's): at most
    ``MAX_QUERIES`` queries, its SQL at most ``MAX_SQL_RATIO`` times its floor, and its Python
    time at most ``MAX_PYTHON_RATIO`` times the reference's in the same run (the stack alone,
    session, user, navigation and layout, costs more than a floor of a millisecond or two, so
    the whole median is not judged against the floor). Without a measured reference, no page's
    Python time can be judged, and each page fails that line."""
    reference = next(
        (r for c, r in zip(cases, results, strict=True) if c.reference and r.status == "ok"),
        None,
    )
    reference_ms = None if reference is None else max(reference.python_ms or 0.0, 0.01)
    for case, result in zip(cases, results, strict=True):
        if case.reference or result.status != "ok":
            continue
        assert result.queries is not None and result.db_ratio is not None
        assert result.python_ms is not None and result.median_ms is not None
        if reference_ms is not None:
            result.python_ratio = round(result.python_ms / reference_ms, 1)
        result.budget = {
            f"queries <= {MAX_QUERIES}": result.queries <= MAX_QUERIES,
            f"SQL <= {MAX_SQL_RATIO:g}x floor": result.db_ratio <= MAX_SQL_RATIO,
            f"Python <= {MAX_PYTHON_RATIO:g}x reference": result.python_ratio is not None
            and result.python_ratio <= MAX_PYTHON_RATIO,
        }
        if case.max_median_ms is not None:
            result.budget[f"median < {case.max_median_ms:g} ms"] = (
                result.median_ms < case.max_median_ms
            )
