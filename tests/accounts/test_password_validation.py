"""The password rules of NIST SP 800-63B §5.1.1.2 beyond length: not digits only, and no
context-specific word (accounts.password_validation). Each password is checked with every
validator of the settings, as the forms do, and each test names the rule that refused it."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.test.utils import override_settings

from accounts.models import User

CONTEXT_WORD = "password_contains_context_word"
A_GOOD_PASSPHRASE = "pinecone lantern quilt"


@pytest.fixture
def alex() -> User:
    """Not saved: the rules need no database, and the forms that create a user validate the
    password before the user exists."""
    return User(username="amoreno", first_name="Alex", last_name="Moreno")


def refusals(password: str, user: User | None) -> dict[str, str]:
    """The codes of the validators that refuse ``password``, with their messages."""
    try:
        validate_password(password, user=user)
    except ValidationError as refused:
        return {str(error.code): " ".join(error.messages) for error in refused.error_list}
    return {}


def test_it_refuses_a_password_of_digits_only(alex: User) -> None:
    assert "password_entirely_numeric" in refusals("123456789012", alex)


def test_it_refuses_the_username(alex: User) -> None:
    assert "the username" in refusals("lantern-amoreno-quilt", alex)[CONTEXT_WORD]


def test_it_refuses_the_first_name(alex: User) -> None:
    assert refusals("lantern-alex-quilt", alex)[CONTEXT_WORD].startswith(
        "This password contains the first name."
    )


def test_it_refuses_the_last_name(alex: User) -> None:
    assert refusals("lantern-moreno-quilt", alex)[CONTEXT_WORD].startswith(
        "This password contains the last name."
    )


def test_it_refuses_the_first_and_last_name_run_together(alex: User) -> None:
    assert refusals("alexmoreno12", alex)[CONTEXT_WORD].startswith(
        "This password contains the first name and the last name."
    )


def test_it_refuses_a_name_in_capitals_and_with_punctuation(alex: User) -> None:
    assert CONTEXT_WORD in refusals("Lantern.M-O-R-E-N-O.quilt", alex)


def test_it_refuses_the_product_name(alex: User) -> None:
    assert "“Casework”" in refusals("lantern-casework-quilt", alex)[CONTEXT_WORD]


@override_settings(AGENCY_NAME="Gem County Services")
def test_it_refuses_the_agency_name_when_one_is_set(alex: User) -> None:
    assert "the agency's name" in refusals("gemcountyservices-2026", alex)[CONTEXT_WORD]


def test_it_accepts_a_passphrase_without_a_context_word(alex: User) -> None:
    assert refusals(A_GOOD_PASSPHRASE, alex) == {}


def test_it_does_not_use_a_two_letter_name() -> None:
    lin_bo = User(username="staff042", first_name="Li", last_name="Bo")
    assert refusals("lightning-bolt-river", lin_bo) == {}


def test_it_refuses_the_product_name_without_a_user() -> None:
    assert CONTEXT_WORD in refusals("lantern-casework-quilt", None)


def test_it_accepts_a_user_not_yet_named() -> None:
    assert refusals(A_GOOD_PASSPHRASE, User()) == {}


def test_its_help_text_says_what_a_password_cannot_contain() -> None:
    assert (
        "Your password can't contain your username, your first or last name, “Casework” or "
        "the agency's name." in password_validators_help_texts()
    )


@override_settings(AGENCY_NAME="Gem County Services")
def test_its_help_text_names_the_agency_when_one_is_set() -> None:
    assert any("“Gem County Services”" in text for text in password_validators_help_texts())
