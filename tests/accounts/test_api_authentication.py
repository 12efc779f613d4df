"""How the API knows who is asking: the session of a login that passed the second factor, and
nothing else. HTTP Basic would reach the records with a password alone (issue 13)."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import Client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"


def basic_credentials(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_it_refuses_valid_basic_credentials(
    api: APIClient, alice: User, client_record: Client
) -> None:
    response = api.get(CLIENTS, HTTP_AUTHORIZATION=basic_credentials("alice", PASSWORD))
    assert response.status_code in {401, 403}


def test_it_returns_no_data_for_valid_basic_credentials(
    api: APIClient, alice: User, client_record: Client
) -> None:
    response = api.get(CLIENTS, HTTP_AUTHORIZATION=basic_credentials("alice", PASSWORD))
    assert set(response.json()) == {"detail"}
    assert client_record.last_name not in response.content.decode()


def test_it_answers_the_session_of_a_login_that_passed_the_second_factor(
    api: APIClient, alice: User, client_record: Client
) -> None:
    api.force_login(alice)
    assert api.get(CLIENTS).status_code == 200
