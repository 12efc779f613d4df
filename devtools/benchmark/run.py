"""``run_benchmark``: every page and the compliance evaluation against the synthetic agency."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from casemgmt.dates import today
from devtools.benchmark.compliance import measure_compliance
from devtools.benchmark.pages import judge, measure_page, page_cases
from devtools.benchmark.report import BenchmarkReport, server_context
from devtools.benchmark.subjects import BenchmarkError, Subjects


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
    # One user asks each page dozens of times a minute: the rate limits would answer 429.
    unlimited = {"SEARCH_RATE_LIMIT_PER_MINUTE": 1_000_000, "API_RATE_LIMIT": "1000000/minute"}
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, **unlimited):
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
        cases = page_cases()
        for case in cases:
            log(f"  {case.title} ...")
            report.pages.append(measure_page(case, subjects, repeat=repeat))
        judge(cases, report.pages)
        if compliance:
            log("  compliance evaluation ...")
            report.compliance = measure_compliance(as_of=today(), repeat=compliance_repeat)
    return report
