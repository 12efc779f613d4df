"""Django's ``flush``, as the tables' owner: the app's role may not ``TRUNCATE``
(casemgmt.database_roles). The test suite's transactional tests end with it."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from casemgmt.database_roles import connected_as


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with connected_as("owner", options["database"]):
            super().handle(**options)
