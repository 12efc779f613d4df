"""Each page requested through the whole Django stack, timed beside its floor and judged
against its budget."""

from __future__ import annotations

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
from devtools.benchmark.floors import (
    API_CLIENTS_FLOOR,
    CASELOAD_FLOOR,
    CLIENT_PAGE_FLOOR,
    DASHBOARD_FLOOR,
    DUPLICATE_SEARCH_FLOOR,
    REFERRAL_LIST_FLOOR,
    VARIANCE_QUEUE_FLOOR,
)
from devtools.benchmark.subjects import Subjects
from devtools.scale.size import BENCHMARK_CONTACTS
from referrals.views.referrals import REFERRAL_LIST_PAGE_SIZE
from supervision.views.variances import VARIANCE_PAGE_SIZE
from workspace.views.caseload import CASELOAD_PAGE_SIZE
from workspace.views.clients import TIMELINE_PAGE_SIZE

MAX_QUERIES = 12
MAX_RATIO = 3.0
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
    max_median_ms: float | None = None  # an absolute budget besides the ratio
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
    ratio: float | None = None
    queries: int | None = None
    db_ms: float | None = None
    db_ratio: float | None = None  # the page's SQL time over the floor: the query shapes
    floor_rows: int | None = None
    budget: dict[str, bool] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == "ok" and all(self.budget.values())


EMPTY_CASELOAD_SEARCH = "zz-no-such-client"


def _misspelt(name: str) -> str:
    """The name as intake might type it: one letter dropped ("John" → "Jon")."""
    return name if len(name) < 4 else name[:2] + name[3:]


def page_cases() -> list[PageCase]:
    def caseload_floor(s: Subjects) -> dict[str, Any]:
        return {"user": s.case_manager.pk, "teams": s.team_ids, "limit": CASELOAD_PAGE_SIZE}

    api_size = int(api_settings.PAGE_SIZE or 50)
    return [
        PageCase(
            key="caseload",
            title="Case manager's caseload (home)",
            url_name="home",
            user=lambda s: s.case_manager,
            floor_sql=CASELOAD_FLOOR,
            floor_params=caseload_floor,
        ),
        PageCase(
            key="empty_caseload",
            title="Caseload, no rows (reference)",
            url_name="home",
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
            key="supervisor_dashboard",
            title="Supervisor dashboard (team of 10)",
            url_name="workspace:dashboard",
            query=lambda s: {"team": s.team_id},
            user=lambda s: s.supervisor,
            floor_sql=DASHBOARD_FLOOR,
            floor_params=lambda s: {"team": s.team_id},
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
    browser.force_login(user)
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
    result.db_ms = round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 2)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        samples.append(time.perf_counter() - started)
    floor, result.floor_rows = _time_floor(case.floor_sql, case.floor_params(subjects), repeat)
    result.median_ms = _ms(statistics.median(samples))
    result.p95_ms = _ms(_p95(samples))
    result.floor_ms = _ms(statistics.median(floor))
    result.ratio = round(result.median_ms / max(result.floor_ms, 0.01), 1)
    result.db_ratio = round(result.db_ms / max(result.floor_ms, 0.01), 1)
    if case.reference:
        return result
    result.budget = {
        f"queries <= {MAX_QUERIES}": result.queries <= MAX_QUERIES,
        f"median <= {MAX_RATIO:g}x floor": result.ratio <= MAX_RATIO,
    }
    if case.max_median_ms is not None:
        result.budget[f"median < {case.max_median_ms:g} ms"] = result.median_ms < case.max_median_ms
    return result
