"""The benchmark behind ``manage.py benchmark``: pages and the nightly compliance evaluation,
each beside its floor.

A page is requested through the whole Django stack in this process (``django.test.Client``,
middleware, sessions, templates; DEBUG off), logged in as the user the page is for; its
server time is the median and 95th percentile over ``repeat`` requests after two warm-ups,
and its queries are counted on one more request (CaptureQueriesContext, which also gives the
time spent in the database). Its **floor** is one hand-written SQL statement that fetches the
rows the page shows, timed the same way in the same run: absolute times on a shared machine
are noise, the ratio to the floor is what is judged. The caseload is also requested with a
search that finds no one (a reference, not judged): what the stack costs before any row.

The compliance evaluation (supervision.compliance.compliance_evaluate) is timed over every
open enrollment, and again with half of them closed first (an agency of half the size),
against a floor of hand-written SQL: per rule one
statement that raises the missing flags and resolves the met ones (a data-modifying WITH:
UPDATE ... RETURNING beside INSERT ... SELECT ... ON CONFLICT DO NOTHING). Every run of either
is rolled back, so the database is the same for each run and after the benchmark.

Budgets (issue 6): at most 12 queries a page, median at most 3x the floor, the duplicate
search under 100 ms median, the compliance evaluation at most 3x its floor and growing no
faster than linearly (seconds per 10,000 open enrollments at all of them no more than 1.25x
that at half of them).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Role, User
from casemgmt.scale.agency import BENCHMARK_CONTACTS, SYNTHETIC_USERNAME_PREFIX
from clients.models import Client, Enrollment

MAX_QUERIES = 12
MAX_RATIO = 3.0
DUPLICATE_SEARCH_MAX_MS = 100.0
MAX_GROWTH = 1.25
WARM_UP = 2


class BenchmarkError(Exception):
    """The database holds no synthetic agency to measure."""


def _page_size(module: str, name: str, default: int = 50) -> int:
    try:
        return int(getattr(importlib.import_module(module), name))
    except (ImportError, AttributeError):
        return default


# --- What is measured -------------------------------------------------------------------------


@dataclass
class Subjects:
    """Who and what the pages are requested for: the first synthetic case manager, their
    client with BENCHMARK_CONTACTS contacts, their team and its supervisor, an administrator."""

    case_manager: User
    supervisor: User
    administrator: User
    team_id: int
    client: Client
    team_ids: list[int]
    # Intake's search: a client of the team with the agency's commonest surname, their first
    # name misspelt (the hard case: a common surname matches a thousand people).
    searched: Client

    @classmethod
    def find(cls) -> Subjects:
        case_manager = (
            User.objects.filter(
                username__startswith=SYNTHETIC_USERNAME_PREFIX, role=Role.CASE_MANAGER
            )
            .order_by("username")
            .first()
        )
        if case_manager is None or case_manager.team_id is None:
            raise BenchmarkError(
                "No synthetic agency here: run `manage.py seed_scale --clients N` first."
            )
        supervisor = (
            User.objects.filter(role=Role.SUPERVISOR, supervised_teams=case_manager.team_id)
            .order_by("username")
            .first()
        )
        administrator = (
            User.objects.filter(role=Role.ADMINISTRATOR, is_active=True)
            .order_by("-username")  # syn-admin-1 before any other
            .first()
        )
        if supervisor is None or administrator is None:
            raise BenchmarkError("The synthetic agency has no supervisor or administrator.")
        with connection.cursor() as cursor:
            # The client of the case manager with exactly BENCHMARK_CONTACTS contacts (the
            # seed makes one), or else the one with the most.
            cursor.execute(
                "SELECT k.client_id FROM clients_contact k JOIN clients_enrollment e"
                " ON e.id = k.enrollment_id WHERE e.case_manager_id = %s AND e.status = 'open'"
                " GROUP BY k.client_id ORDER BY count(*) = %s DESC, count(*) DESC, k.client_id"
                " LIMIT 1",
                [case_manager.pk, BENCHMARK_CONTACTS],
            )
            row = cursor.fetchone()
        if row is None:
            raise BenchmarkError("The first synthetic case manager has no client with contacts.")
        client = Client.objects.get(pk=row[0])
        team_clients = Client.objects.filter(enrollments__team_id=case_manager.team_id)
        commonest = (
            team_clients.values("last_name")
            .annotate(n=models.Count("pk"))
            .order_by("-n", "last_name")
            .values_list("last_name", flat=True)
            .first()
        )
        searched = team_clients.filter(last_name=commonest).order_by("pk").first() or client
        return cls(
            case_manager=case_manager,
            supervisor=supervisor,
            administrator=administrator,
            team_id=case_manager.team_id,
            client=client,
            team_ids=[case_manager.team_id],
            searched=searched,
        )


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


@dataclass
class ComplianceResult:
    open_enrollments: int
    full: dict[str, float] = field(default_factory=dict)
    half: dict[str, float] = field(default_factory=dict)
    ratio: float | None = None
    growth: float | None = None
    budget: dict[str, bool] = field(default_factory=dict)
    raised: int = 0
    resolved: int = 0

    @property
    def passed(self) -> bool:
        return all(self.budget.values())


# --- Floors -----------------------------------------------------------------------------------

CASELOAD_FLOOR = """
SELECT e.id, c.id, c.first_name, c.last_name, c.record_number, p.name, e.continuum_stage,
       e.application_date, last_contact.occurred_at, last_assessment.completed_on,
       COALESCE(latest_screen.positive, false), count(*) OVER ()
FROM clients_enrollment e
JOIN clients_client c ON c.id = e.client_id
JOIN clients_program p ON p.id = e.program_id
LEFT JOIN LATERAL (
    SELECT k.occurred_at FROM clients_contact k
    WHERE k.enrollment_id = e.id AND k.contact_type <> 'attempted'
    ORDER BY k.occurred_at DESC LIMIT 1) last_contact ON true
LEFT JOIN LATERAL (
    SELECT a.completed_on FROM serviceplans_assessment a
    WHERE a.enrollment_id = e.id AND a.status = 'completed'
    ORDER BY a.completed_on DESC LIMIT 1) last_assessment ON true
LEFT JOIN LATERAL (
    SELECT s.positive FROM serviceplans_riskscreen s
    WHERE s.enrollment_id = e.id ORDER BY s.screened_on DESC, s.id DESC LIMIT 1
) latest_screen ON true
WHERE e.case_manager_id = %(user)s AND e.status = 'open' AND e.team_id = ANY(%(teams)s)
ORDER BY last_contact.occurred_at ASC NULLS FIRST, c.last_name, c.first_name, e.id
LIMIT %(limit)s
"""

CLIENT_PAGE_FLOOR = """
SELECT c.id, c.record_number, c.first_name, c.last_name, c.date_of_birth, k.id, k.occurred_at,
       k.contact_type, k.duration_minutes, k.travel_minutes, k.note, u.first_name, u.last_name,
       p.name, count(*) OVER ()
FROM clients_client c
JOIN clients_contact k ON k.client_id = c.id
JOIN clients_enrollment e ON e.id = k.enrollment_id
JOIN clients_program p ON p.id = e.program_id
JOIN accounts_user u ON u.id = k.author_id
WHERE c.id = %(client)s AND e.team_id = ANY(%(teams)s)
ORDER BY k.occurred_at DESC, k.id DESC
LIMIT %(limit)s
"""

DASHBOARD_FLOOR = """
SELECT e.case_manager_id, f.rule, count(DISTINCT e.id), count(f.id)
FROM clients_enrollment e
LEFT JOIN supervision_flag f ON f.enrollment_id = e.id AND f.resolved_on IS NULL
WHERE e.team_id = %(team)s AND e.status = 'open'
GROUP BY GROUPING SETS ((e.case_manager_id), (e.case_manager_id, f.rule))
"""

VARIANCE_QUEUE_FLOOR = """
SELECT v.id, v.rule, v.reason, v.proposed_due_on, v.requested_at, c.first_name, c.last_name,
       p.name, t.name, r.name, u.first_name, u.last_name, f.due_on, count(*) OVER ()
FROM supervision_variance v
JOIN clients_enrollment e ON e.id = v.enrollment_id
JOIN clients_client c ON c.id = e.client_id
JOIN clients_program p ON p.id = e.program_id
JOIN accounts_team t ON t.id = e.team_id
JOIN accounts_region r ON r.id = t.region_id
JOIN accounts_user u ON u.id = v.requested_by_id
LEFT JOIN supervision_flag f ON f.id = v.flag_id
WHERE v.status = 'pending'
ORDER BY v.requested_at, v.id
LIMIT %(limit)s
"""

REFERRAL_LIST_FLOOR = """
SELECT r.id, r.status, r.follow_up_due_on, r.urgency, pr.name, s.name, c.id, c.first_name,
       c.last_name, p.name, u.first_name, u.last_name, count(*) OVER ()
FROM referrals_referral r
JOIN clients_enrollment e ON e.id = r.enrollment_id
JOIN clients_client c ON c.id = e.client_id
JOIN clients_program p ON p.id = e.program_id
JOIN accounts_user u ON u.id = e.case_manager_id
JOIN referrals_provider pr ON pr.id = r.provider_id
LEFT JOIN referrals_providerservice s ON s.id = r.service_id
WHERE e.team_id = %(team)s AND r.status NOT IN ('engaged', 'closed')
ORDER BY r.follow_up_due_on ASC NULLS LAST, c.last_name, c.first_name, r.id
LIMIT %(limit)s
"""

# The page shows the ten best matches among the viewer's clients and counts the others.
DUPLICATE_SEARCH_FLOOR = """
WITH candidates AS (
    SELECT c.id, c.record_number, c.first_name, c.last_name, c.date_of_birth, c.search_name,
           EXISTS (SELECT 1 FROM clients_enrollment e WHERE e.client_id = c.id
                   AND e.team_id = ANY(%(teams)s)) AS visible
    FROM clients_client c
    WHERE c.search_name %% %(name)s
       OR (c.date_of_birth = %(born)s AND similarity(c.search_name, %(name)s) >= 0.15)
)
SELECT id, record_number, first_name, last_name, date_of_birth,
       similarity(search_name, %(name)s) AS score,
       (SELECT count(*) FROM candidates WHERE NOT visible) AS hidden
FROM candidates
WHERE visible
ORDER BY date_of_birth = %(born)s DESC, score DESC, last_name
LIMIT 10
"""

API_CLIENTS_FLOOR = """
SELECT c.id, c.record_number, c.first_name, c.middle_name, c.last_name, c.preferred_name,
       c.date_of_birth, c.sex, c.primary_language, c.phone, c.city, c.registered_team_id,
       c.created_at, c.updated_at, count(*) OVER ()
FROM clients_client c
WHERE EXISTS (SELECT 1 FROM clients_enrollment e WHERE e.client_id = c.id
              AND e.team_id = ANY(%(teams)s))
ORDER BY c.last_name, c.first_name, c.id
LIMIT %(limit)s
"""


# The caseload searched for a name no client has: the same session, user, navigation bar,
# layout and queries as the caseload, and no rows. Its time over the caseload's floor shows
# how much of every page's ratio is the stack itself rather than its rows.
EMPTY_CASELOAD_SEARCH = "zz-no-such-client"


def _misspelt(name: str) -> str:
    """The name as intake might type it: one letter dropped ("John" → "Jon")."""
    return name if len(name) < 4 else name[:2] + name[3:]


def page_cases() -> list[PageCase]:
    caseload_size = _page_size("clients.views", "CASELOAD_PAGE_SIZE")

    def caseload_floor(s: Subjects) -> dict[str, Any]:
        return {"user": s.case_manager.pk, "teams": s.team_ids, "limit": caseload_size}

    timeline_size = _page_size("clients.views", "TIMELINE_PAGE_SIZE", 20)
    referral_size = _page_size("referrals.referral_views", "REFERRAL_LIST_PAGE_SIZE")
    variance_size = _page_size("supervision.variance_views", "VARIANCE_PAGE_SIZE")
    api_size = int(settings.REST_FRAMEWORK.get("PAGE_SIZE", 50))  # type: ignore[call-overload]
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
            url_name="clients:detail",
            url_args=lambda s: (s.client.pk,),
            user=lambda s: s.case_manager,
            floor_sql=CLIENT_PAGE_FLOOR,
            floor_params=lambda s: {
                "client": s.client.pk,
                "teams": s.team_ids,
                "limit": timeline_size,
            },
        ),
        PageCase(
            key="supervisor_dashboard",
            title="Supervisor dashboard (team of 10)",
            url_name="supervision:dashboard",
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
            floor_params=lambda s: {"limit": variance_size},
        ),
        PageCase(
            key="referral_list",
            title="Referral list of a team",
            url_name="referrals:referral_list",
            query=lambda s: {"team": s.team_id},
            user=lambda s: s.supervisor,
            floor_sql=REFERRAL_LIST_FLOOR,
            floor_params=lambda s: {"team": s.team_id, "limit": referral_size},
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


# --- Compliance -------------------------------------------------------------------------------

# The open enrollments of the evaluation (compliance._open_on and the real run's scope).
_SCOPE = """
    FROM clients_enrollment e
    JOIN clients_program p ON p.id = e.program_id
    WHERE e.status = 'open' AND e.application_date <= %(as_of)s
      AND (e.closed_on IS NULL OR e.closed_on > %(as_of)s)
      AND (%(ids)s::bigint[] IS NULL OR e.id = ANY(%(ids)s::bigint[]))
"""
# The first day after as_of began, in the agency's time zone: "on or before as_of" for a
# timestamp, written so that an index on the timestamp serves it.
_DAY_AFTER = "((%(as_of)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"

# Per rule: SELECT enrollment_id, due_on, subject_id of the enrollments due and unmet.
FLOOR_RULES: dict[str, str] = {
    "initial_assessment_overdue": f"""
        SELECT e.id, e.application_date + p.initial_assessment_days, NULL::bigint {_SCOPE}
          AND e.application_date + p.initial_assessment_days < %(as_of)s
          AND NOT EXISTS (SELECT 1 FROM serviceplans_assessment a WHERE a.enrollment_id = e.id
                          AND a.status = 'completed' AND a.completed_on <= %(as_of)s)""",
    "assessment_update_overdue": f"""
        SELECT e.id, last.completed_on + p.reassessment_interval_days, NULL::bigint {_SCOPE}
          AND last.completed_on + p.reassessment_interval_days < %(as_of)s""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN clients_program p ON p.id = e.program_id"
        " JOIN LATERAL (SELECT a.completed_on FROM serviceplans_assessment a"
        " WHERE a.enrollment_id = e.id AND a.status = 'completed'"
        " AND a.completed_on <= %(as_of)s ORDER BY a.completed_on DESC LIMIT 1) last ON true",
    ),
    "no_service_plan": f"""
        SELECT e.id, first.completed_on + 30, NULL::bigint {_SCOPE}
          AND first.completed_on + 30 < %(as_of)s
          AND NOT EXISTS (SELECT 1 FROM serviceplans_serviceplan sp WHERE sp.enrollment_id = e.id
                          AND sp.status IN ('active', 'superseded')
                          AND sp.approved_on <= %(as_of)s)""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN clients_program p ON p.id = e.program_id"
        " JOIN LATERAL (SELECT a.completed_on FROM serviceplans_assessment a"
        " WHERE a.enrollment_id = e.id AND a.status = 'completed'"
        " AND a.completed_on <= %(as_of)s ORDER BY a.completed_on LIMIT 1) first ON true",
    ),
    "plan_review_overdue": f"""
        SELECT e.id, GREATEST(sp.approved_on, reviewed.last) + p.plan_review_interval_days, sp.id
        {_SCOPE}
          AND GREATEST(sp.approved_on, reviewed.last) + p.plan_review_interval_days
              < %(as_of)s""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN clients_program p ON p.id = e.program_id"
        " JOIN serviceplans_serviceplan sp ON sp.enrollment_id = e.id AND sp.status = 'active'"
        " AND sp.approved_on <= %(as_of)s"
        " CROSS JOIN LATERAL (SELECT max(r.reviewed_on) AS last FROM serviceplans_planreview r"
        " WHERE r.plan_id = sp.id AND r.reviewed_on <= %(as_of)s) reviewed",
    ),
    "monitoring_gap": f"""
        SELECT e.id, COALESCE((last.occurred_at AT TIME ZONE %(tz)s)::date, e.application_date)
                     + p.max_days_between_contacts, NULL::bigint {_SCOPE}
          AND COALESCE((last.occurred_at AT TIME ZONE %(tz)s)::date, e.application_date)
              + p.max_days_between_contacts < %(as_of)s""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN clients_program p ON p.id = e.program_id"
        " LEFT JOIN LATERAL (SELECT k.occurred_at FROM clients_contact k"
        " WHERE k.enrollment_id = e.id AND k.contact_type <> 'attempted'"
        f" AND k.occurred_at < {_DAY_AFTER} ORDER BY k.occurred_at DESC LIMIT 1) last ON true",
    ),
    "referral_follow_up_overdue": f"""
        SELECT DISTINCT ON (e.id) e.id, r.follow_up_due_on, r.id {_SCOPE}
          AND r.follow_up_due_on < %(as_of)s
          AND r.status NOT IN ('engaged', 'closed', 'draft')
        ORDER BY e.id, r.follow_up_due_on, r.id""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN referrals_referral r ON r.enrollment_id = e.id",
    ),
    "consent_expiring": f"""
        SELECT DISTINCT ON (e.id) e.id, c.expires_on, c.id {_SCOPE}
          AND c.expires_on BETWEEN %(as_of)s AND %(as_of)s::date + 30
          AND (c.revoked_on IS NULL OR c.revoked_on > %(as_of)s)
          AND r.status NOT IN ('engaged', 'closed', 'draft')
        ORDER BY e.id, c.expires_on, c.id""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN referrals_referral r ON r.enrollment_id = e.id"
        " JOIN referrals_consent c ON c.id = r.consent_id",
    ),
    "risk_screen_unreviewed": f"""
        SELECT DISTINCT ON (e.id) e.id, (ra.raised_at AT TIME ZONE %(tz)s)::date, ra.id {_SCOPE}
          AND ra.raised_at < {_DAY_AFTER}
          AND (ra.reviewed_at IS NULL OR ra.reviewed_at >= {_DAY_AFTER})
        ORDER BY e.id, ra.raised_at, ra.id""".replace(
        "JOIN clients_program p ON p.id = e.program_id",
        "JOIN serviceplans_riskscreen rs ON rs.enrollment_id = e.id"
        " JOIN serviceplans_riskalert ra ON ra.risk_screen_id = rs.id",
    ),
}


def _floor_statement(rule: str, due_sql: str, *, resolution: str, subject_key: str | None) -> str:
    """Raise what is due and has no open flag, resolve the open flags no longer due: one
    statement per rule."""
    detail = (
        f"jsonb_build_object('{subject_key}', due.subject_id)" if subject_key else "NULL::jsonb"
    )
    return f"""
        WITH due (enrollment_id, due_on, subject_id) AS ({due_sql}),
        resolved AS (
            UPDATE supervision_flag f
            SET resolved_on = %(as_of)s, resolved_at = now(),
                resolution = CASE WHEN e.status = 'closed' THEN 'Enrollment closed.'
                                  ELSE %(resolution_{rule})s END
            FROM clients_enrollment e
            WHERE e.id = f.enrollment_id AND f.rule = '{rule}' AND f.resolved_on IS NULL
              AND (%(ids)s::bigint[] IS NULL OR f.enrollment_id = ANY(%(ids)s::bigint[]))
              AND NOT EXISTS (SELECT 1 FROM due WHERE due.enrollment_id = f.enrollment_id)
            RETURNING 1)
        INSERT INTO supervision_flag (enrollment_id, rule, due_on, raised_on, raised_at,
                                      resolution, detail)
        SELECT due.enrollment_id, '{rule}', due.due_on, %(as_of)s, now(), '',
               COALESCE(CASE WHEN due.subject_id IS NOT NULL THEN {detail} END, '{{}}'::jsonb)
        FROM due
        ON CONFLICT DO NOTHING
    """


def compliance_floor(*, as_of: dt.date, ids: list[int] | None) -> None:
    """The evaluation in hand-written SQL: every rule, one statement each."""
    from supervision.compliance import RULES_BY_CODE

    params: dict[str, Any] = {"as_of": as_of, "ids": ids, "tz": settings.TIME_ZONE}
    with connection.cursor() as cursor:
        for rule, due_sql in FLOOR_RULES.items():
            definition = RULES_BY_CODE[rule]
            params[f"resolution_{rule}"] = definition.resolution
            cursor.execute(
                _floor_statement(
                    rule,
                    due_sql,
                    resolution=definition.resolution,
                    subject_key=definition.subject_key,
                ),
                params,
            )


def _rolled_back(
    work: Callable[[], Any], *, setup: Callable[[], None] | None = None
) -> tuple[float, Any]:
    """Time ``work`` (after an untimed ``setup``) in a transaction that is rolled back, so
    every run starts from the same database and leaves it as it was."""
    with transaction.atomic():
        if setup is not None:
            setup()
        started = time.perf_counter()
        value = work()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, value


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cursor.fetchone()[0])


def halve_the_agency(*, as_of: dt.date) -> None:
    """An agency of half the size, for the second measurement of the compliance run: close
    the later half of the open enrollments and resolve their open flags, in the caller's
    transaction (rolled back by _rolled_back). The triggers are bypassed where allowed only
    to make this set-up quick; they are on again for what is timed."""
    replica = _is_superuser()
    with connection.cursor() as cursor:
        if replica:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "WITH later_half AS (SELECT id FROM clients_enrollment WHERE status = 'open'"
            " ORDER BY id OFFSET (SELECT count(*) / 2 FROM clients_enrollment"
            " WHERE status = 'open'))"
            " UPDATE clients_enrollment e SET status = 'closed', close_reason = 'other',"
            " closed_on = GREATEST(e.application_date, %(as_of)s)"
            " FROM later_half WHERE e.id = later_half.id",
            {"as_of": as_of},
        )
        cursor.execute(
            "UPDATE supervision_flag f SET resolved_on = %(as_of)s, resolved_at = now(),"
            " resolution = 'Enrollment closed.' FROM clients_enrollment e"
            " WHERE e.id = f.enrollment_id AND e.status = 'closed' AND f.resolved_on IS NULL",
            {"as_of": as_of},
        )
        if replica:
            cursor.execute("SET LOCAL session_replication_role TO DEFAULT")


def measure_compliance(*, as_of: dt.date, repeat: int) -> ComplianceResult:
    """The nightly run over the whole agency, and over an agency of half its size (the same
    database with half the open enrollments closed), each against its floor."""
    from supervision.compliance import compliance_evaluate

    open_count = Enrollment.objects.open().count()
    result = ComplianceResult(open_enrollments=open_count)
    if not open_count:
        return result
    sizes = (
        ("full", open_count, None, result.full),
        ("half", open_count // 2, partial(halve_the_agency, as_of=as_of), result.half),
    )
    for label, count, setup, target in sizes:
        engine, floor = [], []
        for _ in range(repeat):
            seconds, report = _rolled_back(lambda: compliance_evaluate(as_of=as_of), setup=setup)
            engine.append(seconds)
            if label == "full":
                result.raised, result.resolved = report.raised, report.resolved
            floor.append(
                _rolled_back(lambda: compliance_floor(as_of=as_of, ids=None), setup=setup)[0]
            )
        engine_s, floor_s = statistics.median(engine), statistics.median(floor)
        target.update(
            enrollments=max(count, 1),
            seconds=round(engine_s, 3),
            floor_seconds=round(floor_s, 3),
            seconds_per_10k=round(engine_s / max(count, 1) * 10_000, 3),
            floor_seconds_per_10k=round(floor_s / max(count, 1) * 10_000, 3),
        )
    if not connection.in_atomic_block:
        # The rolled-back halvings left dead rows behind: clear them for whatever runs next.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE clients_enrollment, supervision_flag")
    result.ratio = round(result.full["seconds"] / max(result.full["floor_seconds"], 1e-6), 1)
    result.growth = round(
        result.full["seconds_per_10k"] / max(result.half["seconds_per_10k"], 1e-6), 2
    )
    result.budget = {
        f"<= {MAX_RATIO:g}x floor": result.ratio <= MAX_RATIO,
        f"linear (per 10k at all <= {MAX_GROWTH:g}x at half)": result.growth <= MAX_GROWTH,
    }
    return result


# --- The run ----------------------------------------------------------------------------------


SERVER_SETTINGS = (
    "server_version",
    "shared_buffers",
    "work_mem",
    "random_page_cost",
    "jit",
    "max_parallel_workers_per_gather",
)


def server_context() -> dict[str, Any]:
    """What the figures depend on besides the code: PostgreSQL's settings and how busy the
    machine was (the load average over the last minute when the run began)."""
    context: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for name in SERVER_SETTINGS:
            cursor.execute(f"SHOW {name}")
            context[name] = cursor.fetchone()[0]
    if hasattr(os, "getloadavg"):  # not on every platform
        context["load_average_1min"] = round(os.getloadavg()[0], 2)
    context["cpus"] = os.cpu_count()
    return context


@dataclass
class BenchmarkReport:
    started_at: str
    repeat: int
    server: dict[str, Any]
    database: dict[str, int]
    subjects: dict[str, Any]
    pages: list[PageResult]
    compliance: ComplianceResult | None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for page, result in zip(data["pages"], self.pages, strict=True):
            page["passed"] = result.passed
        if self.compliance is not None:
            data["compliance"]["passed"] = self.compliance.passed
        return data


def apply_session_settings(session_settings: dict[str, str]) -> None:
    """``SET name = value`` on the connection the benchmark uses (pages and compliance), to
    compare PostgreSQL configurations, e.g. ``jit=off``; the names are checked by
    PostgreSQL, the values passed as parameters."""
    with connection.cursor() as cursor:
        for name, value in session_settings.items():
            if not name.replace("_", "").replace(".", "").isalnum():
                raise BenchmarkError(f"Not a setting name: {name!r}")
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])


def run_benchmark(
    *,
    repeat: int = 20,
    compliance_repeat: int = 3,
    compliance: bool = True,
    session_settings: dict[str, str] | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> BenchmarkReport:
    """Measure every page and the compliance evaluation against the synthetic agency."""
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
        subjects = Subjects.find()
        apply_session_settings(session_settings or {})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM clients_client),"
                " (SELECT count(*) FROM clients_enrollment WHERE status = 'open'),"
                " (SELECT count(*) FROM clients_contact)"
            )
            clients, open_enrollments, contacts = cursor.fetchone()
        report = BenchmarkReport(
            started_at=timezone.now().isoformat(timespec="seconds"),
            repeat=repeat,
            server={**server_context(), "session_settings": session_settings or {}},
            database={
                "clients": clients,
                "open_enrollments": open_enrollments,
                "contacts": contacts,
            },
            subjects={
                "duplicate_search_for": str(subjects.searched),
                "case_manager": subjects.case_manager.username,
                "supervisor": subjects.supervisor.username,
                "administrator": subjects.administrator.username,
                "team_id": subjects.team_id,
                "client_id": subjects.client.pk,
            },
            pages=[],
            compliance=None,
        )
        for case in page_cases():
            log(f"  {case.title} ...")
            report.pages.append(measure_page(case, subjects, repeat=repeat))
        if compliance:
            log("  compliance evaluation ...")
            report.compliance = measure_compliance(
                as_of=timezone.localdate(), repeat=compliance_repeat
            )
    return report


def format_report(report: BenchmarkReport) -> str:
    def num(value: float | None, digits: int = 1) -> str:
        return "-" if value is None else f"{value:,.{digits}f}"

    db, server = report.database, report.server
    lines = [
        f"{db['clients']:,} clients, {db['open_enrollments']:,} open enrollments, "
        f"{db['contacts']:,} contacts; {report.repeat} requests a page (medians, ms)",
        f"PostgreSQL {server.get('server_version')}, jit {server.get('jit')}, "
        f"random_page_cost {server.get('random_page_cost')}; {server.get('cpus')} CPUs, "
        f"load average {server.get('load_average_1min', '?')} at the start"
        + (f"; SET {server['session_settings']}" if server.get("session_settings") else ""),
        "",
        f"{'page':<36} {'median':>8} {'p95':>8} {'floor':>8} {'ratio':>6} {'db':>7} "
        f"{'db/fl':>6} {'queries':>7}  budget",
    ]
    for page in report.pages:
        if page.status != "ok":
            lines.append(f"{page.title:<36} {page.status}")
            continue
        failed = [name for name, ok in page.budget.items() if not ok]
        if not page.budget:
            verdict = "reference, not judged"
        else:
            verdict = "pass" if not failed else "FAIL: " + "; ".join(failed)
        lines.append(
            f"{page.title:<36} {num(page.median_ms):>8} {num(page.p95_ms):>8} "
            f"{num(page.floor_ms, 2):>8} {num(page.ratio):>6} {num(page.db_ms):>7} "
            f"{num(page.db_ratio):>6} {page.queries:>7}  {verdict}"
        )
    c = report.compliance
    if c is not None and c.full:
        failed = [name for name, ok in c.budget.items() if not ok]
        lines += [
            "",
            f"Compliance evaluation over {c.open_enrollments:,} open enrollments "
            f"(raised {c.raised:,}, resolved {c.resolved:,}; rolled back):",
            f"  all:  {c.full['seconds']:.2f} s, floor {c.full['floor_seconds']:.2f} s, "
            f"{c.full['seconds_per_10k']:.3f} s per 10,000 (floor "
            f"{c.full['floor_seconds_per_10k']:.3f})",
            f"  half: {c.half['seconds']:.2f} s, floor {c.half['floor_seconds']:.2f} s, "
            f"{c.half['seconds_per_10k']:.3f} s per 10,000 (floor "
            f"{c.half['floor_seconds_per_10k']:.3f})",
            f"  ratio {c.ratio}x, growth {c.growth}x: "
            + ("pass" if not failed else "FAIL: " + "; ".join(failed)),
        ]
    return "\n".join(lines)


def write_json(report: BenchmarkReport, path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(report.to_json(), out, indent=2, default=str)
        out.write("\n")
