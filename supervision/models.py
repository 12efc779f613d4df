"""Compliance flags: what is due and unmet on an enrollment, under which standard.

A flag is raised by the compliance evaluation (supervision.compliance) when a requirement is
due and unmet, and resolved by it (dated, with what resolved it) once the requirement is met
or no longer applies. At most one flag per enrollment and rule is open at a time (a partial
unique constraint, which also makes two concurrent evaluations safe); a requirement that
lapses again after being met raises a new flag. Flags are never deleted and every change is
in history.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q

from clients.models import Enrollment
from serviceplans.models import EnrollmentScopedQuerySet

if TYPE_CHECKING:
    from supervision.compliance import Rule


class FlagRule(models.TextChoices):
    INITIAL_ASSESSMENT_OVERDUE = "initial_assessment_overdue", "Initial assessment overdue"
    ASSESSMENT_UPDATE_OVERDUE = "assessment_update_overdue", "Assessment update overdue"
    NO_SERVICE_PLAN = "no_service_plan", "No service plan"
    PLAN_REVIEW_OVERDUE = "plan_review_overdue", "Plan review overdue"
    MONITORING_GAP = "monitoring_gap", "Monitoring gap"
    REFERRAL_FOLLOW_UP_OVERDUE = "referral_follow_up_overdue", "Referral follow-up overdue"
    CONSENT_EXPIRING = "consent_expiring", "Consent expiring"
    RISK_SCREEN_UNREVIEWED = "risk_screen_unreviewed", "Positive risk screen not reviewed"


class FlagQuerySet(EnrollmentScopedQuerySet):
    def open(self) -> FlagQuerySet:
        return self.filter(resolved_on__isnull=True)  # type: ignore[return-value]


@pghistory.track()
class Flag(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="flags")
    rule = models.CharField(max_length=40, choices=FlagRule.choices)
    due_on = models.DateField()
    raised_on = models.DateField()
    raised_at = models.DateTimeField()
    resolved_on = models.DateField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True, help_text="What resolved it.")
    # What the flag is about beyond the enrollment, e.g. {"referral_id": 12}.
    detail = models.JSONField(default=dict, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "rule"],
                condition=Q(resolved_on__isnull=True),
                name="flag_one_open_per_enrollment_rule",
            ),
            models.CheckConstraint(
                condition=(Q(resolved_on__isnull=True) & Q(resolved_at__isnull=True))
                | (Q(resolved_on__isnull=False) & Q(resolved_at__isnull=False)),
                name="flag_resolved_has_date_and_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["rule", "due_on"],
                condition=Q(resolved_on__isnull=True),
                name="flag_open_by_rule",
            ),
        ]
        triggers = [pgtrigger.Protect(name="flag_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        state = "open" if self.is_open else f"resolved {self.resolved_on:%Y-%m-%d}"
        return f"{self.get_rule_display()} (due {self.due_on:%Y-%m-%d}, {state})"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None

    @property
    def rule_definition(self) -> Rule:
        from supervision.compliance import RULES_BY_CODE

        return RULES_BY_CODE[self.rule]

    def explain(self, *, as_of: dt.date) -> dict[str, Any]:
        """The flag in words: the rule, the standard it comes from, the due date, days overdue
        as of ``as_of`` (negative: days left, as for a consent about to expire) and what would
        satisfy it."""
        rule = self.rule_definition
        return {
            "rule": rule.name,
            "standard": rule.standard,
            "due_on": self.due_on,
            "days_overdue": self.days_overdue(as_of=as_of),
            "satisfied_by": rule.satisfied_by,
        }

    def days_overdue(self, *, as_of: dt.date) -> int:
        return (as_of - self.due_on).days
