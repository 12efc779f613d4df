"""Settings no agency may serve client records with (issue 13): with ``DEBUG`` off, the
development ``SECRET_KEY`` (anyone with the source could forge sessions and password-reset
links), the development ``AUDIT_KEY`` (anyone with the source could reseal a rewritten audit
log: HIPAA 45 CFR 164.312(c)(1), integrity), an empty ``ALLOWED_HOSTS``, or plain HTTP
(cookies sent in clear, no redirect, no HSTS: HIPAA 45 CFR 164.312(e)(1), transmission
security).

``manage.py check --deploy`` reports them as errors (``casemgmt.E001`` the key, ``E002`` the
hosts, ``E003`` HTTPS, ``E004`` the audit key, ``E005`` the field encryption and lookup
keys), and the WSGI entry
point refuses to start (``refuse_unsafe_settings``), since gunicorn does not run Django's
checks. A server whose ``ALLOWED_HOSTS`` are all loopback names answers no one else, so it
may speak plain HTTP (the load test on 127.0.0.1 does); its key must still be its own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


# The keys that must be the deployment's own: (check id, setting, its development value).
_OWN_KEYS = (
    ("casemgmt.E001", "SECRET_KEY", "DEVELOPMENT_SECRET_KEY"),
    ("casemgmt.E004", "AUDIT_KEY", "DEVELOPMENT_AUDIT_KEY"),
    ("casemgmt.E005", "FIELD_LOOKUP_KEY", "DEVELOPMENT_FIELD_LOOKUP_KEY"),
)


def _development_keys() -> list[tuple[str, str]]:
    problems = [
        (check_id, f"{name} is the development key: set a long random {name}.")
        for check_id, name, development in _OWN_KEYS
        if getattr(settings, name) == getattr(settings, development)
    ]
    if settings.DEVELOPMENT_FIELD_ENCRYPTION_KEY in settings.FIELD_ENCRYPTION_KEYS:
        problems.append(
            (
                "casemgmt.E005",
                "FIELD_ENCRYPTION_KEYS holds the development key: generate a Fernet key.",
            )
        )
    return problems


def _plain_http() -> list[tuple[str, str]]:
    """A server answering more than loopback names must speak HTTPS only."""
    if set(settings.ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
        return []
    problems = []
    if not settings.SESSION_COOKIE_SECURE:
        problems.append(
            ("casemgmt.E003", "SECURE_COOKIES is off: set SECURE_COOKIES=1 (HTTPS only).")
        )
    if not settings.SECURE_SSL_REDIRECT:
        problems.append(
            ("casemgmt.E003", "SECURE_SSL_REDIRECT is off: plain HTTP must redirect to HTTPS.")
        )
    if not settings.SECURE_HSTS_SECONDS:
        problems.append(
            ("casemgmt.E003", "SECURE_HSTS_SECONDS is 0: browsers must be told to use HTTPS.")
        )
    return problems


def unsafe_settings() -> list[tuple[str, str]]:
    """What is unsafe about the settings for serving, as (check id, the fix to make); nothing
    with ``DEBUG`` on (development)."""
    if settings.DEBUG:
        return []
    problems = _development_keys()
    if not settings.ALLOWED_HOSTS:
        problems.append(
            ("casemgmt.E002", "ALLOWED_HOSTS is empty: list the host names the app is reached by.")
        )
    return problems + _plain_http()


@register(Tags.security, deploy=True)
def check_production_settings(**kwargs: Any) -> list[CheckMessage]:
    return [
        Error(problem, hint="See the README's settings table.", id=check_id)
        for check_id, problem in unsafe_settings()
    ]


def refuse_unsafe_settings() -> None:
    """Called by the WSGI entry point before it serves a request."""
    problems = [problem for _, problem in unsafe_settings()]
    if problems:
        raise ImproperlyConfigured(
            "Casework refuses to serve with these settings:\n  " + "\n  ".join(problems)
        )
