"""manage.py evaluate_compliance [--as-of YYYY-MM-DD] [--enrollment ID] [--dry-run]

For operators: run the compliance evaluation (supervision.compliance.compliance_evaluate) now,
for one enrollment, or as of a past date without writing anything (--dry-run), and print the
flags raised and resolved per rule, and those an approved variance suppressed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casemgmt.dates import today
from supervision.compliance import compliance_evaluate


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
        report = compliance_evaluate(
            as_of=as_of, enrollment_ids=options["enrollment"], dry_run=options["dry_run"]
        )
        verb = "would be" if report.dry_run else "were"
        self.stdout.write(
            f"Compliance as of {as_of:%Y-%m-%d}{' (dry run)' if report.dry_run else ''}:"
        )
        width = max(len(code) for code in report.counts)
        for code, counts in report.counts.items():
            self.stdout.write(
                f"  {code:<{width}}  raised {counts.raised:>5}  resolved {counts.resolved:>5}"
                f"  open {counts.open:>5}  suppressed {counts.suppressed:>5}"
            )
        self.stdout.write(f"{report.raised} flags {verb} raised, {report.resolved} resolved.")
        self.stdout.write(f"{report.suppressed} {verb} suppressed by approved variances.")
