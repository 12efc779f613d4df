"""``manage.py benchmark [--json FILE] [--repeat R]``: the pages and the nightly compliance
evaluation against the synthetic agency of ``seed_scale``, each beside its SQL floor and
budget (devtools.benchmark says what is measured and how)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.benchmark.report import BenchmarkReport, format_report, write_json
from devtools.benchmark.run import run_benchmark
from devtools.benchmark.subjects import BenchmarkError


class Command(BaseCommand):
    help = "Time pages and the compliance evaluation against their SQL floors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", metavar="FILE", help="Also write the figures as JSON.")
        parser.add_argument(
            "--repeat", type=int, default=20, help="Timed requests per page (default 20)."
        )
        parser.add_argument(
            "--compliance-repeat",
            type=int,
            default=3,
            help="Timed runs of the compliance evaluation and of its floor (default 3).",
        )
        parser.add_argument("--skip-compliance", action="store_true", help="Time the pages only.")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A PostgreSQL setting for the benchmark's connection, e.g. --set jit=off "
            "(repeatable), to compare server configurations.",
        )
        parser.add_argument(
            "--fail-over-budget",
            action="store_true",
            help="Exit with an error when a figure misses its budget (off by default: CI runs "
            "the benchmark at a small N, where times are not judged).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["repeat"] < 1 or options["compliance_repeat"] < 1:
            raise CommandError("--repeat and --compliance-repeat must be at least 1.")
        session_settings = _session_settings(options["set"])
        try:
            report = run_benchmark(
                repeat=options["repeat"],
                compliance_repeat=options["compliance_repeat"],
                compliance=not options["skip_compliance"],
                session_settings=session_settings,
                log=self.stderr.write,
            )
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(format_report(report))
        if options["json"]:
            write_json(report, options["json"])
            self.stdout.write(f"Wrote {options['json']}.")
        missed = _missed(report)
        if missed and options["fail_over_budget"]:
            raise CommandError(f"Over budget or not measured: {', '.join(missed)}.")


def _session_settings(pairs: list[str]) -> dict[str, str]:
    """``--set NAME=VALUE`` options as a dict."""
    session_settings = {}
    for setting in pairs:
        name, equals, value = setting.partition("=")
        if not equals or not name.strip():
            raise CommandError(f"--set takes NAME=VALUE, not {setting!r}.")
        session_settings[name.strip()] = value.strip()
    return session_settings


def _missed(report: BenchmarkReport) -> list[str]:
    """What missed its budget or was not measured: pages by key, and the compliance run."""
    missed = [p.key for p in report.pages if not p.passed]
    if report.compliance is not None and not report.compliance.passed:
        missed.append("compliance")
    return missed
