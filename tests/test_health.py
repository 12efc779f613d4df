"""``/health/``, the load balancer's check (casemgmt.health)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PROJECT = Path(__file__).resolve().parent.parent
# A port nothing listens on: the database is down for real.
CLOSED_PORT_DATABASE_URL = "postgres://casework@127.0.0.1:1/casemgmt"


@pytest.mark.django_db
def test_it_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/health/")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "up"})


@pytest.mark.django_db
def test_it_asks_the_database_once_and_reads_no_session(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/")
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    assert response.cookies == {}


@pytest.mark.django_db
def test_it_answers_over_plain_http_with_the_https_redirect_on(client: Client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


@pytest.mark.django_db
def test_it_refuses_a_write(client: Client) -> None:
    assert client.post("/health/").status_code == 405


def test_it_answers_503_when_the_database_is_down() -> None:
    probe = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/health/'); print(json.dumps([r.status_code, r.json()]))"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "casemgmt.settings",
            "DATABASE_URL": CLOSED_PORT_DATABASE_URL,
            "DATABASE_OWNER_URL": CLOSED_PORT_DATABASE_URL,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        503,
        {"status": "unavailable", "database": "down"},
    ], result.stderr
