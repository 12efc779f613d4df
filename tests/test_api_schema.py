"""The OpenAPI schema and its docs page, and that the schema generates without warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_serves_the_schema(client: HttpClient, alice: User) -> None:
    client.force_login(alice)
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/contacts/{id}/addendum/" in response.json()["paths"]


def test_it_serves_the_docs_page(client: HttpClient, alice: User) -> None:
    client.force_login(alice)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200


def test_it_generates_a_valid_schema_without_warnings(tmp_path: Path) -> None:
    schema_file = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))
    assert "/api/v1/enrollments/{id}/transfer/:" in schema_file.read_text()
