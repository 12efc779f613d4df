"""Passwords set in the admin, the one place the app sets them: an administrator setting a
colleague's password, or adding a colleague. A password the validators refuse is shown on
the form, in plain words, and nothing is saved."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import Role, User
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REFUSED = "This password contains the first name and the last name."


@pytest.fixture
def alex(db: None) -> User:
    return factories.CaseManagerFactory(username="amoreno", first_name="Alex", last_name="Moreno")


def test_setting_a_password_with_the_persons_name_shows_why_it_is_refused(
    client: HttpClient, ada: User, alex: User
) -> None:
    client.force_login(ada)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[alex.pk]),
        {"password1": "alexmoreno12", "password2": "alexmoreno12"},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()


def test_setting_a_refused_password_keeps_the_old_one(
    client: HttpClient, ada: User, alex: User
) -> None:
    client.force_login(ada)
    client.post(
        reverse("admin:auth_user_password_change", args=[alex.pk]),
        {"password1": "alexmoreno12", "password2": "alexmoreno12"},
    )
    alex.refresh_from_db()
    assert alex.check_password(PASSWORD)


def test_adding_a_colleague_with_their_name_as_password_shows_why_it_is_refused(
    client: HttpClient, ada: User
) -> None:
    client.force_login(ada)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "amoreno",
            "first_name": "Alex",
            "last_name": "Moreno",
            "role": Role.QA_REVIEWER,
            "password1": "alexmoreno12",
            "password2": "alexmoreno12",
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not User.objects.filter(username="amoreno").exists()
