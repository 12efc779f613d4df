"""Reads of the referrals app: the provider directory and interagency agreements.

The directory is agency-wide (everyone reads it); client records here are reached only
through ``visible_to``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from clients.models import Client, Enrollment
from referrals import transitions
from referrals.models import (
    Consent,
    Disclosure,
    InteragencyAgreement,
    Provider,
    ProviderService,
    Referral,
    category_labels,
)
from serviceplans.due_dates import DueStatus, due_status
from serviceplans.models import RiskScreen, StageOfChange

# A waitlist figure older than this is shown as stale: call the provider before relying on it.
WAITLIST_STALE_AFTER_DAYS = 30


def waitlist_is_stale(*, checked_on: dt.date | None, today: dt.date) -> bool:
    """Whether a provider's waitlist figure needs checking again (never checked, or more
    than 30 days ago)."""
    return checked_on is None or (today - checked_on).days > WAITLIST_STALE_AFTER_DAYS


def agreement_is_expired(*, ends_on: dt.date | None, today: dt.date) -> bool:
    """An agreement runs through its end date; one without an end date does not expire."""
    return ends_on is not None and ends_on < today


def _services() -> Prefetch[str, QuerySet[ProviderService], str]:
    return Prefetch("services", queryset=ProviderService.objects.order_by("service_type", "name"))


def provider_directory() -> QuerySet[Provider]:
    """Every provider, by name, with its services in one extra query whatever the count
    (narrowed by referrals.forms.providers.ProviderFilter)."""
    return Provider.objects.order_by("name", "pk").prefetch_related(_services())


def provider_get(*, pk: object) -> Provider:
    """One provider of the directory with its services and agreements, or 404."""
    return get_object_or_404(
        Provider.objects.prefetch_related(
            _services(),
            Prefetch(
                "agreements",
                queryset=InteragencyAgreement.objects.order_by("-starts_on", "-pk"),
            ),
        ),
        pk=pk,
    )


def agreement_get(*, pk: object) -> InteragencyAgreement:
    """One interagency agreement with its provider, or 404."""
    return get_object_or_404(InteragencyAgreement.objects.select_related("provider"), pk=pk)


# --- Consents and the accounting of disclosures ----------------------------------------------

# A consent that expires within this many days is shown as expiring soon and listed on the
# expiring-soon page, so that a new one can be signed before disclosure stops.
CONSENT_EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class ConsentStatus:
    """Where a consent stands on a day: ``active``, ``expiring_soon``, ``expired`` or
    ``revoked``, with the words and the badge colour the pages show."""

    code: str
    label: str
    badge: str

    @property
    def in_force(self) -> bool:
        return self.code in ("active", "expiring_soon")


def consent_status(
    *,
    expires_on: dt.date | None,
    revoked_on: dt.date | None,
    today: dt.date,
    warning_days: int = CONSENT_EXPIRY_WARNING_DAYS,
) -> ConsentStatus:
    """Revoked wins over expired (revocation is dated and kept); a consent is still valid on
    its expiry date (as in consent_rules.consent_coverage) and expiring soon when that date
    is at most ``warning_days`` away."""
    if revoked_on is not None and revoked_on <= today:
        return ConsentStatus("revoked", f"Revoked on {revoked_on:%Y-%m-%d}", "text-bg-dark")
    if expires_on is not None and expires_on < today:
        return ConsentStatus("expired", f"Expired on {expires_on:%Y-%m-%d}", "text-bg-secondary")
    if expires_on is not None and (expires_on - today).days <= warning_days:
        days = (expires_on - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        return ConsentStatus("expiring_soon", f"Expires {when}", "text-bg-warning")
    return ConsentStatus("active", "Active", "text-bg-success")


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    status: ConsentStatus
    categories: list[str]


@dataclass(frozen=True)
class DisclosureRow:
    disclosure: Disclosure
    categories: list[str]


@dataclass(frozen=True)
class ClientReleases:
    """The client page's two cards: the client's consents with their status, newest first,
    and the accounting of disclosures (each referral packet produced), newest first."""

    consents: list[ConsentRow]
    disclosures: list[DisclosureRow]


def consent_row(consent: Consent, *, today: dt.date) -> ConsentRow:
    return ConsentRow(
        consent=consent,
        status=consent_status(
            expires_on=consent.expires_on, revoked_on=consent.revoked_on, today=today
        ),
        categories=category_labels(consent.categories),
    )


def client_releases(*, viewer: User, client: Client, today: dt.date) -> ClientReleases:
    """A client's releases of information and accounting of disclosures: two queries,
    whatever their number."""
    consents = (
        Consent.objects.visible_to(viewer)
        .filter(client=client)
        .select_related("recipient_provider")
        .order_by("-signed_on", "-pk")
    )
    return ClientReleases(
        consents=[consent_row(c, today=today) for c in consents],
        disclosures=[
            disclosure_row(d) for d in client_disclosures(viewer=viewer, client_id=client.pk)
        ],
    )


def client_disclosures(*, viewer: User, client_id: int) -> QuerySet[Disclosure]:
    """A client's accounting of disclosures in ``viewer``'s scope, newest first: the client
    page's card and its export (referrals.tables)."""
    return (
        Disclosure.objects.visible_to(viewer)
        .filter(client_id=client_id)
        .select_related("recipient", "consent", "by")
        .order_by("-disclosed_at", "-pk")
    )


def disclosure_row(disclosure: Disclosure) -> DisclosureRow:
    return DisclosureRow(disclosure, category_labels(disclosure.categories))


def consents_expiring(
    *, viewer: User, today: dt.date, within_days: int = CONSENT_EXPIRY_WARNING_DAYS
) -> QuerySet[Consent]:
    """Unrevoked consents of the clients ``viewer`` may see that expire between today and
    ``within_days`` from now, soonest first: the expiring-soon page and its export."""
    return (
        Consent.objects.visible_to(viewer)
        .filter(
            revoked_on__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("client", "recipient_provider")
        .order_by("expires_on", "client__last_name", "pk")
    )


def consents_expiring_soon(
    *, viewer: User, today: dt.date, within_days: int = CONSENT_EXPIRY_WARNING_DAYS
) -> list[ConsentRow]:
    """:func:`consents_expiring` with where each stands today: one query, whatever their
    number."""
    consents = consents_expiring(viewer=viewer, today=today, within_days=within_days)
    return [consent_row(c, today=today) for c in consents]


@dataclass(frozen=True)
class ConsentUses:
    """What was done under a consent: the referrals it let be sent (those ``viewer`` may
    see) and the disclosures made under it."""

    referrals: list[Referral]
    disclosures: list[DisclosureRow]


def consent_uses(*, viewer: User, consent: Consent) -> ConsentUses:
    referrals = (
        Referral.objects.visible_to(viewer)
        .filter(consent=consent)
        .select_related("provider", "enrollment__program")
        .order_by("-created_at", "-pk")
    )
    disclosures = (
        Disclosure.objects.visible_to(viewer)
        .filter(consent=consent)
        .select_related("recipient", "by")
        .order_by("-disclosed_at", "-pk")
    )
    return ConsentUses(
        referrals=list(referrals),
        disclosures=[disclosure_row(d) for d in disclosures],
    )


# --- Referrals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    """A referral with how its follow-up stands today (None once nothing is left to do)."""

    referral: Referral
    follow_up: DueStatus | None


def _follow_up(referral: Referral, *, today: dt.date) -> DueStatus | None:
    if referral.follow_up_due_on is None:
        return None
    return due_status(due_on=referral.follow_up_due_on, today=today)


def referral_rows(referrals: Iterable[Referral], *, today: dt.date) -> list[ReferralRow]:
    return [ReferralRow(r, _follow_up(r, today=today)) for r in referrals]


def client_referrals(*, viewer: User, client: Client, today: dt.date) -> list[ReferralRow]:
    """The client page's referral card: the client's referrals in the viewer's scope (each
    team sees those of its own enrollments), open ones first by follow-up date, then the
    finished ones newest first. One query, whatever their number."""
    referrals = (
        Referral.objects.visible_to(viewer)
        .filter(enrollment__client=client)
        .select_related("provider", "service", "enrollment__program")
        .order_by(
            F("follow_up_due_on").asc(nulls_last=True),
            F("created_at").desc(),
            F("pk").desc(),
        )
    )
    return referral_rows(referrals, today=today)


def referrals_due(
    *,
    viewer: User,
    case_manager_id: int | None = None,
    team_id: int | None = None,
    include_finished: bool = False,
) -> QuerySet[Referral]:
    """The referral list: referrals the viewer may see, of one case manager's caseload or of
    one team, the soonest follow-up first (so the most overdue lead), drafts (nothing due yet)
    after them. Finished ones (engaged or closed) only when asked for. One query per page."""
    referrals = Referral.objects.visible_to(viewer).select_related(
        "provider", "service", "enrollment__client", "enrollment__program",
        "enrollment__case_manager",
    )  # fmt: skip
    if not include_finished:
        referrals = referrals.exclude(status__in=transitions.FINISHED)
    if case_manager_id is not None:
        referrals = referrals.filter(enrollment__case_manager_id=case_manager_id)
    if team_id is not None:
        referrals = referrals.filter(enrollment__team_id=team_id)
    return referrals.order_by(
        F("follow_up_due_on").asc(nulls_last=True),
        "enrollment__client__last_name",
        "enrollment__client__first_name",
        "pk",
    )


def readiness_from_latest_screen(*, enrollment: Enrollment) -> str:
    """The stages of change of the enrollment's latest risk screen, a starting point for the
    client's readiness on a new referral (CFP bulletin 18B-08: the clinical case manager
    assesses treatment readiness); empty when that screen records none."""
    screen = (
        RiskScreen.objects.filter(enrollment=enrollment).order_by("-screened_on", "-id").first()
    )
    if screen is None:
        return ""
    stages = [
        f"{area}: {StageOfChange(stage).label}"
        for area, stage in (
            ("substance use", screen.substance_use_stage),
            ("mental health", screen.mental_health_stage),
        )
        if stage
    ]
    if not stages:
        return ""
    return f"Stage of change ({screen.screened_on:%Y-%m-%d}): " + "; ".join(stages)
