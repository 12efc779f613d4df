"""``manage.py create_database_roles --superuser-url URL``: create the two login roles that
``DATABASE_OWNER_URL`` and ``DATABASE_URL`` name, where they are missing, with the passwords the
URLs carry (casemgmt.database_roles). Run once per server by someone who may create roles: CI
does, with the server's superuser; in production, a database administrator may instead create
them by hand (README, Database roles)."""

from __future__ import annotations

from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from casemgmt.database_roles import create_roles


class Command(BaseCommand):
    help = "Create the database roles of DATABASE_OWNER_URL and DATABASE_URL (as a superuser)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--superuser-url",
            required=True,
            help="A connection that may create roles, e.g. postgres://postgres@host/postgres",
        )

    def handle(self, *args: Any, superuser_url: str, **options: Any) -> None:
        roles = settings.DATABASE_ROLES
        if roles["app"]["USER"] == roles["owner"]["USER"]:
            raise CommandError("Set DATABASE_OWNER_URL to a role other than DATABASE_URL's.")
        with psycopg.connect(superuser_url, autocommit=True) as superuser:
            create_roles(superuser, owner=roles["owner"], app=roles["app"])
        self.stdout.write(
            f"Roles ready: owner {roles['owner']['USER']}, app {roles['app']['USER']}."
        )
