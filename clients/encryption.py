"""Sensitive identifiers encrypted at rest (issue 13): a client's Social Security and Medicaid
numbers are stored as Fernet tokens (AES-128-CBC with HMAC-SHA256, `cryptography`), under
keys from the environment, never in the database. HIPAA 45 CFR 164.312(a)(2)(iv), encryption
and decryption; 42 CFR 2.16, security of records.

- ``FIELD_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts (MultiFernet), so a
  new key is put first, ``manage.py rotate_field_keys`` re-encrypts every value with it, and
  the old key is then dropped.
- An exact search finds a number by its keyed hash (HMAC-SHA256 under ``FIELD_LOOKUP_KEY``,
  over the number without spaces or dashes), stored beside it: the database can match a
  number typed in full without holding it.

Everything else of the record is protected by the access gate, the database's own access
control and the disk encryption of the PostgreSQL volume, which is the deployment's job.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def reencrypt(token: str) -> str:
    """The same value under the first key (key rotation)."""
    return _fernet().rotate(token.encode()).decode()


def normalized(value: str) -> str:
    """A number as it is hashed and compared: letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def lookup_hash(value: str) -> str:
    """The keyed hash an exact search compares (empty for an empty value)."""
    number = normalized(value)
    if not number:
        return ""
    key = settings.FIELD_LOOKUP_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored encrypted (``encrypt``), read back in clear; empty stays empty. Only its
    keyed hash beside it can be searched."""

    description = "Text encrypted with the field encryption keys"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
