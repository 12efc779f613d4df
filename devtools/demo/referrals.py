"""The demo provider directory and the referrals made to it under a release of information."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from accounts.models import User
from casemgmt.dates import today
from clients.models import Enrollment
from devtools.demo.plan import ClientPlan
from referrals import services as referrals
from referrals.models import Provider, Referral, ReferralStatus
from serviceplans.models import ServicePlan

# --- The provider directory and linkage -------------------------------------------------------

# (name, address, phone, languages, Medicaid, waitlist weeks, [(service, type)], eligibility)
ProviderSpec = tuple[
    str, str, str, tuple[str, ...], bool, int | None, tuple[tuple[str, str], ...], str
]
PROVIDERS: tuple[ProviderSpec, ...] = (
    ("Treasure Valley Recovery", "1010 W Main St, Boise ID", "208-555-0140",
     ("English", "Spanish"), True, 1,
     (("Intensive outpatient", "substance_use"), ("Co-occurring group", "co_occurring")),
     "Adults 18+; Medicaid and sliding scale."),
    ("Canyon Family Therapy", "22 Cleveland Blvd, Caldwell ID", "208-555-0177",
     ("English", "Spanish"), True, 3,
     (("Family therapy", "mental_health"), ("Child and adolescent therapy", "mental_health")),
     "Children 4-17 and their families."),
    ("Snake River Behavioral Health", "400 Center St, Pocatello ID", "208-555-0190",
     ("English",), True, 6,
     (("Outpatient counseling", "mental_health"), ("Medication management", "mental_health")),
     "Waiting list for psychiatry."),
    ("Boise Housing Authority", "1276 River St, Boise ID", "208-555-0112",
     ("English", "Spanish", "Arabic"), False, 12,
     (("Housing choice vouchers", "housing"),), "Income limits apply."),
    ("Family Health Clinic HIV Program", "600 N Robbins Rd, Boise ID", "208-555-0155",
     ("English", "Spanish"), True, 0,
     (("HIV primary care", "medical_hiv"), ("Adherence counseling", "medical_hiv")), ""),
    ("Idaho Legal Aid", "310 N 5th St, Boise ID", "208-555-0133",
     ("English", "Spanish"), False, 4, (("Family and housing law", "legal"),), "Income limits."),
    ("Gem State Vocational Rehabilitation", "1720 Westgate Dr, Boise ID", "208-555-0166",
     ("English",), True, 2, (("Job training and placement", "education_employment"),), ""),
)  # fmt: skip
# Which provider a referral from each kind of client goes to, and what it shares.
REFERRAL_TO: dict[str, tuple[str, tuple[str, ...]]] = {
    "child": ("Canyon Family Therapy", ("identifying", "assessment", "service_plan")),
    "hiv-cfp": ("Family Health Clinic HIV Program", ("identifying", "medical_hiv", "service_plan")),
    "sud-op": ("Treasure Valley Recovery", ("identifying", "service_plan", "substance_use")),
}  # fmt: skip


def ensure_providers(*, administrator: User) -> dict[str, Provider]:
    existing = {p.name: p for p in Provider.objects.all()}
    for name, address, phone, languages, medicaid, waitlist, offered, notes in PROVIDERS:
        if name not in existing:
            existing[name] = referrals.provider_save(
                actor=administrator, services=list(offered), name=name, address=address,
                phone=phone, languages=list(languages), accepts_medicaid=medicaid,
                waitlist_weeks=waitlist, waitlist_checked_on=today(),
                eligibility_notes=notes,
            )  # fmt: skip
    return existing


def write_referral(
    *,
    rng: random.Random,
    plan: ClientPlan,
    enrollment: Enrollment,
    case_manager: User,
    providers: dict[str, Provider],
    today: dt.date,
) -> None:
    """About a third of enrollments with an active plan have a referral for its first goal,
    under a signed release of information, its packet disclosed (while the release is in
    force), sent and followed up."""
    active = ServicePlan.objects.filter(enrollment=enrollment, status="active").first()
    if active is None or rng.random() > 0.35:
        return
    provider_name, categories = REFERRAL_TO[plan.kind]
    provider = providers[provider_name]
    client = enrollment.client
    signed_on = active.start_date
    referrals.consent_record(
        actor=case_manager, client=client, discloser="Casework agency",
        recipient_provider=provider, categories=list(categories),
        purpose="Referral for services in the service plan and coordination of care.",
        expires_on=signed_on + dt.timedelta(days=365), signer="client",
        signer_name=f"{client.first_name} {client.last_name}", signed_on=signed_on,
        right_to_revoke_explained=True,
    )  # fmt: skip
    referral = referrals.referral_create(
        actor=case_manager, enrollment=enrollment, provider=provider,
        goal=active.goals.first(), reason="As agreed in the service plan.",
        categories=list(categories),
    )  # fmt: skip
    # Drafted the day the release was signed, as it would have been.
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(signed_on, dt.time(10)))
    )
    if signed_on + dt.timedelta(days=365) > today:
        # The packet went with it while the release still covers it: the client page's
        # accounting of disclosures (and its export) has an entry.
        referrals.referral_packet_disclose(actor=case_manager, referral=referral)
    day = signed_on
    for step in ("sent", "accepted", "appointment_scheduled", "attended")[: rng.randint(1, 4)]:
        day = min(day + dt.timedelta(days=rng.randint(1, 6)), today)
        referrals.referral_transition(
            actor=case_manager, referral=referral, to_status=step, occurred_on=day,
            note=f"{ReferralStatus(step).label} ({provider.name}).",
        )  # fmt: skip
