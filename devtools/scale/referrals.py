"""Consents, referrals with their steps, and the disclosures made under a consent."""

from __future__ import annotations

from dataclasses import dataclass, field

from devtools.scale.copy import CopyBatch
from devtools.scale.loader import EnrollmentPlan, Loader, load_per_enrollment, rng_for
from devtools.scale.vocabulary import FINISHED_REFERRAL, REFERRAL_CATEGORIES, REFERRAL_PATHS
from referrals.models import Consent, Disclosure, Referral, ReferralStatus, ReferralStep
from referrals.services import CONSENT_FORM_FIELDS, REFERRAL_REQUEST_FIELDS

CONSENT_COLUMNS = [
    "id",
    "client_id",
    "discloser",
    "recipient_provider_id",
    *CONSENT_FORM_FIELDS,
    "revoked_on",
    "revocation_note",
    "created_by_id",
    "created_at",
]
REFERRAL_COLUMNS = [
    "id",
    "enrollment_id",
    "goal_id",
    "provider_id",
    "service_id",
    *REFERRAL_REQUEST_FIELDS,
    "consent_id",
    "status",
    "follow_up_due_on",
    "outcome",
    "created_by_id",
    "created_at",
    "updated_at",
]
STEP_COLUMNS = [
    "id",
    "referral_id",
    "from_status",
    "to_status",
    "occurred_on",
    "by_id",
    "note",
    "created_at",
]
DISCLOSURE_COLUMNS = [
    "id",
    "client_id",
    "referral_id",
    "consent_id",
    "recipient_id",
    "categories",
    "disclosed_at",
    "by_id",
]
# How many referrals an enrollment has, drawn from this.
REFERRAL_COUNTS = (0, 1, 1, 2, 2, 2, 3, 3, 4, 2)
PATHS = [path for path, _ in REFERRAL_PATHS]
PATH_WEIGHTS = [weight for _, weight in REFERRAL_PATHS]
FINISHED_PATHS = [path for path in PATHS if path[-1] in FINISHED_REFERRAL]
FINISHED_WEIGHTS = [w for path, w in REFERRAL_PATHS if path[-1] in FINISHED_REFERRAL]


@dataclass
class Draft:
    """One referral as planned: who it is for, where it went and how far it got."""

    e: EnrollmentPlan
    author: int
    referral_id: int
    provider_id: int
    service_ids: list[int]
    created: int
    shares: bool
    # (from status, to status, day) of each step taken; the last says where it stands.
    steps: list[tuple[str, str, int]] = field(default_factory=list)
    consent_id: int | None = None

    @property
    def status(self) -> str:
        return self.steps[-1][1] if self.steps else ReferralStatus.DRAFT

    @property
    def last_day(self) -> int:
        return self.steps[-1][2] if self.steps else self.created


class ReferralLoader:
    """Per enrollment, a few referrals to random providers: old ones mostly finished,
    recent ones on their way; a consent per provider when one is shared with, reused until
    it expires; a disclosure for about half of those sent under a consent."""

    def __init__(self, loader: Loader, batch: CopyBatch) -> None:
        self.loader = loader
        self.days = loader.days
        self.rng = rng_for(loader.seed, "referrals")
        self.consents = batch.table(Consent, CONSENT_COLUMNS)
        self.referrals = batch.table(Referral, REFERRAL_COLUMNS)
        self.steps = batch.table(ReferralStep, STEP_COLUMNS)
        self.disclosures = batch.table(Disclosure, DISCLOSURE_COLUMNS)

    def counts(self) -> dict[str, int]:
        return {
            "consents": self.consents.rows,
            "referrals": self.referrals.rows,
            "referral steps": self.steps.rows,
            "disclosures": self.disclosures.rows,
        }

    def enrollment(self, e: EnrollmentPlan) -> None:
        rng, loader = self.rng, self.loader
        author = loader.staff.case_managers[e.cm]
        follow_up_days = loader.programs[e.program].referral_follow_up_days
        client_consents: dict[int, tuple[int, int]] = {}  # provider → (id, expires)
        for _ in range(REFERRAL_COUNTS[rng.randrange(len(REFERRAL_COUNTS))]):
            referral_id = loader.take(Referral)
            provider_id, service_ids = loader.providers[rng.randrange(len(loader.providers))]
            created = e.app + rng.randint(0, e.end - e.app)
            draft = Draft(
                e=e,
                author=author,
                referral_id=referral_id,
                provider_id=provider_id,
                service_ids=service_ids,
                created=created,
                shares=rng.random() < 0.88,
            )
            self._take_steps(draft, self._path(e, created))
            if draft.shares and draft.steps:
                draft.consent_id = self._consent(draft, client_consents)
            self._write(draft, goal_id=self._goal(e, created), follow_up_days=follow_up_days)

    def _path(self, e: EnrollmentPlan, created: int) -> tuple[str, ...]:
        """How far it is meant to get: old ones mostly finished, recent ones on their way."""
        rng = self.rng
        old = created < e.end - 60
        if not e.is_open or (old and rng.random() < 0.92):
            path = rng.choices(FINISHED_PATHS, FINISHED_WEIGHTS)[0]
        else:
            path = rng.choices(PATHS, PATH_WEIGHTS)[0]
        if rng.random() < 0.05 and e.is_open:
            path = ()  # still a draft
        return path

    def _take_steps(self, draft: Draft, path: tuple[str, ...]) -> None:
        """Sent the day it was drafted, each later step 2 to 30 days after the one before,
        as far as the episode lasted."""
        status: str = ReferralStatus.DRAFT
        day = draft.created
        for to_status in path:
            next_day = day + (0 if status == ReferralStatus.DRAFT else self.rng.randint(2, 30))
            if next_day > draft.e.end:
                break
            draft.steps.append((status, to_status, next_day))
            status, day = to_status, next_day

    def _consent(self, draft: Draft, client_consents: dict[int, tuple[int, int]]) -> int:
        """The client's consent for the provider in force when the referral was sent, or a
        new one signed a few days before."""
        sent_on = draft.steps[0][2]
        existing = client_consents.get(draft.provider_id)
        if existing is not None and existing[1] >= sent_on:
            return existing[0]
        rng, days, e = self.rng, self.days, draft.e
        consent_id = self.loader.take(Consent)
        signed = max(e.app, sent_on - rng.randint(0, 3))
        expires = signed + rng.choice((180, 365, 365, 365))
        self.consents.row(
            consent_id,
            e.client_id,
            "Synthetic agency",
            draft.provider_id,
            "",
            REFERRAL_CATEGORIES,
            "Referral and coordination of care.",
            days.date(expires),
            "",
            "client",
            "Client (synthetic)",
            days.date(signed),
            True,
            "",
            None,
            "",
            draft.author,
            days.ts(signed),
        )
        client_consents[draft.provider_id] = (consent_id, expires)
        return consent_id

    def _goal(self, e: EnrollmentPlan, created: int) -> int | None:
        """A goal of the plan in force when it was drafted, for about two in five."""
        goal_id = None
        for approved, superseded, goal_ids in e.plans:
            in_force = approved <= created and superseded is None
            if in_force and self.rng.random() < 0.4:
                goal_id = goal_ids[self.rng.randrange(len(goal_ids))]
        return goal_id

    def _write(self, draft: Draft, *, goal_id: int | None, follow_up_days: int) -> None:
        rng, days, e, status = self.rng, self.days, draft.e, draft.status
        unfinished = status not in FINISHED_REFERRAL and status != ReferralStatus.DRAFT
        follow_up = days.date(draft.last_day + follow_up_days) if unfinished else None
        self.referrals.row(
            draft.referral_id,
            e.id,
            goal_id,
            draft.provider_id,
            draft.service_ids[rng.randrange(len(draft.service_ids))],
            "Linkage to services named in the plan.",
            rng.choices(("routine", "urgent", "emergency"), (80, 17, 3))[0],
            "",
            "",
            draft.shares,
            REFERRAL_CATEGORIES if draft.shares else [],
            draft.consent_id,
            status,
            follow_up,
            "Engaged in services." if status == ReferralStatus.ENGAGED else "",
            draft.author,
            days.ts(draft.created, 630),
            days.ts(draft.last_day, 640),
        )
        for from_status, to_status, on in draft.steps:
            self.steps.row(
                self.loader.take(ReferralStep),
                draft.referral_id,
                from_status,
                to_status,
                days.date(on),
                draft.author,
                "",
                days.ts(on, 650),
            )
        if draft.consent_id is not None and rng.random() < 0.5:
            self.disclosures.row(
                self.loader.take(Disclosure),
                e.client_id,
                draft.referral_id,
                draft.consent_id,
                draft.provider_id,
                REFERRAL_CATEGORIES,
                days.ts(draft.steps[0][2], 660),
                draft.author,
            )


def load_referrals(loader: Loader) -> None:
    load_per_enrollment(loader, ReferralLoader)
