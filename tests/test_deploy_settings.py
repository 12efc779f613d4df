"""Production settings, from the environment alone, pass ``manage.py check --deploy``; unsafe
ones fail it, and the WSGI entry point (gunicorn's) refuses to serve with them
(casemgmt.checks)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test.utils import override_settings

from casemgmt.checks import unsafe_settings

PROJECT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "production-secret-that-is-long-and-random-enough-" + "x" * 20,
    "AUDIT_KEY": "a" * 20 + "production-audit-key-that-is-long-and-random-" + "z" * 20,
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1wcm9kdWN0aW9uLWZpZWxkLWtleS0zMi1ieXQ=",
    "FIELD_LOOKUP_KEY": "l" * 20 + "production-lookup-key-that-is-long-and-random-" + "m" * 20,
    "ALLOWED_HOSTS": "casework.example.org",
    "SECURE_COOKIES": "1",
}
SERVE = "import casemgmt.wsgi; print('serving')"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests relax Django's async-safety check while Chromium runs in-process.
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env={**environment, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    return _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


def test_it_passes_the_deployment_checks() -> None:
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_https_redirect_and_hsts_are_on_with_secure_cookies() -> None:
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS)",
        ],
        DJANGO_SETTINGS_MODULE="casemgmt.settings",
    )
    assert result.stdout.split() == ["True", "31536000"], result.stderr


def test_the_deployment_checks_fail_on_the_development_key() -> None:
    result = _check_deploy(SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY)
    assert result.returncode != 0
    assert "casemgmt.E001" in result.stderr


def test_the_deployment_checks_fail_over_plain_http() -> None:
    result = _check_deploy(SECURE_COOKIES="0")
    assert result.returncode != 0
    assert "casemgmt.E003" in result.stderr


def test_the_wsgi_entry_point_serves_with_production_settings() -> None:
    result = _run(["-c", SERVE])
    assert result.stdout.strip() == "serving", result.stderr


def test_the_wsgi_entry_point_refuses_the_development_key() -> None:
    result = _run(["-c", SERVE], SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


@pytest.mark.parametrize(
    ("changed", "check_id"),
    [
        ({"ALLOWED_HOSTS": []}, "casemgmt.E002"),
        ({"SESSION_COOKIE_SECURE": False}, "casemgmt.E003"),
        ({"SECURE_SSL_REDIRECT": False}, "casemgmt.E003"),
        ({"SECURE_HSTS_SECONDS": 0}, "casemgmt.E003"),
        ({"AUDIT_KEY": settings.DEVELOPMENT_AUDIT_KEY}, "casemgmt.E004"),
        ({"FIELD_LOOKUP_KEY": settings.DEVELOPMENT_FIELD_LOOKUP_KEY}, "casemgmt.E005"),
        (
            {"FIELD_ENCRYPTION_KEYS": [settings.DEVELOPMENT_FIELD_ENCRYPTION_KEY]},
            "casemgmt.E005",
        ),
    ],
)
def test_each_unsafe_setting_is_named(changed: dict[str, object], check_id: str) -> None:
    safe = {
        "DEBUG": False,
        "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"],
        "AUDIT_KEY": PRODUCTION_ENV["AUDIT_KEY"],
        "FIELD_ENCRYPTION_KEYS": [PRODUCTION_ENV["FIELD_ENCRYPTION_KEYS"]],
        "FIELD_LOOKUP_KEY": PRODUCTION_ENV["FIELD_LOOKUP_KEY"],
        "ALLOWED_HOSTS": ["casework.example.org"],
        "SESSION_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
    }
    with override_settings(**{**safe, **changed}):
        assert [found for found, _ in unsafe_settings()] == [check_id]


@override_settings(
    DEBUG=False,
    SECRET_KEY=PRODUCTION_ENV["SECRET_KEY"],
    AUDIT_KEY=PRODUCTION_ENV["AUDIT_KEY"],
    FIELD_ENCRYPTION_KEYS=[PRODUCTION_ENV["FIELD_ENCRYPTION_KEYS"]],
    FIELD_LOOKUP_KEY=PRODUCTION_ENV["FIELD_LOOKUP_KEY"],
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    SESSION_COOKIE_SECURE=False,
    SECURE_SSL_REDIRECT=False,
    SECURE_HSTS_SECONDS=0,
)
def test_a_server_answering_loopback_only_may_use_plain_http() -> None:
    assert unsafe_settings() == []


@override_settings(DEBUG=True, ALLOWED_HOSTS=[])
def test_development_is_not_refused() -> None:
    assert unsafe_settings() == []
