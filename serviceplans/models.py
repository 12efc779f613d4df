"""Assessments, readiness and risk screens, and versioned service plans.

Every model is reached through ``visible_to(user)`` / ``writable_by(user)`` querysets that
defer to the enrollment's scope (clients.models.Enrollment), so the access rules stay in one
place. Nothing here is deleted (database triggers) and every change is in history
(django-pghistory).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from clients.models import Contact, Enrollment, FamilyMember

if TYPE_CHECKING:
    from accounts.models import User


def _no_delete(table: str) -> pgtrigger.Protect:
    return pgtrigger.Protect(name=f"{table}_no_delete", operation=pgtrigger.Delete)


class EnrollmentScopedQuerySet(models.QuerySet[Any]):
    """Scope through the enrollment: ``enrollment_path`` names the way there."""

    enrollment_path = "enrollment"

    def visible_to(self, user: User) -> EnrollmentScopedQuerySet:
        return self.filter(**{f"{self.enrollment_path}__in": Enrollment.objects.visible_to(user)})

    def writable_by(self, user: User) -> EnrollmentScopedQuerySet:
        return self.filter(**{f"{self.enrollment_path}__in": Enrollment.objects.writable_by(user)})


class PlanScopedQuerySet(EnrollmentScopedQuerySet):
    enrollment_path = "plan__enrollment"


class GoalScopedQuerySet(EnrollmentScopedQuerySet):
    enrollment_path = "goal__plan__enrollment"


class AssessmentScopedQuerySet(EnrollmentScopedQuerySet):
    enrollment_path = "assessment__enrollment"


class RiskAlertQuerySet(EnrollmentScopedQuerySet):
    enrollment_path = "risk_screen__enrollment"


class Domain(models.TextChoices):
    """The life domains of the comprehensive assessment (TIP 27; CFP bulletin 18B-08)."""

    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_USE = "substance_use", "Substance use"
    MEDICAL_HIV = "medical_hiv", "Medical / HIV"
    HOUSING = "housing", "Housing"
    FAMILY = "family", "Family and relationships"
    LEGAL = "legal", "Legal / criminal justice"
    EDUCATION_EMPLOYMENT = "education_employment", "Education / employment"
    STRENGTHS = "strengths", "Strengths"


# --- Comprehensive assessment -----------------------------------------------------------------


@pghistory.track()
class Assessment(models.Model):
    """A comprehensive assessment: started as a draft, completed and locked by its author.

    Idaho CMH standards 7 and 8: completed within 30 days of application, and updated at
    least annually.
    """

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial"
        UPDATE = "update", "Update"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrollmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The last completed assessment of each enrollment (due dates on the caseload).
            models.Index(
                fields=["enrollment", "-completed_on"],
                condition=Q(status="completed"),
                name="assessment_completed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(completed_on__isnull=True))
                | (Q(status="completed") & Q(completed_on__isnull=False)),
                name="assessment_completed_has_date",
            ),
            # One draft at a time per enrollment: finish it before starting another.
            models.UniqueConstraint(
                fields=["enrollment"], condition=Q(status="draft"), name="assessment_one_draft"
            ),
        ]
        triggers = [_no_delete("assessment")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} assessment ({self.get_status_display().lower()})"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.COMPLETED


@pghistory.track()
class AssessmentFinding(models.Model):
    class NeedLevel(models.TextChoices):
        NONE = "none", "No need"
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="findings")
    domain = models.CharField(max_length=30, choices=Domain.choices)
    findings = models.TextField(blank=True)
    need_level = models.CharField(max_length=10, choices=NeedLevel.choices, blank=True)

    objects = AssessmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="finding_one_per_domain")
        ]
        triggers = [_no_delete("assessmentfinding")]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_need_level_display() or 'not rated'}"


class AssessmentAddendum(models.Model):
    """A dated correction to a completed assessment; the assessment itself stays as it was."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        triggers = [
            pgtrigger.Protect(
                name="assessmentaddendum_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Addendum to assessment {self.assessment_id}"


# --- Readiness, risk and adherence ------------------------------------------------------------


class StageOfChange(models.TextChoices):
    PRECONTEMPLATION = "precontemplation", "Precontemplation"
    CONTEMPLATION = "contemplation", "Contemplation"
    PREPARATION = "preparation", "Preparation"
    ACTION = "action", "Action"
    MAINTENANCE = "maintenance", "Maintenance"


class Adherence(models.TextChoices):
    GOOD = "good", "Good"
    PARTIAL = "partial", "Partial"
    POOR = "poor", "Poor"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


RISK_ITEMS: tuple[tuple[str, str], ...] = (
    ("suicidal_ideation", "Suicidal threats or ideation"),
    ("domestic_violence", "Domestic violence (current or history in the household)"),
    ("child_abuse_neglect", "Child abuse or neglect allegations"),
    ("aggressive_behaviour", "Aggressive behaviour"),
    ("risk_behaviours", "Known risk behaviours"),
    ("crisis", "Crisis"),
)
# The names of the screen's risk-item fields, in the order of RISK_ITEMS.
RISK_ITEM_NAMES = tuple(name for name, _ in RISK_ITEMS)


@pghistory.track()
class RiskScreen(models.Model):
    """Readiness (stage of change), risk and treatment adherence, as screened on one day.

    The risk items are the crisis situations of the CFP bulletin 18B-08 on which the clinical
    case manager/supervisor guides the case manager. A screen is a dated record and is never
    edited: a new screen replaces it as the current one.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="risk_screens"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_on = models.DateField()
    mental_health_stage = models.CharField(
        "stage of change: mental-health treatment",
        max_length=20,
        choices=StageOfChange.choices,
        blank=True,
    )
    substance_use_stage = models.CharField(
        "stage of change: substance-use treatment",
        max_length=20,
        choices=StageOfChange.choices,
        blank=True,
    )
    suicidal_ideation = models.BooleanField(RISK_ITEMS[0][1], default=False)
    domestic_violence = models.BooleanField(RISK_ITEMS[1][1], default=False)
    child_abuse_neglect = models.BooleanField(RISK_ITEMS[2][1], default=False)
    aggressive_behaviour = models.BooleanField(RISK_ITEMS[3][1], default=False)
    risk_behaviours = models.BooleanField(RISK_ITEMS[4][1], default=False)
    crisis = models.BooleanField(RISK_ITEMS[5][1], default=False)
    # Any item positive; set once when the screen is recorded (screens are never edited).
    positive = models.BooleanField(default=False, editable=False)
    medication_adherence = models.CharField(
        max_length=20, choices=Adherence.choices, default=Adherence.NOT_APPLICABLE
    )
    appointment_adherence = models.CharField(
        max_length=20, choices=Adherence.choices, default=Adherence.NOT_APPLICABLE
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrollmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_on", "-id"]
        indexes = [
            models.Index(fields=["enrollment", "-screened_on", "-id"], name="riskscreen_latest")
        ]
        triggers = [
            pgtrigger.Protect(
                name="riskscreen_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"Risk screen {self.screened_on:%Y-%m-%d}{' (positive)' if self.positive else ''}"

    @property
    def positive_items(self) -> list[str]:
        return [label for name, label in RISK_ITEMS if getattr(self, name)]


@pghistory.track()
class RiskAlert(models.Model):
    """A positive risk screen waiting for the team's supervisor (DESIGN.md step 2: "a
    positive risk screen raises a flag for the supervisor at once"). The supervision queue
    reads these; ``reviewed_at`` is set when a supervisor has acted on it."""

    risk_screen = models.OneToOneField(RiskScreen, on_delete=models.PROTECT, related_name="alert")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="risk_alerts")
    raised_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = RiskAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(
                fields=["team", "raised_at"],
                condition=Q(reviewed_at__isnull=True),
                name="riskalert_open",
            )
        ]
        triggers = [_no_delete("riskalert")]

    def __str__(self) -> str:
        return f"Risk alert for screen {self.risk_screen_id}"


# --- Service plan -----------------------------------------------------------------------------


@pghistory.track()
class ServicePlan(models.Model):
    """A version of the client's service plan (Idaho CMH standard 9).

    Versions go draft → active → superseded. An active plan is never edited: a new draft is
    started from it, and approving that draft supersedes it. The client's participation, the
    date the rationale of case management was explained to them (IC&RC criterion 28) and
    their signature are recorded; a supervisor of the team approves.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    client_participated = models.BooleanField(default=True)
    family_participants = models.ManyToManyField(FamilyMember, blank=True, related_name="plans")
    rationale_explained_on = models.DateField(
        "rationale of case management explained to the client on", null=True, blank=True
    )
    client_signed_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrollmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["enrollment"], condition=Q(status="active"), name="plan_one_active"
            ),
            models.UniqueConstraint(
                fields=["enrollment"], condition=Q(status="draft"), name="plan_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(approved_on__isnull=False) & Q(approved_by__isnull=False)),
                name="plan_approved_unless_draft",
            ),
        ]
        triggers = [_no_delete("serviceplan")]

    def __str__(self) -> str:
        return f"Service plan v{self.version} ({self.get_status_display().lower()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class LifeDomain(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_USE = "substance_use", "Substance use"
    PHYSICAL_HEALTH = "physical_health", "Physical health / HIV"
    HOUSING = "housing", "Housing"
    FAMILY = "family", "Family and relationships"
    LEGAL = "legal", "Legal"
    EDUCATION_EMPLOYMENT = "education_employment", "Education / employment"
    DAILY_LIVING = "daily_living", "Daily living and finances"
    SOCIAL = "social", "Social and recreation"
    OTHER = "other", "Other"


@pghistory.track()
class Goal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        DISCONTINUED = "discontinued", "Discontinued"

    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="goals")
    client_words = models.TextField("the goal, in the client's own words")
    life_domain = models.CharField(max_length=30, choices=LifeDomain.choices)
    target_date = models.DateField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.ACTIVE)
    # The goal this one was copied from when a new plan version was started.
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PlanScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        triggers = [_no_delete("goal")]

    def __str__(self) -> str:
        return self.client_words[:60]


@pghistory.track()
class PlanAction(models.Model):
    """An objective or intervention under a goal: who does what, when and how often, where
    and why (IC&RC criterion 29, coordinating services)."""

    class Kind(models.TextChoices):
        OBJECTIVE = "objective", "Objective"
        INTERVENTION = "intervention", "Intervention"

    class Responsible(models.TextChoices):
        CASE_MANAGER = "case_manager", "Case manager"
        CLIENT = "client", "Client"
        FAMILY_MEMBER = "family_member", "Family member"
        PROVIDER = "provider", "Provider"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    responsible = models.CharField("who does it", max_length=15, choices=Responsible.choices)
    responsible_name = models.CharField(
        "name", max_length=150, blank=True, help_text="The family member, provider or person."
    )
    what = models.TextField()
    when = models.CharField("when / how often", max_length=200)
    where = models.CharField(max_length=200, blank=True)
    why = models.TextField()
    due_date = models.DateField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NOT_STARTED)

    objects = GoalScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        triggers = [_no_delete("planaction")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what[:50]}"


@pghistory.track()
class Barrier(models.Model):
    """A barrier to engagement and the strategy to reduce it (CFP bulletin 18B-08)."""

    class Kind(models.TextChoices):
        TRANSPORT = "transport", "Transport"
        WAITLIST = "waitlist", "Waiting list"
        RELUCTANCE = "reluctance", "Reluctance"
        STIGMA = "stigma", "Stigma"
        COST = "cost", "Cost"
        LANGUAGE = "language", "Language"
        CHILDCARE = "childcare", "Childcare"
        OTHER = "other", "Other"

    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="barriers")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    description = models.CharField(max_length=300, blank=True)
    strategy = models.TextField("strategy to reduce it")
    resolved_on = models.DateField(null=True, blank=True)

    objects = PlanScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        triggers = [_no_delete("barrier")]

    def __str__(self) -> str:
        return self.get_kind_display()


@pghistory.track()
class PlanReview(models.Model):
    """A scheduled review of an active plan, with progress recorded per goal."""

    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField()
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["plan", "-reviewed_on"], name="planreview_latest")]
        triggers = [_no_delete("planreview")]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.reviewed_on:%Y-%m-%d}"


class GoalProgress(models.Model):
    class Rating(models.TextChoices):
        NONE = "none", "No progress"
        SOME = "some", "Some progress"
        GOOD = "good", "Good progress"
        ACHIEVED = "achieved", "Achieved"

    review = models.ForeignKey(PlanReview, on_delete=models.PROTECT, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="progress_one_per_goal")
        ]
        triggers = [
            pgtrigger.Protect(
                name="goalprogress_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} on goal {self.goal_id}"


class ContactGoal(models.Model):
    """The service-plan goals a contact served: clinical case management relates to a goal
    (DESIGN.md step 5)."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="goal_links")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="contact_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "goal"], name="contactgoal_unique")
        ]
        triggers = [
            pgtrigger.Protect(
                name="contactgoal_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"Contact {self.contact_id} served goal {self.goal_id}"
