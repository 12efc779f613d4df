"""``manage.py rotate_field_keys``: every client's encrypted numbers re-encrypted under the
first of FIELD_ENCRYPTION_KEYS, their lookup hashes recomputed under FIELD_LOOKUP_KEY
(clients.encryption). Run after putting a new key first; then drop the old one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from clients.services import encrypted_numbers_rotate


class Command(BaseCommand):
    help = "Re-encrypt the clients' Social Security and Medicaid numbers under the first key."

    def handle(self, *args: Any, **options: Any) -> None:
        rewritten = encrypted_numbers_rotate()
        self.stdout.write(f"{rewritten} clients' numbers re-encrypted under the first key.")
