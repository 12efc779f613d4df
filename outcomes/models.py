"""Outcome measures: what the agency measures, when each program measures it, and what was
measured for each enrollment (TIP 27, ACCSA module 19: "specific outcomes for individual clients
that are measured might include sobriety, family functioning, and fewer encounters with the
criminal justice system").

A ``Measure`` is agency configuration (the administrator edits it in the admin): its kind, its
range, the direction in which it improves and its smallest meaningful change; a categorical
measure lists its categories from worst to best, and a move up the list by at least the
smallest change is an improvement. A ``ProgramOutcomeSchedule`` (one per program, kept here
rather than as fields on clients.Program) says which measures a program records, within how
many days of the application the intake measurement is due and how often a follow-up is due
after that. A program that has none follows the agency's defaults (outcomes.schedule).

An ``OutcomeMeasurement`` is one occasion (intake, follow-up, discharge) for one enrollment,
with a ``MeasureValue`` per measure. Nothing is deleted or rewritten: a correction is a new
measurement that replaces the old one (``corrects``), the old one kept and marked
``is_current=False``, all in history (django-pghistory).
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from clients.models import Enrollment, Program
from serviceplans.models import EnrollmentScopedQuerySet


class MeasureKind(models.TextChoices):
    COUNT = "count", "Count (days, encounters, visits)"
    RATING = "rating", "Rating on a scale"
    CATEGORY = "category", "Category (ordered from worst to best)"


class Direction(models.TextChoices):
    LOWER_IS_BETTER = "lower", "Lower is better"
    HIGHER_IS_BETTER = "higher", "Higher is better"


class Occasion(models.TextChoices):
    INTAKE = "intake", "Intake (baseline)"
    FOLLOW_UP = "follow_up", "Follow-up"
    DISCHARGE = "discharge", "Discharge"


class Measure(models.Model):
    """One outcome measure, as the agency defines it. A categorical measure improves upward
    through ``categories`` (worst first); a count or rating in its ``direction``."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    question = models.CharField(
        max_length=300, help_text="What the case manager asks or records, in plain words."
    )
    kind = models.CharField(max_length=10, choices=MeasureKind.choices)
    direction = models.CharField(
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER_IS_BETTER,
        help_text="For a category, its order (worst first) is higher-is-better.",
    )
    minimum = models.PositiveSmallIntegerField(default=0)
    maximum = models.PositiveSmallIntegerField(null=True, blank=True)
    categories = ArrayField(
        models.CharField(max_length=60),
        default=list,
        blank=True,
        help_text="Categorical measures: the categories, from worst to best.",
    )
    meaningful_change = models.PositiveSmallIntegerField(
        default=1,
        help_text="The smallest change that counts as improvement (units, points or steps).",
    )
    is_default = models.BooleanField(
        default=True, help_text="Recorded by a program that has not chosen its own measures."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meaningful_change__gt=0), name="measure_meaningful_change_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind="category") | Q(direction="higher"),
                name="measure_category_improves_upward",
            ),
            models.CheckConstraint(
                condition=Q(kind="category") | Q(maximum__isnull=False),
                name="measure_number_has_maximum",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_categorical(self) -> bool:
        return self.kind == MeasureKind.CATEGORY


class ProgramOutcomeSchedule(models.Model):
    """When a program measures outcomes and which measures: the intake measurement within
    ``intake_within_days`` of the application, then a follow-up every
    ``follow_up_interval_days`` after the last measurement, and one at discharge."""

    program = models.OneToOneField(
        Program, on_delete=models.PROTECT, related_name="outcome_schedule"
    )
    intake_within_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days from the application date to the intake (baseline) measures."
    )
    follow_up_interval_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days from the last measurement to the next follow-up."
    )
    measures = models.ManyToManyField(
        Measure,
        related_name="schedules",
        blank=True,
        help_text="None chosen: the default measures.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(intake_within_days__gt=0) & Q(follow_up_interval_days__gt=0),
                name="outcomeschedule_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome measures of {self.program}"


class OutcomeMeasurementQuerySet(EnrollmentScopedQuerySet):
    def current(self) -> OutcomeMeasurementQuerySet:
        return self.filter(is_current=True)


@pghistory.track()  # inserts and updates, with the request's user and URL
class OutcomeMeasurement(models.Model):
    """The measures taken on one occasion for one enrollment."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="outcome_measurements"
    )
    occasion = models.CharField(max_length=10, choices=Occasion.choices)
    measured_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A correction replaces the measurement it corrects, which stays (is_current=False).
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )
    correction_reason = models.CharField(max_length=300, blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutcomeMeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["measured_on", "id"]
        indexes = [
            models.Index(
                fields=["enrollment", "measured_on"],
                condition=Q(is_current=True),
                name="outcome_current_by_enrollment",
            ),
        ]
        constraints = [
            # One baseline and one discharge measurement per episode.
            models.UniqueConstraint(
                fields=["enrollment", "occasion"],
                condition=Q(is_current=True) & Q(occasion__in=["intake", "discharge"]),
                name="outcome_one_intake_one_discharge",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="outcome_correction_has_reason",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="outcomemeasurement_no_delete", operation=pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} measures on {self.measured_on:%Y-%m-%d}"


class MeasureValueQuerySet(EnrollmentScopedQuerySet):
    enrollment_path = "measurement__enrollment"


@pghistory.track()
class MeasureValue(models.Model):
    """One measure's value on one occasion: a number for counts and ratings, a category for
    categorical measures. Written with its measurement and never changed (a trigger refuses
    UPDATE and DELETE): a correction writes a new measurement."""

    measurement = models.ForeignKey(
        OutcomeMeasurement, on_delete=models.PROTECT, related_name="values"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.CharField(max_length=60, blank=True)

    objects = MeasureValueQuerySet.as_manager()

    class Meta:
        ordering = ["measure__position", "measure_id"]
        constraints = [
            models.UniqueConstraint(fields=["measurement", "measure"], name="measurevalue_once"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(category=""),
                name="measurevalue_number_or_category",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="measurevalue_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.display}"

    @property
    def display(self) -> str:
        if self.category:
            return self.category
        return "—" if self.number is None else str(self.number)
