"""Compliance flags: what is due and unmet on an enrollment, under which standard.

A flag is raised by the compliance evaluation (supervision.compliance) when a requirement of a
registered rule (supervision.rules) is due and unmet, and resolved by it (dated, with what
resolved it) once the requirement is met or no longer applies. At most one flag per
enrollment and rule is open at a time (a partial unique constraint, which also makes two
concurrent evaluations safe); a requirement that lapses again after being met raises a new
flag. Flags are never deleted and every change is in history.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pghistory
import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from clients.models import Enrollment
from serviceplans.models import EnrollmentScopedQuerySet, PlanAction
from supervision.rules import RULE_CODE_MAX_LENGTH, Rule, rule_choices, rule_for_code

if TYPE_CHECKING:
    from accounts.models import User


class FlagRule(models.TextChoices):
    """The codes and labels of supervision's own rules (supervision.compliance.BUILT_IN_RULES).
    Flags and variances accept every registered code (supervision.rules), these and those of
    the apps above."""

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
        return self.filter(resolved_on__isnull=True)


@pghistory.track()
class Flag(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="flags")
    rule = models.CharField(max_length=RULE_CODE_MAX_LENGTH, choices=rule_choices)
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
        return rule_for_code(self.rule)

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


# --- Supervision ------------------------------------------------------------------------------


class SupervisionNoteQuerySet(models.QuerySet[Any]):
    """Who reads supervision: the staff member supervised (who acknowledges it), the
    supervisors of the note's team, and the agency-wide roles. A case manager does not read
    the supervision of a colleague."""

    # The client a case-specific note is about, for the access log (clients.access); a
    # clinical supervision session names none.
    enrollment_path = "enrollment"

    def visible_to(self, user: User) -> SupervisionNoteQuerySet:
        from accounts.selectors import team_ids_readable_by

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_whole_agency:
            return self.all()
        if user.is_supervisor:
            return self.filter(Q(team_id__in=team_ids_readable_by(user)) | Q(staff_supervised=user))
        return self.filter(staff_supervised=user)

    def writable_by(self, user: User) -> SupervisionNoteQuerySet:
        """Supervisors write (and amend) the supervision of the teams they supervise."""
        from accounts.selectors import team_ids_writable_by

        return self.filter(team_id__in=team_ids_writable_by(user))


class ConcernCategory(models.TextChoices):
    """The crisis situations the CCM/S guides the case manager on (CFP bulletin 18B-08),
    the same categories as the risk screen's items (serviceplans.models.RISK_ITEMS)."""

    SUICIDAL_IDEATION = "suicidal_ideation", "Suicidal threats or ideation"
    DOMESTIC_VIOLENCE = "domestic_violence", "Domestic violence"
    CHILD_ABUSE_NEGLECT = "child_abuse_neglect", "Child abuse or neglect allegations"
    AGGRESSIVE_BEHAVIOUR = "aggressive_behaviour", "Aggressive behaviour"
    RISK_BEHAVIOURS = "risk_behaviours", "Known risk behaviours"
    CRISIS = "crisis", "Crisis"


@pghistory.track()
class SupervisionNote(models.Model):
    """A supervisor's record of supervision (CFP bulletin 18B-08: case-specific supervision,
    clinical supervision, case conferences, crisis guidance; DESIGN.md step 7).

    Case-specific kinds name the client's enrollment; a clinical supervision session is about
    the staff member alone. The staff member supervised acknowledges the note (dated). A note
    written in answer to a positive risk screen names its ``risk_alert``: writing it marks the
    alert reviewed and resolves the risk-screen flag.
    """

    class Kind(models.TextChoices):
        CASE_SPECIFIC = "case_specific", "Case-specific supervision"
        CLINICAL_SESSION = "clinical_session", "Clinical supervision session"
        CASE_CONFERENCE = "case_conference", "Case conference"
        CRISIS_CONSULTATION = "crisis_consultation", "Crisis consultation"
        RECORD_REVIEW = "record_review", "Record review"

    # Every kind but a clinical supervision session is about one client.
    CLIENT_KINDS = frozenset(
        {Kind.CASE_SPECIFIC, Kind.CASE_CONFERENCE, Kind.CRISIS_CONSULTATION, Kind.RECORD_REVIEW}
    )

    kind = models.CharField(max_length=25, choices=Kind.choices)
    # The team whose supervision this is: the enrollment's team, or the staff member's.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="supervision_notes"
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="supervision_notes",
        null=True,
        blank=True,
    )
    staff_supervised = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="supervision_received"
    )
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    concerns = ArrayField(
        models.CharField(max_length=25, choices=ConcernCategory.choices),
        default=list,
        blank=True,
    )
    discussion = models.TextField()
    recommendations = models.TextField(blank=True)
    # A case conference's goals and objectives agreed (CFP bulletin 18B-08: "determine
    # goals/objectives, activities and who will perform needed tasks"); who performs each
    # task is on its FollowUpTask.
    agreed_goals = models.TextField("goals and objectives agreed", blank=True)
    risk_alert = models.ForeignKey(
        "serviceplans.RiskAlert",
        on_delete=models.PROTECT,
        related_name="supervision_notes",
        null=True,
        blank=True,
        help_text="The positive risk screen this note reviews.",
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisionNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="clinical_session") | Q(enrollment__isnull=False),
                name="supervisionnote_client_kinds_name_enrollment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["staff_supervised", "held_on"],
                condition=Q(acknowledged_on__isnull=True),
                name="supervisionnote_unacknowledged",
            ),
            models.Index(fields=["team", "-held_on"], name="supervisionnote_team"),
        ]
        triggers = [pgtrigger.Protect(name="supervisionnote_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_on is not None


class FollowUpTaskQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User) -> FollowUpTaskQuerySet:
        return self.filter(note__in=SupervisionNote.objects.visible_to(user))

    def writable_by(self, user: User) -> FollowUpTaskQuerySet:
        return self.filter(note__in=SupervisionNote.objects.writable_by(user))


@pghistory.track()
class FollowUpTask(models.Model):
    """A follow-up the supervisor asks for in a note, with its due date. In a case
    conference, ``responsible`` says who performs it (CFP bulletin 18B-08: "who will perform
    needed tasks"), and the task can be added to the service plan as an intervention."""

    note = models.ForeignKey(SupervisionNote, on_delete=models.PROTECT, related_name="tasks")
    description = models.TextField()
    due_on = models.DateField()
    responsible = models.CharField(
        "who does it",
        max_length=15,
        choices=PlanAction.Responsible.choices,
        default=PlanAction.Responsible.CASE_MANAGER,
    )
    responsible_name = models.CharField("name", max_length=150, blank=True)
    done_on = models.DateField(null=True, blank=True)
    plan_action = models.OneToOneField(
        PlanAction,
        on_delete=models.PROTECT,
        related_name="follow_up_task",
        null=True,
        blank=True,
        help_text="The service-plan intervention this task was added as.",
    )

    objects = FollowUpTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        triggers = [pgtrigger.Protect(name="followuptask_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.description[:50]} (due {self.due_on:%Y-%m-%d})"


class ConferenceParticipantQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User) -> ConferenceParticipantQuerySet:
        return self.filter(note__in=SupervisionNote.objects.visible_to(user))

    def writable_by(self, user: User) -> ConferenceParticipantQuerySet:
        return self.filter(note__in=SupervisionNote.objects.writable_by(user))


@pghistory.track()
class ConferenceParticipant(models.Model):
    """Who took part in a case conference: staff, the client's family, providers from the
    directory, or anyone else by name."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        FAMILY = "family", "Family member"
        PROVIDER = "provider", "Provider"
        CLIENT = "client", "Client"
        OTHER = "other", "Other"

    note = models.ForeignKey(SupervisionNote, on_delete=models.PROTECT, related_name="participants")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    staff = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    family_member = models.ForeignKey(
        "clients.FamilyMember", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    provider = models.ForeignKey(
        "referrals.Provider", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    name = models.CharField(max_length=150, blank=True, help_text="For anyone else.")
    role = models.CharField(max_length=150, blank=True)

    objects = ConferenceParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="staff") & Q(staff__isnull=False))
                | (Q(kind="family") & Q(family_member__isnull=False))
                | (Q(kind="provider") & Q(provider__isnull=False))
                | Q(kind__in=["client", "other"]),
                name="conferenceparticipant_kind_names_who",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="conferenceparticipant_no_delete", operation=pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        who = self.staff or self.family_member or self.provider or self.name
        return f"{self.get_kind_display()}: {who or 'client'}"


# --- Variances --------------------------------------------------------------------------------


class VarianceQuerySet(EnrollmentScopedQuerySet):
    def pending(self) -> VarianceQuerySet:
        return self.filter(status=Variance.Status.PENDING)

    def approved_covering(self, as_of: dt.date) -> VarianceQuerySet:
        """Approved variances whose new due date has not yet passed on ``as_of``."""
        return self.filter(
            status=Variance.Status.APPROVED,
            decided_at__date__lte=as_of,
            approved_due_on__gte=as_of,
        )


@pghistory.track()
class Variance(models.Model):
    """A documented exception to a standard for one enrollment, approved or denied by
    division administration (Idaho CMH clinical case management standards 2 and 11: "any
    variance to these standards shall be documented and approved by division
    administration"). An approved variance suppresses the rule's flag on the enrollment until
    ``approved_due_on``; after that the flag returns if the requirement is still unmet."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="variances")
    rule = models.CharField("standard", max_length=RULE_CODE_MAX_LENGTH, choices=rule_choices)
    flag = models.ForeignKey(
        Flag, on_delete=models.PROTECT, related_name="variances", null=True, blank=True
    )
    reason = models.TextField()
    proposed_due_on = models.DateField("proposed new due date")
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_due_on = models.DateField("approved new due date", null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = VarianceQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One pending request per enrollment and standard: a second would be a duplicate.
            models.UniqueConstraint(
                fields=["enrollment", "rule"],
                condition=Q(status="pending"),
                name="variance_one_pending_per_enrollment_rule",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(status="denied", decided_at__isnull=False)
                | Q(status="approved", decided_at__isnull=False, approved_due_on__isnull=False),
                name="variance_decision_complete",
            ),
        ]
        indexes = [
            models.Index(
                fields=["requested_at"],
                condition=Q(status="pending"),
                name="variance_pending_queue",
            ),
            models.Index(
                fields=["rule", "approved_due_on"],
                condition=Q(status="approved"),
                name="variance_approved_by_rule",
            ),
        ]
        triggers = [pgtrigger.Protect(name="variance_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Variance: {self.get_rule_display()} ({self.get_status_display()})"


# --- Regional service-delivery plans ----------------------------------------------------------


class RegionalPlanQuerySet(models.QuerySet[Any]):
    """Regional plans are agency business, not client records: everyone signed in reads
    them; supervisors of a team in the region write their region's."""

    def visible_to(self, user: User) -> RegionalPlanQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()

    def writable_by(self, user: User) -> RegionalPlanQuerySet:
        if not user.is_authenticated or not user.is_active or not user.is_supervisor:
            return self.none()
        return self.filter(region__teams__supervisors=user).distinct()


@pghistory.track()
class RegionalPlan(models.Model):
    """A region's annual clinical case management service-delivery plan: goals and a
    timeline, submitted to division administration for approval (Idaho CMH clinical case
    management standard 12). An administrator approves it or returns it with comments; a
    returned plan is revised and submitted again."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with comments"

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="service_delivery_plans"
    )
    year = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comments = models.TextField(blank=True, help_text="The administrator's comments.")

    objects = RegionalPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="regionalplan_one_per_year")
        ]
        triggers = [pgtrigger.Protect(name="regionalplan_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.region} service-delivery plan {self.year}"


@pghistory.track()
class RegionalPlanGoal(models.Model):
    plan = models.ForeignKey(RegionalPlan, on_delete=models.PROTECT, related_name="goals")
    goal = models.TextField()
    measure = models.CharField("how progress is measured", max_length=300, blank=True)
    target_on = models.DateField("to be achieved by")

    class Meta:
        ordering = ["target_on", "id"]
        triggers = [
            pgtrigger.Protect(name="regionalplangoal_no_delete", operation=pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.goal[:50]} (by {self.target_on:%Y-%m-%d})"


# --- Notifications ----------------------------------------------------------------------------


class DigestSent(models.Model):
    """One row per person and day a flag digest was emailed: the digest task sends at most
    one a day (safe to run twice) and only when a flag was raised or resolved since the
    last one."""

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField()
    new_flags = models.PositiveIntegerField()
    open_flags = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="digestsent_one_per_day")
        ]

    def __str__(self) -> str:
        return f"Digest to {self.user} on {self.sent_on:%Y-%m-%d}"


# --- Program standards over time --------------------------------------------------------------


# The standards of clients.Program that the rules read, each a whole number of days or months.
STANDARD_FIELDS: tuple[str, ...] = (
    "initial_assessment_days",
    "reassessment_interval_months",
    "max_days_between_contacts",
    "plan_review_interval_days",
    "referral_follow_up_days",
)


class PastProgramStandards(models.Model):
    """The standards a program had before a change: in force from ``in_force_from`` (None:
    since the program began) to the day before ``in_force_until``. The standards in force
    from the last change on are the program's own fields, so a program never changed has no
    row here. A date in the past is judged by the standards in force then (issue 12;
    supervision.compliance.standard_on), so the compliance-rate report as of last March
    counts last March's rule. Rows are written by supervision.services
    .program_standards_change only, never edited or deleted."""

    program = models.ForeignKey(
        "clients.Program", on_delete=models.PROTECT, related_name="past_standards"
    )
    in_force_from = models.DateField(null=True, blank=True)
    in_force_until = models.DateField()
    initial_assessment_days = models.PositiveSmallIntegerField()
    reassessment_interval_months = models.PositiveSmallIntegerField()
    max_days_between_contacts = models.PositiveSmallIntegerField()
    plan_review_interval_days = models.PositiveSmallIntegerField()
    referral_follow_up_days = models.PositiveSmallIntegerField()
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-in_force_until"]
        verbose_name_plural = "past program standards"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "in_force_until"], name="pastprogramstandards_one_per_change"
            ),
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True)
                | Q(in_force_from__lt=models.F("in_force_until")),
                name="pastprogramstandards_from_before_until",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="pastprogramstandards_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        since = f"{self.in_force_from:%Y-%m-%d}" if self.in_force_from else "the start"
        return f"{self.program} standards from {since} until {self.in_force_until:%Y-%m-%d}"
