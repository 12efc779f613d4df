"""Staff, their roles, teams and regions.

The roles are those of DESIGN.md ("Who uses it"): case managers work a caseload in one
team; supervisors (clinical case manager/supervisors, CFP bulletin 18B-08) oversee one or
more teams; administrators and QA reviewers see the whole agency.
"""

from __future__ import annotations

import datetime as dt

import pgtrigger
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django_otp.models import Device


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="teams")
    supervisors = models.ManyToManyField(
        "accounts.User", related_name="supervised_teams", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", "Case manager"
    SUPERVISOR = "supervisor", "Supervisor"
    ADMINISTRATOR = "administrator", "Administrator"
    QA_REVIEWER = "qa_reviewer", "QA reviewer"


# What administrators configure in the Django admin: (app label, model) pairs, or the whole
# app where the model is None. Clinical records are not configuration and are not here.
CONFIGURATION_MODELS: frozenset[tuple[str, str | None]] = frozenset(
    {
        ("accounts", "region"),
        ("accounts", "team"),
        ("accounts", "user"),
        ("clients", "program"),
        ("referrals", "provider"),
        ("referrals", "providerservice"),
        ("referrals", "interagencyagreement"),
        # The outcome measures and when each program records them.
        ("outcomes", "measure"),
        ("outcomes", "programoutcomeschedule"),
        # The record-review checklist (quality): benchmarks the agency configures.
        ("quality", "benchmark"),
        # Failed log-ins and lockouts: an administrator unlocks an account by deleting them.
        ("axes", None),
    }
)


# Administrators read everything, the change history included, but never write it.
READ_ONLY_APPS = frozenset({"pghistory"})


def _is_administrator_permission(perm: str) -> bool:
    app_label, _, codename = perm.partition(".")
    action, _, model = codename.partition("_")
    if app_label in READ_ONLY_APPS:
        return action == "view"
    return (app_label, None) in CONFIGURATION_MODELS or (app_label, model) in CONFIGURATION_MODELS


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CASE_MANAGER)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        help_text="The team whose caseloads this person works in (case managers).",
    )
    credentials = models.CharField(
        max_length=50, blank=True, help_text="For example LCSW, LMSW, CADC."
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="case_manager") | models.Q(team__isnull=False),
                name="case_manager_has_team",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        """Administrators hold every permission on configuration (DESIGN.md: they set
        program standards and maintain teams and staff) by role, not by per-user grants."""
        if self.is_active and self.is_administrator and _is_administrator_permission(perm):
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if (
            self.is_active
            and self.is_administrator
            and (
                app_label in READ_ONLY_APPS
                or any(label == app_label for label, _ in CONFIGURATION_MODELS)
            )
        ):
            return True
        return super().has_module_perms(app_label)

    @property
    def is_case_manager(self) -> bool:
        return self.role == Role.CASE_MANAGER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_qa_reviewer(self) -> bool:
        return self.role == Role.QA_REVIEWER

    @property
    def sees_whole_agency(self) -> bool:
        return self.role in (Role.ADMINISTRATOR, Role.QA_REVIEWER)


class SecondFactorReset(models.Model):
    """An administrator removed a person's second-factor devices (a lost phone), and why
    (accounts.second_factor.second_factor_reset). Append-only: the record of who may have let
    someone in without their phone."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="second_factor_resets")
    reset_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    reset_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reset_at", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="secondfactorreset_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Second factor of {self.user} reset on {self.reset_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A bearer token for the API (accounts.api_tokens), minted by its owner from a session
    that passed the second factor, for at most API_TOKEN_MAX_DAYS. Only the SHA-256 of the
    secret is stored; the secret is shown once. Revoked, never deleted: the record of what
    could reach the API, and until when."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        triggers = [pgtrigger.Protect(name="apitoken_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"API token {self.name} of {self.user}"


class Passkey(Device):
    """A passkey: a WebAuthn public-key credential (W3C Web Authentication, Level 2) that its
    owner registered from their account page, used as the second factor instead of a code
    (accounts.passkeys). A django-otp device like the authenticator app, so the session is
    verified by it the same way, and an administrator's reset removes it with the others.

    Only public material is stored: the credential's id, its attested data (the
    authenticator's AAGUID and the COSE public key) and its signature counter (a counter
    that goes backwards betrays a cloned authenticator, WebAuthn §6.1.1)."""

    # Declared again (django-otp's Device has the same field) for the type checker, which
    # cannot see into django-otp's untyped base: no reverse accessor, the user's devices are
    # read through django-otp or accounts.passkeys.
    user: models.ForeignKey[User, User] = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+"
    )
    credential_id: models.BinaryField[bytes, bytes] = models.BinaryField(unique=True)
    credential_data: models.BinaryField[bytes, bytes] = models.BinaryField()
    sign_count: models.PositiveBigIntegerField[int, int] = models.PositiveBigIntegerField(default=0)
    created_at: models.DateTimeField[dt.datetime, dt.datetime] = models.DateTimeField(
        default=timezone.now
    )
    last_used_at: models.DateTimeField[dt.datetime | None, dt.datetime | None] = (
        models.DateTimeField(null=True, blank=True)
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Passkey {self.name} of {self.user}"
