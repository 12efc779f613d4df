"""Passwords that hold a word an attacker tries first against this person at this agency.

NIST SP 800-63B §5.1.1.2 asks verifiers to refuse "context-specific words, such as the name of
the service, the username, and derivatives thereof". Here those are the person's username,
first and last name, the product's name and the agency's (``settings.AGENCY_NAME``, when set).
A password is refused when it contains one of them, ignoring case, spaces and punctuation, so
``alexmoreno12``, ``Alex.Moreno-12`` and ``casework2026`` are all refused. Django's
``UserAttributeSimilarityValidator`` does not catch these: it measures how similar the whole
password is to each attribute, and ``alexmoreno12`` is not similar enough to ``alex``.

A word shorter than ``MIN_WORD_LENGTH`` is not used: a two-letter name such as "Li" or "Bo"
would otherwise forbid a good share of all passphrases.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list

PRODUCT_NAME = "Casework"
MIN_WORD_LENGTH = 3
# The user's attributes that are checked, with how a message names each.
USER_WORDS = (
    ("username", "the username"),
    ("first_name", "the first name"),
    ("last_name", "the last name"),
)


def _letters_and_digits(text: str) -> str:
    """``text`` in lower case without spaces or punctuation, so that ``Alex.Moreno`` and
    ``alex moreno`` both read ``alexmoreno``."""
    return "".join(character for character in text.casefold() if character.isalnum())


def context_words(user: AbstractBaseUser | None) -> list[tuple[str, str]]:
    """(word, what it is) for every context-specific word long enough to count. ``user`` may
    be None or not yet saved, with some attributes empty (the forms that create a user
    validate the password before the user exists)."""
    named = [
        (str(getattr(user, attribute, "") or ""), description)
        for attribute, description in USER_WORDS
    ]
    named.append((PRODUCT_NAME, f"“{PRODUCT_NAME}”"))
    agency = settings.AGENCY_NAME
    named.append((agency, f"the agency's name, “{agency}”"))
    words = [(_letters_and_digits(word), description) for word, description in named]
    return [(word, description) for word, description in words if len(word) >= MIN_WORD_LENGTH]


class ContextSpecificWordsValidator:
    """Refuses a password that contains the username, the first or last name, the product's
    name or the agency's (NIST SP 800-63B §5.1.1.2, context-specific words)."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        searched = _letters_and_digits(password)
        found = [description for word, description in context_words(user) if word in searched]
        if found:
            raise ValidationError(
                "This password contains %(found)s. Choose one that does not contain a name, "
                "the username, “%(product)s” or the agency's name: someone guessing it would "
                "try those first.",
                code="password_contains_context_word",
                params={"found": get_text_list(found, "and"), "product": PRODUCT_NAME},
            )

    def get_help_text(self) -> str:
        agency = settings.AGENCY_NAME
        agency_words = f"the agency's name (“{agency}”)" if agency else "the agency's name"
        return (
            f"Your password can't contain your username, your first or last name, "
            f"“{PRODUCT_NAME}” or {agency_words}."
        )
