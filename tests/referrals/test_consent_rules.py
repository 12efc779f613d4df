"""Does a release of information cover a disclosure? consent_coverage as a pure function of
the consent's terms, the recipient, the categories and the day: every element missing in
turn, and the 42 CFR 2.31 elements for substance-use treatment records."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from referrals.consent_rules import (
    ConsentTerms,
    Coverage,
    consent_coverage,
    part2_missing_elements,
)
from referrals.selectors import consent_status

SIGNED = dt.date(2026, 1, 10)
EXPIRES = dt.date(2026, 7, 10)
ON = dt.date(2026, 3, 1)
PROVIDER = 7
OTHER_PROVIDER = 8


def _terms(**changes: Any) -> ConsentTerms:
    """A complete release to provider 7 of identifying details and the service plan."""
    terms = ConsentTerms(
        client_name="Dana Reyes",
        discloser="Casework agency",
        recipient_provider_id=PROVIDER,
        recipient_class="",
        categories=frozenset({"identifying", "service_plan"}),
        purpose="Referral for treatment.",
        expires_on=EXPIRES,
        expiry_event="",
        signer_name="Dana Reyes",
        signed_on=SIGNED,
        right_to_revoke_explained=True,
    )
    return dataclasses.replace(terms, **changes)


def _part2(**changes: Any) -> ConsentTerms:
    return _terms(**{"categories": frozenset({"identifying", "substance_use"}), **changes})


def _coverage(
    terms: ConsentTerms,
    *,
    provider: int = PROVIDER,
    service_types: tuple[str, ...] = ("substance_use",),
    categories: tuple[str, ...] = ("identifying", "service_plan"),
    on: dt.date = ON,
) -> Coverage:
    return consent_coverage(
        terms,
        recipient_provider_id=provider,
        recipient_service_types=service_types,
        categories=categories,
        on=on,
    )


def test_it_covers_a_complete_consent_to_the_named_provider() -> None:
    coverage = _coverage(_terms())
    assert coverage.covers
    assert coverage.missing == []


def test_it_does_not_cover_without_a_signature_date() -> None:
    assert _coverage(_terms(signed_on=None)).missing == ["a signature"]


def test_it_does_not_cover_without_the_signer_name() -> None:
    assert _coverage(_terms(signer_name="  ")).missing == ["a signature"]


def test_it_does_not_cover_a_disclosure_before_the_signature() -> None:
    coverage = _coverage(_terms(), on=SIGNED - dt.timedelta(days=1))
    assert coverage.missing == ["a signature on or before 2026-01-09"]


def test_it_covers_on_the_day_of_the_signature() -> None:
    assert _coverage(_terms(), on=SIGNED).covers


def test_it_does_not_cover_after_the_expiry_date() -> None:
    coverage = _coverage(_terms(), on=EXPIRES + dt.timedelta(days=1))
    assert coverage.missing == ["an unexpired consent (it expired on 2026-07-10)"]


def test_it_still_covers_on_the_expiry_date_itself() -> None:
    assert _coverage(_terms(), on=EXPIRES).covers


def test_it_covers_a_consent_that_expires_on_an_event_only() -> None:
    terms = _terms(expires_on=None, expiry_event="Discharge from the program")
    assert _coverage(terms, on=dt.date(2030, 1, 1)).covers


def test_it_does_not_cover_a_consent_revoked_yesterday() -> None:
    coverage = _coverage(_terms(revoked_on=ON - dt.timedelta(days=1)))
    assert coverage.missing == ["an unrevoked consent (it was revoked on 2026-02-28)"]


def test_it_does_not_cover_on_the_day_of_the_revocation() -> None:
    assert not _coverage(_terms(revoked_on=ON)).covers


def test_it_still_covers_a_consent_revoked_tomorrow() -> None:
    assert _coverage(_terms(revoked_on=ON + dt.timedelta(days=1))).covers


def test_it_does_not_cover_another_provider() -> None:
    coverage = _coverage(_terms(), provider=OTHER_PROVIDER)
    assert coverage.missing == ["this provider as a recipient"]


def test_a_class_of_recipient_covers_a_provider_of_that_service_type() -> None:
    terms = _terms(recipient_provider_id=None, recipient_class="housing")
    coverage = _coverage(terms, provider=OTHER_PROVIDER, service_types=("legal", "housing"))
    assert coverage.covers


def test_a_class_of_recipient_does_not_cover_a_provider_of_another_type() -> None:
    terms = _terms(recipient_provider_id=None, recipient_class="housing")
    coverage = _coverage(terms, provider=OTHER_PROVIDER, service_types=("mental_health",))
    assert coverage.missing == ["this provider as a recipient"]


def test_it_does_not_cover_a_category_the_consent_does_not_list() -> None:
    coverage = _coverage(_terms(), categories=("identifying", "medical_hiv"))
    assert coverage.missing == ["consent to disclose: medical_hiv"]


def test_it_covers_fewer_categories_than_the_consent_lists() -> None:
    assert _coverage(_terms(), categories=("identifying",)).covers


def test_it_reports_every_missing_element_at_once() -> None:
    terms = _terms(revoked_on=ON - dt.timedelta(days=3))
    coverage = _coverage(terms, provider=OTHER_PROVIDER, categories=("legal",))
    assert coverage.missing == [
        "an unrevoked consent (it was revoked on 2026-02-26)",
        "this provider as a recipient",
        "consent to disclose: legal",
    ]


def test_it_covers_substance_use_records_with_every_part2_element() -> None:
    assert _coverage(_part2(), categories=("substance_use",)).covers


PART2_ELEMENTS = [
    ({"client_name": " "}, "the client's name"),
    ({"discloser": ""}, "who may disclose"),
    ({"purpose": " "}, "the purpose"),
    ({"right_to_revoke_explained": False}, "that the client was told of the right to revoke"),
    ({"expires_on": None, "expiry_event": ""}, "an expiry date or event"),
]


@pytest.mark.parametrize(("changes", "element"), PART2_ELEMENTS)
def test_it_does_not_cover_substance_use_records_lacking_a_part2_element(
    changes: dict[str, Any], element: str
) -> None:
    coverage = _coverage(_part2(**changes), categories=("substance_use",))
    assert coverage.missing == [f"(42 CFR 2.31) {element}"]


def test_it_does_not_cover_substance_use_records_lacking_a_recipient() -> None:
    coverage = _coverage(_part2(recipient_provider_id=None), categories=("substance_use",))
    assert coverage.missing == [
        "this provider as a recipient",
        "(42 CFR 2.31) the recipient (by name or class)",
    ]


def test_it_does_not_cover_substance_use_records_lacking_the_signature() -> None:
    coverage = _coverage(_part2(signer_name=""), categories=("substance_use",))
    assert coverage.missing == ["a signature", "(42 CFR 2.31) the signature"]


def test_it_does_not_cover_substance_use_records_lacking_the_date_signed() -> None:
    coverage = _coverage(_part2(signed_on=None), categories=("substance_use",))
    assert coverage.missing == ["a signature", "(42 CFR 2.31) the date signed"]


def test_it_does_not_hold_other_records_to_the_part2_elements() -> None:
    terms = _terms(right_to_revoke_explained=False, expires_on=None)
    assert _coverage(terms).covers


@pytest.mark.parametrize(
    ("changes", "element"),
    [
        *PART2_ELEMENTS,
        ({"categories": frozenset()}, "what information may be disclosed"),
        ({"recipient_provider_id": None}, "the recipient (by name or class)"),
        ({"signer_name": ""}, "the signature"),
        ({"signed_on": None}, "the date signed"),
    ],
)
def test_part2_missing_elements_names_each_element(changes: dict[str, Any], element: str) -> None:
    assert part2_missing_elements(_part2(**changes)) == [element]


def test_part2_missing_elements_accepts_a_class_of_recipient() -> None:
    terms = _part2(recipient_provider_id=None, recipient_class="substance_use")
    assert part2_missing_elements(terms) == []


# --- Where a consent stands on a day (referrals.selectors.consent_status, pure) --------------


@pytest.mark.parametrize(
    ("expires_on", "revoked_on", "code", "label"),
    [
        (dt.date(2026, 6, 1), None, "active", "Active"),
        (None, None, "active", "Active"),  # expires on an event only
        (ON + dt.timedelta(days=30), None, "expiring_soon", "Expires in 30 days"),
        (ON + dt.timedelta(days=1), None, "expiring_soon", "Expires tomorrow"),
        (ON, None, "expiring_soon", "Expires today"),
        (ON - dt.timedelta(days=1), None, "expired", "Expired on 2026-02-28"),
        (ON - dt.timedelta(days=1), ON - dt.timedelta(days=5), "revoked", "Revoked on 2026-02-24"),
        (dt.date(2026, 6, 1), ON, "revoked", "Revoked on 2026-03-01"),
    ],
)
def test_consent_status_on_a_day(expires_on, revoked_on, code: str, label: str) -> None:
    status = consent_status(expires_on=expires_on, revoked_on=revoked_on, today=ON)
    assert (status.code, status.label) == (code, label)
