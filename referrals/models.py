"""The provider directory, interagency agreements, referrals (linkage), releases of
information (consents) and the accounting of disclosures.

Linkage follows TIP 27 (ACCSA module 19: linkage and interagency agreements) and the CFP
bulletin 18B-08 (referrals to mental-health and substance-use programs, waiting lists).
Disclosure needs written permission (IC&RC core function 7); substance-use treatment records
need the elements of 42 CFR 2.31 and the redisclosure notice of 42 CFR 2.32.
Client records here are reached through ``visible_to`` / ``writable_by``; nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from accounts.selectors import team_ids_readable_by
from clients.models import Client, Enrollment, emergency_access_arm
from referrals import consent_rules
from serviceplans.models import Goal

if TYPE_CHECKING:
    from accounts.models import User


def _no_delete(table: str) -> pgtrigger.Protect:
    return pgtrigger.Protect(name=f"{table}_no_delete", operation=pgtrigger.Delete)


class ServiceType(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_USE = "substance_use", "Substance use"
    CO_OCCURRING = "co_occurring", "Co-occurring (MICA)"
    HOUSING = "housing", "Housing"
    MEDICAL_HIV = "medical_hiv", "Medical / HIV"
    SOCIAL_SERVICES = "social_services", "Social services"
    LEGAL = "legal", "Legal"
    EDUCATION_EMPLOYMENT = "education_employment", "Education / employment"
    OTHER = "other", "Other"


class InformationCategory(models.TextChoices):
    """What a consent lets the agency disclose. Substance-use treatment records are their
    own category: 42 CFR Part 2 protects them beyond HIPAA."""

    IDENTIFYING = "identifying", "Identifying and contact details"
    ASSESSMENT = "assessment", "Assessment findings"
    SERVICE_PLAN = "service_plan", "Service plan goals"
    MENTAL_HEALTH = "mental_health", "Mental-health information"
    MEDICAL_HIV = "medical_hiv", "Medical and HIV information"
    SUBSTANCE_USE = "substance_use", "Substance-use treatment records (42 CFR Part 2)"
    LEGAL = "legal", "Legal / criminal-justice information"


def category_labels(categories: Iterable[str]) -> list[str]:
    """The information categories in words, in the order of InformationCategory."""
    chosen = set(categories)
    return [label for value, label in InformationCategory.choices if value in chosen]


# --- Provider directory -----------------------------------------------------------------------


class Provider(models.Model):
    """An organisation in the directory. Administrators maintain it; everyone reads it."""

    name = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    accepts_medicaid = models.BooleanField(default=False)
    waitlist_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Current wait for a first appointment, in weeks."
    )
    waitlist_checked_on = models.DateField(null=True, blank=True)
    eligibility_notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["is_active", "waitlist_weeks"], name="provider_waitlist"),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderService(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    service_type = models.CharField(max_length=30, choices=ServiceType.choices)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["service_type", "provider"], name="service_type")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_service_type_display()})"


class InteragencyAgreement(models.Model):
    class Kind(models.TextChoices):
        SINGLE_AGENCY = "single_agency", "Single agency"
        INFORMAL = "informal", "Informal partnership"
        CONSORTIUM = "consortium", "Formal consortium"
        MOU = "mou", "Memorandum of understanding"
        CONTRACT = "contract", "Contract"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    document = models.FileField(upload_to="agreements/%Y/", blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.provider}"


# --- Consents ---------------------------------------------------------------------------------


class ClientScopedQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User) -> ClientScopedQuerySet:
        return self.filter(client__in=Client.objects.visible_to(user))

    def writable_by(self, user: User) -> ClientScopedQuerySet:
        return self.filter(client__in=Client.objects.writable_by(user))


@pghistory.track()
class Consent(models.Model):
    """A release of information: who may disclose what to whom, why, until when, signed by
    the client or their guardian, revocable from a date on (42 CFR 2.31 for Part 2 records)."""

    class Signer(models.TextChoices):
        CLIENT = "client", "Client"
        GUARDIAN = "guardian", "Parent or legal guardian"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    discloser = models.CharField(
        "who may disclose", max_length=200, help_text="The agency or program named on the form."
    )
    recipient_provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    recipient_class = models.CharField(
        "or a class of recipient",
        max_length=30,
        choices=ServiceType.choices,
        blank=True,
        help_text="Any provider of this service type in the directory.",
    )
    categories = ArrayField(models.CharField(max_length=20, choices=InformationCategory.choices))
    purpose = models.TextField()
    expires_on = models.DateField(null=True, blank=True)
    expiry_event = models.CharField(max_length=200, blank=True)
    signer = models.CharField(max_length=10, choices=Signer.choices)
    signer_name = models.CharField(max_length=200)
    signed_on = models.DateField()
    right_to_revoke_explained = models.BooleanField(
        default=False, help_text="The client was told of the right to revoke (42 CFR 2.31)."
    )
    signed_copy = models.FileField(upload_to="consents/%Y/", blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    revocation_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["client", "expires_on"], name="consent_client_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_provider__isnull=False) | ~Q(recipient_class=""),
                name="consent_names_a_recipient",
            ),
            # Never both a provider and a class (consent_rules.recipient_errors, 42 CFR 2.31).
            models.CheckConstraint(
                condition=Q(recipient_provider__isnull=True) | Q(recipient_class=""),
                name="consent_names_one_recipient",
                violation_error_message=consent_rules.RECIPIENT_NOT_BOTH,
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("signed_on")),
                name="consent_expires_after_signing",
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=models.F("signed_on")),
                name="consent_revoked_after_signing",
            ),
        ]
        triggers = [_no_delete("consent")]

    def __str__(self) -> str:
        recipient = self.recipient_provider or self.get_recipient_class_display()
        return f"Release to {recipient}, signed {self.signed_on:%Y-%m-%d}"


# --- Referrals --------------------------------------------------------------------------------


class ReferralQuerySet(models.QuerySet[Any]):
    # Scoped through the enrollment; the access log finds the client this way
    # (clients.access._client_id_of).
    enrollment_path = "enrollment"

    def visible_to(self, user: User) -> ReferralQuerySet:
        # Enrollment.objects.visible_to(user) written as a join on the enrollment's team,
        # not as "enrollment IN (subquery)": the referral list also filters the team, and the
        # two filters together made PostgreSQL expect 2 rows of a team's 400 and choose
        # nested loops over every provider (referral list at 100,000 clients: 27 ms → 4 ms).
        # A client opened by an emergency grant brings their referrals along, read-only.
        team_ids = team_ids_readable_by(user)
        if team_ids is None:
            return self.all()
        return self.filter(
            Q(enrollment__team_id__in=team_ids)
            | emergency_access_arm(user, "enrollment__client_id")
        )

    def writable_by(self, user: User) -> ReferralQuerySet:
        return self.filter(enrollment__in=Enrollment.objects.writable_by(user))


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    WAITLISTED = "waitlisted", "Waitlisted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED_BY_PROVIDER = "declined_by_provider", "Declined by provider"
    DECLINED_BY_CLIENT = "declined_by_client", "Declined by client"
    APPOINTMENT_SCHEDULED = "appointment_scheduled", "Appointment scheduled"
    ATTENDED = "attended", "Attended"
    ENGAGED = "engaged", "Engaged (retained)"
    CLOSED = "closed", "Closed"


@pghistory.track()
class Referral(models.Model):
    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"
        EMERGENCY = "emergency", "Emergency"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="referrals")
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(
        ProviderService, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    client_readiness = models.CharField(max_length=200, blank=True)
    barriers = models.TextField(blank=True)
    shares_information = models.BooleanField(
        default=True,
        help_text="Off when the client contacts the provider themself and nothing is sent.",
    )
    categories = ArrayField(
        models.CharField(max_length=20, choices=InformationCategory.choices),
        default=list,
        blank=True,
        help_text="What the referral discloses to the provider.",
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    status = models.CharField(
        max_length=25, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    follow_up_due_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The referral list: what is due, per case manager and per team.
            models.Index(
                fields=["follow_up_due_on"],
                condition=Q(follow_up_due_on__isnull=False),
                name="referral_follow_up_due",
            ),
        ]
        triggers = [_no_delete("referral")]

    def __str__(self) -> str:
        return f"Referral to {self.provider} ({self.get_status_display().lower()})"


class ReferralStep(models.Model):
    """One dated step of a referral: from which state to which, by whom, with a note."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(max_length=25, choices=ReferralStatus.choices)
    to_status = models.CharField(max_length=25, choices=ReferralStatus.choices)
    occurred_on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        triggers = [
            pgtrigger.Protect(
                name="referralstep_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} on {self.occurred_on:%Y-%m-%d}"


class Disclosure(models.Model):
    """The accounting of disclosures: each referral packet produced, to whom, what, when and
    under which consent."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="disclosures")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="disclosures")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    categories = ArrayField(models.CharField(max_length=20, choices=InformationCategory.choices))
    disclosed_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ClientScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="disclosure_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"Disclosure to {self.recipient} on {self.disclosed_at:%Y-%m-%d}"
