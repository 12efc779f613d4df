"""``manage.py seed_scale --clients N``: a synthetic agency of N clients, bulk-loaded.

For measuring, never for real records: it refuses a database that holds any client that is
not synthetic (see devtools.scale.agency, which does the work and says what it loads and
why it bypasses the history triggers).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.scale.agency import SeedRefused, agency_fingerprint, seed_scale
from devtools.scale.size import DEFAULT_CONTACTS_PER_CLIENT, SCALE_PASSWORD


class Command(BaseCommand):
    help = "Load a synthetic agency of N clients (COPY) into a database without real clients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, required=True, help="Number of clients.")
        parser.add_argument(
            "--contacts-per-client",
            type=int,
            default=DEFAULT_CONTACTS_PER_CLIENT,
            help=f"Average contacts per client (default {DEFAULT_CONTACTS_PER_CLIENT}).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--no-evaluate",
            action="store_true",
            help="Do not run the compliance evaluation (the flags) after the load.",
        )
        parser.add_argument(
            "--fingerprint", action="store_true", help="Print the agency's fingerprint too."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Loading a synthetic agency of {options['clients']:,} clients ...")
        try:
            report = seed_scale(
                clients=options["clients"],
                contacts_per_client=options["contacts_per_client"],
                seed=options["seed"],
                evaluate=not options["no_evaluate"],
                log=self.stdout.write,
            )
        except SeedRefused as refused:
            raise CommandError(str(refused)) from refused
        for name, count in report.counts.items():
            self.stdout.write(f"{name:>28}: {count:,}")
        self.stdout.write(f"History triggers: {report.history}.")
        self.stdout.write(
            self.style.SUCCESS(f"Loaded in {report.seconds['load']:.1f} s")
            + " (one transaction, COPY; the compliance evaluation after it is timed apart)."
        )
        self.stdout.write(
            f"Logins: syn-cm-0001 ... (case managers), syn-sup-001 ... (supervisors), "
            f"syn-admin-1, syn-qa-1; password {SCALE_PASSWORD}."
        )
        if options["fingerprint"]:
            self.stdout.write(f"Fingerprint: {agency_fingerprint()['all']}")
