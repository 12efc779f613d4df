"""What a benchmark run found, as a table for the terminal and as JSON."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection

from devtools.benchmark.compliance import ComplianceResult
from devtools.benchmark.pages import PageResult

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


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _verdict(budget: dict[str, bool]) -> str:
    failed = [name for name, ok in budget.items() if not ok]
    return "pass" if not failed else "FAIL: " + "; ".join(failed)


def _heading(report: BenchmarkReport) -> list[str]:
    db, server = report.database, report.server
    return [
        f"{db['clients']:,} clients, {db['open_enrollments']:,} open enrollments, "
        f"{db['contacts']:,} contacts; {report.repeat} requests a page (medians, ms)",
        f"PostgreSQL {server.get('server_version')}, jit {server.get('jit')}, "
        f"random_page_cost {server.get('random_page_cost')}; {server.get('cpus')} CPUs, "
        f"load average {server.get('load_average_1min', '?')} at the start"
        + (f"; SET {server['session_settings']}" if server.get("session_settings") else ""),
        "",
        f"{'page':<36} {'median':>8} {'p95':>8} {'floor':>8} {'db':>7} {'db/fl':>6} "
        f"{'python':>7} {'py/ref':>6} {'queries':>7}  budget",
    ]


def _page_line(page: PageResult) -> str:
    if page.status != "ok":
        return f"{page.title:<36} {page.status}"
    verdict = _verdict(page.budget) if page.budget else "reference, not judged"
    return (
        f"{page.title:<36} {_num(page.median_ms):>8} {_num(page.p95_ms):>8} "
        f"{_num(page.floor_ms, 2):>8} {_num(page.db_ms, 2):>7} {_num(page.db_ratio):>6} "
        f"{_num(page.python_ms):>7} {_num(page.python_ratio):>6} {page.queries:>7}  {verdict}"
    )


def _compliance_lines(c: ComplianceResult) -> list[str]:
    return [
        "",
        f"Compliance evaluation over {c.open_enrollments:,} open enrollments "
        f"(raised {c.raised:,}, resolved {c.resolved:,}; rolled back):",
        f"  all:  {c.full['seconds']:.2f} s, floor {c.full['floor_seconds']:.2f} s, "
        f"{c.full['seconds_per_10k']:.3f} s per 10,000 (floor "
        f"{c.full['floor_seconds_per_10k']:.3f})",
        f"  half: {c.half['seconds']:.2f} s, floor {c.half['floor_seconds']:.2f} s, "
        f"{c.half['seconds_per_10k']:.3f} s per 10,000 (floor "
        f"{c.half['floor_seconds_per_10k']:.3f})",
        f"  ratio {c.ratio}x, growth {c.growth}x: " + _verdict(c.budget),
    ]


def format_report(report: BenchmarkReport) -> str:
    """The table printed by ``manage.py benchmark`` (the README's Performance section)."""
    lines = _heading(report) + [_page_line(page) for page in report.pages]
    if report.compliance is not None and report.compliance.full:
        lines += _compliance_lines(report.compliance)
    return "\n".join(lines)


def write_json(report: BenchmarkReport, path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(report.to_json(), out, indent=2, default=str)
        out.write("\n")
