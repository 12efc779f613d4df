"""``manage.py verify_audit [--no-seal]``: seal what is new, then check the audit chain
(audit.selectors.audit_verify); print the first break and exit with status 1 if there is
one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.selectors import audit_verify
from audit.services import audit_seal


class Command(BaseCommand):
    help = "Check the audit chain over the access log, the history and the disclosures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Verify only, without sealing new rows first (e.g. on a restored backup).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            sealed = audit_seal()
            if sealed.busy:
                self.stdout.write("Another run is sealing; verifying what is sealed so far.")
            self.stdout.write(f"Sealed {sealed.rows} new rows in {len(sealed.seals)} seals.")
            if sealed.deferred:
                self.stdout.write(
                    "Left for the next run (a transaction still open): "
                    + ", ".join(sealed.deferred)
                )
        report = audit_verify()
        if report.first_break is not None:
            raise CommandError(
                f"The audit chain is broken after {report.seals} intact seals: {report.first_break}"
            )
        self.stdout.write(
            f"The audit chain is intact: {report.seals} seals over {report.rows} rows."
        )
        if report.last_seal_id is not None:
            self.stdout.write(f"Newest seal: {report.last_seal_id}, digest {report.last_digest}.")
