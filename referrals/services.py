"""Every change to providers, consents and referrals, and every disclosure, goes through
one of these: atomic, keyword-only, permission-checked, ``ValidationError`` with field errors
on bad input and nothing saved when refusing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from casemgmt.dates import today
from casemgmt.reactions import publish
from casemgmt.roles import require_administrator, require_clinical_writer
from clients.events import EnrollmentChanged
from clients.models import Client, Enrollment
from referrals import consent_rules, transitions
from referrals.models import (
    Consent,
    Disclosure,
    InformationCategory,
    InteragencyAgreement,
    Provider,
    ProviderService,
    Referral,
    ReferralStatus,
    ReferralStep,
    ServiceType,
)
from serviceplans.models import Goal, ServicePlan

# Division administration keeps the directory (DESIGN.md, "Who uses it"); the pages that change
# it refuse everyone else before showing a form, with the same words.
MAINTAINS_DIRECTORY = "maintains the provider directory"

# What ``provider_save`` changes, in the order the page's form and the API show it.
PROVIDER_FIELDS = (
    "name", "address", "phone", "languages", "accepts_medicaid", "waitlist_weeks",
    "waitlist_checked_on", "eligibility_notes", "is_active",
)  # fmt: skip
PROVIDER_EDITABLE = frozenset(PROVIDER_FIELDS)


# --- Provider directory -----------------------------------------------------------------------


@transaction.atomic
def provider_save(
    *,
    actor: User,
    provider: Provider | None = None,
    services: Sequence[tuple[str, str]],
    **fields: Any,
) -> Provider:
    """Create or update a provider with its services, ``(name, service type)`` pairs; a
    provider offers at least one service, each with a type."""
    require_administrator(actor, to=MAINTAINS_DIRECTORY)
    unknown = set(fields) - PROVIDER_EDITABLE
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)} here.")
    if not services:
        raise ValidationError({"services": "Give the provider at least one service type."})
    for name, service_type in services:
        if service_type not in ServiceType.values:
            raise ValidationError(
                {"services": f"Choose a service type for {name or 'each service'}."}
            )
    if fields.get("waitlist_checked_on") and fields["waitlist_checked_on"] > today():
        raise ValidationError({"waitlist_checked_on": "This date cannot be in the future."})
    provider = provider or Provider()
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.full_clean()
    provider.save()
    # Services are added, never removed: past referrals point at them.
    existing = set(provider.services.values_list("name", "service_type"))
    wanted = {(name.strip() or ServiceType(t).label, t) for name, t in services}
    ProviderService.objects.bulk_create(
        ProviderService(provider=provider, name=name, service_type=t)
        for name, t in sorted(wanted - existing)
    )
    return provider


AGREEMENT_EDITABLE = frozenset({"kind", "starts_on", "ends_on", "note", "document"})


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    provider: Provider,
    agreement: InteragencyAgreement | None = None,
    **fields: Any,
) -> InteragencyAgreement:
    """Record or change an interagency agreement with a provider (TIP 27: single agency,
    informal partnership, formal consortium, MOU, contract). It cannot end before it starts.
    ``document`` is an upload to store, ``False`` to remove the stored one, or ``None`` (or
    the stored file itself) to keep it."""
    require_administrator(actor, to=MAINTAINS_DIRECTORY)
    unknown = set(fields) - AGREEMENT_EDITABLE
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)} here.")
    if agreement is not None and agreement.provider_id != provider.pk:
        raise ValidationError("This agreement belongs to another provider.")
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if starts_on is None and agreement is not None:
        starts_on = agreement.starts_on
    if "ends_on" not in fields and agreement is not None:
        ends_on = agreement.ends_on  # a change of the start date alone
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "An agreement cannot end before it starts."})
    document = fields.pop("document", None)
    agreement = agreement or InteragencyAgreement(provider=provider)
    for name, value in fields.items():
        setattr(agreement, name, value)
    if document is False:
        agreement.document = ""
    elif document is not None:
        agreement.document = document
    agreement.full_clean()
    agreement.save()
    return agreement


# --- Consents ---------------------------------------------------------------------------------

# A release of information as signed, after its client, discloser and named provider: the
# elements of 42 CFR 2.31 and the signed copy, in the order the API shows them and the scale
# seed writes them.
CONSENT_FORM_FIELDS = (
    "recipient_class", "categories", "purpose", "expires_on", "expiry_event", "signer",
    "signer_name", "signed_on", "right_to_revoke_explained", "signed_copy",
)  # fmt: skip


def consent_terms(consent: Consent) -> consent_rules.ConsentTerms:
    client = consent.client
    return consent_rules.ConsentTerms(
        client_name=f"{client.first_name} {client.last_name}",
        discloser=consent.discloser,
        recipient_provider_id=consent.recipient_provider_id,
        recipient_class=consent.recipient_class,
        categories=frozenset(consent.categories),
        purpose=consent.purpose,
        expires_on=consent.expires_on,
        expiry_event=consent.expiry_event,
        signer_name=consent.signer_name,
        signed_on=consent.signed_on,
        right_to_revoke_explained=consent.right_to_revoke_explained,
        revoked_on=consent.revoked_on,
    )


@transaction.atomic
def consent_record(*, actor: User, client: Client, **fields: Any) -> Consent:
    """Record a signed release of information. It names one recipient, a provider or a class
    of recipient, not both (42 CFR 2.31(a)(4); consent_rules.recipient_errors). One that covers
    substance-use treatment records is refused until every 42 CFR 2.31 element is present."""
    require_clinical_writer(actor)
    if not Client.objects.writable_by(actor).filter(pk=client.pk).exists():
        raise PermissionDenied("This client is not on your caseload.")
    consent = Consent(client=client, created_by=actor, **fields)
    errors: dict[str, str] = {}
    if consent.signed_on and consent.signed_on > today():
        errors["signed_on"] = "The signature date cannot be in the future."
    if consent.expires_on and consent.signed_on and consent.expires_on < consent.signed_on:
        errors["expires_on"] = "The consent cannot expire before it was signed."
    errors.update(
        consent_rules.recipient_errors(
            recipient_provider_id=consent.recipient_provider_id,
            recipient_class=consent.recipient_class,
        )
    )
    if not consent.categories:
        errors["categories"] = "Choose what information may be disclosed."
    if errors:
        raise ValidationError(errors)
    if InformationCategory.SUBSTANCE_USE in consent.categories:
        missing = consent_rules.part2_missing_elements(consent_terms(consent))
        if missing:
            raise ValidationError(
                {"categories": "Substance-use treatment records need every element of "
                 f"42 CFR 2.31; missing: {', '.join(missing)}."}
            )  # fmt: skip
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_revoke(
    *, actor: User, consent: Consent, revoked_on: dt.date, note: str = ""
) -> Consent:
    """Revoke from ``revoked_on`` on; what was disclosed before stays in the accounting."""
    require_clinical_writer(actor)
    locked = Consent.objects.writable_by(actor).select_for_update().filter(pk=consent.pk).first()
    if locked is None:
        raise PermissionDenied("This client is not on your caseload.")
    if locked.revoked_on is not None:
        raise ValidationError({"revoked_on": "This consent is already revoked."})
    if revoked_on < locked.signed_on:
        raise ValidationError({"revoked_on": "A consent cannot be revoked before it was signed."})
    if revoked_on > today():
        raise ValidationError({"revoked_on": "The revocation date cannot be in the future."})
    locked.revoked_on = revoked_on
    locked.revocation_note = note
    locked.save(update_fields=["revoked_on", "revocation_note"])
    return locked


def consent_find_covering(
    *, client: Client, provider: Provider, categories: Iterable[str], on: dt.date
) -> tuple[Consent | None, list[str]]:
    """The client's consent that covers this disclosure, or None and what the closest one
    (or the absence of any) is missing, for the message."""
    service_types = list(provider.services.values_list("service_type", flat=True))
    wanted = list(categories)
    best_missing: list[str] | None = None
    for consent in Consent.objects.filter(client=client).select_related("client"):
        coverage = consent_rules.consent_coverage(
            consent_terms(consent),
            recipient_provider_id=provider.pk,
            recipient_service_types=service_types,
            categories=wanted,
            on=on,
        )
        if coverage.covers:
            return consent, []
        if best_missing is None or len(coverage.missing) < len(best_missing):
            best_missing = coverage.missing
    return None, best_missing or ["a signed release of information for this provider"]


# --- Referrals --------------------------------------------------------------------------------

# What a referral asks of the provider, as referral_create takes it, in the order the API shows
# it and the scale seed writes it.
REFERRAL_REQUEST_FIELDS = (
    "reason", "urgency", "client_readiness", "barriers", "shares_information", "categories",
)  # fmt: skip


@transaction.atomic
def referral_create(
    *,
    actor: User,
    enrollment: Enrollment,
    provider: Provider,
    reason: str,
    service: ProviderService | None = None,
    goal: Goal | None = None,
    urgency: str = Referral.Urgency.ROUTINE,
    client_readiness: str = "",
    barriers: str = "",
    shares_information: bool = True,
    categories: Sequence[str] = (),
) -> Referral:
    """A draft referral from the client page or from a goal of the active plan."""
    require_clinical_writer(actor)
    locked = Enrollment.objects.writable_by(actor).filter(pk=enrollment.pk).first()
    if locked is None:
        raise PermissionDenied("This enrollment is not on your caseload.")
    if not locked.is_open:
        raise ValidationError({"enrollment": "This enrollment is closed."})
    errors: dict[str, str] = {}
    if not provider.is_active:
        errors["provider"] = "This provider is inactive; choose another."
    if service is not None and service.provider_id != provider.pk:
        errors["service"] = "Choose one of this provider's services."
    if (
        goal is not None
        and not Goal.objects.filter(
            pk=goal.pk, plan__enrollment=locked, plan__status=ServicePlan.Status.ACTIVE
        ).exists()
    ):
        errors["goal"] = "Choose a goal of this enrollment's active plan."
    if shares_information and not categories:
        errors["categories"] = "Choose what the referral shares, or mark that it shares nothing."
    if not reason.strip():
        errors["reason"] = "Give the reason for the referral."
    if errors:
        raise ValidationError(errors)
    return Referral.objects.create(
        enrollment=locked,
        provider=provider,
        service=service,
        goal=goal,
        reason=reason,
        urgency=urgency,
        client_readiness=client_readiness,
        barriers=barriers,
        shares_information=shares_information,
        categories=list(categories) if shares_information else [],
        created_by=actor,
    )


def _writable_referral(actor: User, referral: Referral) -> Referral:
    require_clinical_writer(actor)
    locked = (
        Referral.objects.writable_by(actor)
        .select_for_update(of=("self",))
        .select_related("enrollment__program", "enrollment__client", "provider")
        .filter(pk=referral.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied("This referral is not on your caseload.")
    return locked


@transaction.atomic
def referral_transition(
    *, actor: User, referral: Referral, to_status: str, occurred_on: dt.date, note: str = ""
) -> Referral:
    """Move a referral one allowed step, dated, by whom, with a note; the follow-up date moves
    with it. Sending one that shares information needs a covering consent (see
    consent_find_covering); without one nothing is sent and the message names what is missing.
    """
    referral = _writable_referral(actor, referral)
    if not transitions.is_allowed(referral.status, to_status):
        allowed = (
            ", ".join(
                ReferralStatus(s).label.lower()
                for s in sorted(transitions.allowed_next(referral.status))
            )
            or "nothing (it is closed)"
        )
        current = referral.get_status_display().lower()
        article = "An" if current[0] in "aeiou" else "A"
        raise ValidationError(
            {"to_status": f"{article} {current} referral can move to: {allowed}."}
        )
    if occurred_on > today():
        raise ValidationError({"occurred_on": "This date cannot be in the future."})
    last = referral.steps.order_by("-occurred_on", "-id").first()
    if last is not None and occurred_on < last.occurred_on:
        raise ValidationError({"occurred_on": "This date is before the referral's last step."})
    if to_status == ReferralStatus.SENT and referral.shares_information:
        consent, missing = consent_find_covering(
            client=referral.enrollment.client,
            provider=referral.provider,
            categories=referral.categories,
            on=occurred_on,
        )
        if consent is None:
            raise ValidationError(
                {"consent": "Not sent: no release of information covers this referral. Missing: "
                 + "; ".join(missing) + "."}
            )  # fmt: skip
        referral.consent = consent
    if to_status == ReferralStatus.CLOSED and not note.strip():
        raise ValidationError({"note": "Record the outcome when closing a referral."})
    ReferralStep.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=to_status,
        occurred_on=occurred_on,
        by=actor,
        note=note,
    )
    referral.status = to_status
    referral.follow_up_due_on = transitions.follow_up_due_on(
        to_status=to_status,
        occurred_on=occurred_on,
        follow_up_days=referral.enrollment.program.referral_follow_up_days,
    )
    if to_status == ReferralStatus.CLOSED:
        referral.outcome = note
    referral.save(update_fields=["status", "follow_up_due_on", "consent", "outcome", "updated_at"])
    publish(EnrollmentChanged(enrollment_id=referral.enrollment_id))
    return referral


@transaction.atomic
def referral_set_follow_up(
    *, actor: User, referral: Referral, follow_up_due_on: dt.date
) -> Referral:
    referral = _writable_referral(actor, referral)
    if follow_up_due_on < today():
        raise ValidationError({"follow_up_due_on": "A follow-up date cannot be in the past."})
    if referral.status in transitions.FINISHED:
        raise ValidationError({"follow_up_due_on": "This referral needs no follow-up."})
    referral.follow_up_due_on = follow_up_due_on
    referral.save(update_fields=["follow_up_due_on", "updated_at"])
    publish(EnrollmentChanged(enrollment_id=referral.enrollment_id))
    return referral


@transaction.atomic
def referral_packet_disclose(*, actor: User, referral: Referral) -> Disclosure:
    """Producing a referral packet is a disclosure: it needs a consent that covers the
    provider and the categories today, and it is entered in the accounting of disclosures."""
    referral = _writable_referral(actor, referral)
    if not referral.shares_information:
        raise ValidationError("This referral shares no information; there is no packet.")
    consent, missing = consent_find_covering(
        client=referral.enrollment.client,
        provider=referral.provider,
        categories=referral.categories,
        on=today(),
    )
    if consent is None:
        raise ValidationError(
            {"consent": "No packet: no release of information covers it today. Missing: "
             + "; ".join(missing) + "."}
        )  # fmt: skip
    return Disclosure.objects.create(
        client=referral.enrollment.client,
        referral=referral,
        consent=consent,
        recipient=referral.provider,
        categories=referral.categories,
        by=actor,
    )
