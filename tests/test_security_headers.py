"""Security headers (issue 13): a Content-Security-Policy with no inline script or style,
``Cache-Control: no-store`` on what carries client data, HTTPS redirect and HSTS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import User
from clients.models import Client

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Rendered to PDF by WeasyPrint on the server, never served as a page.
PDF_TEMPLATES = {"referrals/referral_packet.html", "serviceplans/plan_pdf.html"}


def _policy(response: HttpResponse) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


def test_a_page_allows_scripts_and_styles_from_the_site_only(
    client: HttpClient, alice: User
) -> None:
    client.force_login(alice)
    policy = _policy(client.get(reverse("home"), follow=True))
    assert (policy["script-src"], policy["style-src"]) == (["'self'"], ["'self'"])


def test_a_page_may_not_be_framed(client: HttpClient) -> None:
    policy = _policy(client.get(reverse("accounts:login")))
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_client_page_is_not_stored_by_the_browser(
    client: HttpClient, alice: User, client_record: Client
) -> None:
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[client_record.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_api_answer_is_not_stored(
    client: HttpClient, alice: User, client_record: Client
) -> None:
    client.force_login(alice)
    response = client.get(f"/api/v1/clients/{client_record.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_export_is_not_stored(client: HttpClient, alice: User, client_record: Client) -> None:
    client.force_login(alice)
    response = client.get(reverse("reports:activity"), {"format": "csv"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_api_docs_load_their_script_from_a_url(client: HttpClient, alice: User) -> None:
    client.force_login(alice)
    page = client.get(reverse("api-docs")).content.decode()
    script = client.get(reverse("api-docs"), {"script": ""})
    assert re.findall(r"<script>", page) == []
    assert script["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize(
    "path",
    sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if str(p.relative_to(TEMPLATES)) not in PDF_TEMPLATES
    ),
)
def test_no_template_has_an_inline_script_or_style(path: str) -> None:
    """The policy would refuse them: scripts come from static/, data for them travels in
    json_script blocks (type application/json, never run), styles from casework.css."""
    text = (TEMPLATES / path).read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == []
    assert re.findall(r"<style\b|\sstyle=\"|\son[a-z]+=\"", text) == []


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https(client: HttpClient) -> None:
    response = client.get(reverse("accounts:login"))
    assert (response.status_code, response["Location"][:8]) == (301, "https://")


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_health_check_is_not_redirected(client: HttpClient) -> None:
    """The load balancer asks /health/ over plain HTTP (its page comes with issue 15)."""
    assert client.get("/health/").status_code != 301


@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_SSL_REDIRECT=True)
def test_https_answers_carry_hsts(client: HttpClient) -> None:
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
