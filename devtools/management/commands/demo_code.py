"""``manage.py demo_code <username>``: the code a demo login's authenticator shows now, for a
newcomer without an authenticator app. Development only (``DEBUG=1``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from devtools.demo.second_factor import current_code


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo login (DEBUG=1 only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_code gives a second factor away: DEBUG=1 only.")
        try:
            self.stdout.write(current_code(username))
        except TOTPDevice.DoesNotExist as missing:
            raise CommandError(f"{username} has no authenticator (run seed_demo).") from missing
