"""manage.py evaluate_compliance [--as-of YYYY-MM-DD] [--enrollment ID] [--dry-run]

For operators: run the compliance evaluation (supervision.compliance.compliance_evaluate) now,
or for one enrollment, and print the flags raised and resolved per rule, and those an approved
variance suppressed. As of another day it only reports (--dry-run is required): the flags that
would have been open then, read from the records as they stood that day; stored flags are
today's and are neither changed nor compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casemgmt.dates import today
from supervision.compliance import EvaluationReport, compliance_evaluate


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Raise and resolve compliance flags; print the counts per rule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", help="Evaluate as of this date (YYYY-MM-DD); today by default."
        )
        parser.add_argument(
            "--enrollment", type=int, action="append", help="Only this enrollment (repeatable)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what is due; write no flags."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else today()
        if as_of != today() and not options["dry_run"]:
            raise CommandError(
                f"--as-of {as_of:%Y-%m-%d} is not today ({today():%Y-%m-%d}): an evaluation "
                "as of another day would resolve and raise today's flags with reasons that "
                "were not true. Add --dry-run to see what was open then."
            )
        report = compliance_evaluate(
            as_of=as_of, enrollment_ids=options["enrollment"], dry_run=options["dry_run"]
        )
        if report.compared_with_stored_flags:
            self._write_changes(report)
        else:
            self._write_open_then(report)

    def _write_changes(self, report: EvaluationReport) -> None:
        verb = "would be" if report.dry_run else "were"
        self.stdout.write(
            f"Compliance as of {report.as_of:%Y-%m-%d}{' (dry run)' if report.dry_run else ''}:"
        )
        width = max(len(code) for code in report.counts)
        for code, counts in report.counts.items():
            self.stdout.write(
                f"  {code:<{width}}  raised {counts.raised:>5}  resolved {counts.resolved:>5}"
                f"  open {counts.open:>5}  suppressed {counts.suppressed:>5}"
            )
        self.stdout.write(f"{report.raised} flags {verb} raised, {report.resolved} resolved.")
        self.stdout.write(f"{report.suppressed} {verb} suppressed by approved variances.")

    def _write_open_then(self, report: EvaluationReport) -> None:
        day = f"{report.as_of:%Y-%m-%d}"
        self.stdout.write(
            f"Compliance as of {day} (dry run, from the records as they stood then; today's "
            "flags are not compared):"
        )
        width = max(len(code) for code in report.counts)
        for code, counts in report.counts.items():
            self.stdout.write(
                f"  {code:<{width}}  open then {counts.open:>5}  suppressed {counts.suppressed:>5}"
            )
        self.stdout.write(f"{report.open} flags would have been open on {day}.")
        self.stdout.write(f"{report.suppressed} were suppressed by approved variances then.")
