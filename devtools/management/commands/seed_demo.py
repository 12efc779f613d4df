"""``manage.py seed_demo``: the demo agency (devtools.demo.agency says what it holds and
why a second run changes nothing), the table of demo logins, and their authenticators (their
keys printed with DEBUG=1 only: devtools.demo.second_factor)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from accounts.models import Region, Team, User
from clients.models import Client, Contact, Enrollment, FamilyMember, Program
from devtools.demo.agency import seed_demo_agency
from devtools.demo.second_factor import ensure_demo_authenticators, write_demo_authenticators
from devtools.demo.staff import write_demo_logins
from supervision.models import Flag


class Command(BaseCommand):
    help = "Create the demo agency (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        created = seed_demo_agency()
        ensure_demo_authenticators()
        elapsed = time.monotonic() - started
        if created.clients or created.staff or created.programs:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo agency seeded in {elapsed:.1f} s: {created.staff} staff, "
                    f"{created.programs} programs, {created.clients} clients, "
                    f"{created.family_members} family members, {created.enrollments} "
                    f"enrollments, {created.contacts} contacts created."
                )
            )
        else:
            self.stdout.write("Demo agency already present; nothing to create.")
        self.stdout.write(
            f"In the database: {Region.objects.count()} regions, {Team.objects.count()} teams, "
            f"{User.objects.count()} staff, {Program.objects.count()} programs, "
            f"{Client.objects.count()} clients, {FamilyMember.objects.count()} family members, "
            f"{Enrollment.objects.count()} enrollments "
            f"({Enrollment.objects.open().count()} open), {Contact.objects.count()} contacts, "
            f"{Flag.objects.open().count()} open compliance flags."
        )
        write_demo_logins(self.stdout, self.style)
        write_demo_authenticators(self.stdout, self.style)
