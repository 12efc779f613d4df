"""A passkey as a person meets it, with Chromium's virtual authenticator (DevTools protocol,
WebAuthn domain) standing in for a laptop's screen lock: logged in with the password and a
code, they add a passkey on their account page, log out, and log in again with the password
and the passkey.

A WebAuthn relying party is a host name, never an IP address, so the live server is reached
as ``localhost`` (settings.WEBAUTHN_RP_ID's default), whatever address it listens on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import CDPSession, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import Passkey, User
from tests.e2e.conftest import authenticator_code
from tests.factories import PASSWORD


@pytest.fixture
def site(live_server: LiveServer, settings: Any) -> str:
    """The live server's origin with ``localhost`` as its host."""
    port = urlsplit(live_server.url).port
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings.WEBAUTHN_RP_ID = "localhost"
    return f"http://localhost:{port}"


@pytest.fixture
def virtual_authenticator(page: Page) -> Iterator[tuple[CDPSession, str]]:
    """A platform authenticator (like a laptop's fingerprint reader) that keeps discoverable
    credentials and verifies its user without asking."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield cdp, added["authenticatorId"]
    cdp.send("WebAuthn.disable")


def _password(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_person_adds_a_passkey_and_logs_in_with_it(
    page: Page, site: str, alice: User, virtual_authenticator: tuple[CDPSession, str]
) -> None:
    cdp, authenticator_id = virtual_authenticator
    code = authenticator_code("alice")
    _password(page, site, "alice")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    page.goto(f"{site}/accounts/account/")
    page.get_by_label("Name of the new passkey").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Passkey “Work laptop” added")).to_be_visible()
    expect(page.locator("#passkeys")).to_contain_text("Work laptop")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1
    assert Passkey.objects.filter(user=alice, name="Work laptop").exists()

    page.get_by_role("button", name="Log out").click()
    _password(page, site, "alice")
    expect(page.get_by_role("heading", name="Code from your authenticator")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    assert Passkey.objects.get(user=alice).last_used_at is not None
