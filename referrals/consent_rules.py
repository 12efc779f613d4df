"""Does a release of information cover this disclosure? A pure function of the consent's
terms, the recipient, the categories and the day, so that the referral, the packet, the API
and the compliance run all decide the same way, and every element can be tested alone.

Written permission before releasing confidential information: IC&RC core function 7. For
substance-use treatment records (42 CFR Part 2), 42 CFR 2.31 requires the patient's name, who
may disclose, how much and what kind of information, the recipient (by name or class), the
purpose, that the consent is revocable, an expiry date, event or condition, the signature and
the date signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

SUBSTANCE_USE = "substance_use"

RECIPIENT_MISSING = "Name the provider, or a class of recipient."
RECIPIENT_NOT_BOTH = "Name either a provider or a class of recipient, not both."


@dataclass(frozen=True)
class ConsentTerms:
    """What a consent says, as plain values (referrals.models.Consent → consent_terms)."""

    client_name: str
    discloser: str
    recipient_provider_id: int | None
    recipient_class: str
    categories: frozenset[str]
    purpose: str
    expires_on: dt.date | None
    expiry_event: str
    signer_name: str
    signed_on: dt.date | None
    right_to_revoke_explained: bool
    revoked_on: dt.date | None = None


@dataclass(frozen=True)
class Coverage:
    missing: list[str] = field(default_factory=list)

    @property
    def covers(self) -> bool:
        return not self.missing


def recipient_errors(*, recipient_provider_id: int | None, recipient_class: str) -> dict[str, str]:
    """What is wrong with the consent's recipient, by field: it names one provider or one class
    of recipient (42 CFR 2.31(a)(4): the recipient by name, or a general designation), never
    neither, and never both: a consent naming both would be read as covering either, a wider
    disclosure than the person signed. The database holds the same rule (the constraints
    ``consent_names_a_recipient`` and ``consent_names_one_recipient``)."""
    if recipient_provider_id is None and not recipient_class:
        return {"recipient_provider": RECIPIENT_MISSING}
    if recipient_provider_id is not None and recipient_class:
        return {"recipient_class": RECIPIENT_NOT_BOTH}
    return {}


def part2_missing_elements(terms: ConsentTerms) -> list[str]:
    """The 42 CFR 2.31 elements a consent lacks (checked when it covers Part 2 records)."""
    missing = []
    if not terms.client_name.strip():
        missing.append("the client's name")
    if not terms.discloser.strip():
        missing.append("who may disclose")
    if not terms.categories:
        missing.append("what information may be disclosed")
    if terms.recipient_provider_id is None and not terms.recipient_class:
        missing.append("the recipient (by name or class)")
    if not terms.purpose.strip():
        missing.append("the purpose")
    if not terms.right_to_revoke_explained:
        missing.append("that the client was told of the right to revoke")
    if terms.expires_on is None and not terms.expiry_event.strip():
        missing.append("an expiry date or event")
    if not terms.signer_name.strip():
        missing.append("the signature")
    if terms.signed_on is None:
        missing.append("the date signed")
    return missing


def consent_coverage(
    terms: ConsentTerms,
    *,
    recipient_provider_id: int,
    recipient_service_types: Iterable[str],
    categories: Iterable[str],
    on: dt.date,
) -> Coverage:
    """Whether ``terms`` let the agency disclose ``categories`` to the provider on ``on``.

    The consent must be signed (on or before that day), not expired (it is valid on its expiry
    date itself), not revoked (revocation takes effect on its date), name this provider or a
    class of recipient that the provider belongs to (one of its service types), and list
    every category disclosed; Part 2 records need every 42 CFR 2.31 element.
    """
    missing: list[str] = []
    if terms.signed_on is None or not terms.signer_name.strip():
        missing.append("a signature")
    elif terms.signed_on > on:
        missing.append(f"a signature on or before {on:%Y-%m-%d}")
    if terms.expires_on is not None and terms.expires_on < on:
        missing.append(f"an unexpired consent (it expired on {terms.expires_on:%Y-%m-%d})")
    if terms.revoked_on is not None and terms.revoked_on <= on:
        missing.append(f"an unrevoked consent (it was revoked on {terms.revoked_on:%Y-%m-%d})")
    named = terms.recipient_provider_id == recipient_provider_id
    in_class = bool(terms.recipient_class) and terms.recipient_class in set(recipient_service_types)
    if not (named or in_class):
        missing.append("this provider as a recipient")
    wanted = set(categories)
    uncovered = sorted(wanted - terms.categories)
    if uncovered:
        missing.append(f"consent to disclose: {', '.join(uncovered)}")
    if SUBSTANCE_USE in wanted:
        missing.extend(f"(42 CFR 2.31) {element}" for element in part2_missing_elements(terms))
    return Coverage(missing=missing)
