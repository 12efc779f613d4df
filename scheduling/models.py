"""Planned visits and the private calendar feed of a user's schedule.

A planned visit is reached, like every clinical record, through ``visible_to(user)`` /
``writable_by(user)`` querysets that defer to its enrollment's scope, so
``clients.access.object_for_request`` gates it. Nothing here is deleted (a visit is
cancelled, a feed revoked) and every change to a visit is in history (django-pghistory).
"""

from __future__ import annotations

import hashlib

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from clients.models import Contact, Enrollment
from serviceplans.models import EnrollmentScopedQuerySet


class Place(models.TextChoices):
    HOME = "home", "Client's home"
    OFFICE = "office", "Office"
    COMMUNITY = "community", "In the community"
    TELEHEALTH = "telehealth", "Telehealth (video)"
    PHONE = "phone", "Phone"
    OTHER = "other", "Other"


@pghistory.track()  # inserts and updates, with the request's user and URL
class PlannedVisit(models.Model):
    """A contact the case manager plans to make: planned until it is recorded (it then
    points at the contact), marked missed (an attempted contact is recorded) or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RECORDED = "recorded", "Recorded"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="planned_visits"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="planned_visits"
    )
    scheduled_start = models.DateTimeField()
    expected_minutes = models.PositiveSmallIntegerField(default=60)
    place = models.CharField(max_length=12, choices=Place.choices, default=Place.HOME)
    location = models.CharField(
        max_length=200, blank=True, help_text="Where exactly, in a few words (optional)."
    )
    contact_type = models.CharField(max_length=20, choices=Contact.Type.choices)
    with_whom = models.CharField(max_length=300, blank=True)
    purpose = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    contact = models.OneToOneField(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_visit",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrollmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_start", "id"]
        indexes = [
            # A case manager's week and their planned visits on My work.
            models.Index(fields=["case_manager", "scheduled_start"], name="plannedvisit_schedule"),
            models.Index(fields=["enrollment", "scheduled_start"], name="plannedvisit_enrollment"),
        ]
        constraints = [
            # Recorded and missed visits name the contact that closed them; planned and
            # cancelled ones none.
            models.CheckConstraint(
                condition=(Q(status__in=["recorded", "missed"]) & Q(contact__isnull=False))
                | (Q(status__in=["planned", "cancelled"]) & Q(contact__isnull=True)),
                name="plannedvisit_contact_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(expected_minutes__gt=0) & Q(expected_minutes__lte=24 * 60),
                name="plannedvisit_minutes_within_a_day",
            ),
        ]
        triggers = [pgtrigger.Protect(name="plannedvisit_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} at {self.scheduled_start:%Y-%m-%d %H:%M}"

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def contact_location(self) -> str:
        """The contact's free-text location for this visit: the contact log has no coded
        place, so the place's label, then the visit's own words."""
        label = self.get_place_display()
        return f"{label}: {self.location}" if self.location else label


def feed_token_hash(token: str) -> str:
    """What is stored of a feed's secret token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A user's opt-in iCalendar feed. Only the SHA-256 of the secret token is stored, so the
    database does not hold a usable address; the address is shown once, when made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feed"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        triggers = [pgtrigger.Protect(name="calendarfeed_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
