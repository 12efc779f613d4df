"""``manage.py grant_app_privileges``: give the app's database role what it needs on every
table and no more (casemgmt.database_roles). ``migrate`` does it too; run it after restoring a
backup or changing the app role. Runs as the owner (``DATABASE_OWNER_URL``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from casemgmt.database_roles import grant_app_privileges


class Command(BaseCommand):
    help = "Grant the app's database role (DATABASE_URL) its privileges, as the tables' owner."

    def handle(self, *args: Any, **options: Any) -> None:
        app_role = settings.DATABASE_ROLES["app"]["USER"]
        if grant_app_privileges(connection):
            self.stdout.write(f"Privileges granted to {app_role}.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"DATABASE_URL and DATABASE_OWNER_URL are one role ({app_role}): nothing to"
                    " grant. Production needs two (README, Database roles)."
                )
            )
