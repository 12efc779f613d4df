"""Record reviews: the QA reviewer's samples, reviews, findings and corrective actions.

TIP 27 (ACCSA module 19, source document 001_3c08ce069f179acb) names record review against
benchmarks, with the results returned to the people who produced the records, as a core
quality-assurance activity of case management. The agency keeps its checklist of benchmarks
(``Benchmark``, configuration kept by administrators); a reviewer draws a ``Sample`` of a case
manager's records for a period (stored with its seed and population, so it can be shown how it
was drawn); each sampled record gets a ``RecordReview`` with one ``ReviewItem`` per benchmark,
pre-filled from the data where ``quality.benchmarks`` says the data answers it; findings go
back with ``CorrectiveAction``s. Nothing here is deleted (a delete is refused by a trigger) and
every change is in history (django-pghistory), as in scheduling.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import User
from accounts.selectors import team_ids_readable_by
from clients.models import Enrollment


class Answer(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "na", "Not applicable"


@pghistory.track()
class Benchmark(models.Model):
    """One item of the agency's record-review checklist. ``data_rule`` names the function of
    ``quality.benchmarks`` that answers it from the record (blank: the reviewer judges it from
    the record alone); the defaults come from the seeds (migration 0002)."""

    code = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text="The standard the benchmark comes from."
    )
    data_rule = models.CharField(
        max_length=50,
        blank=True,
        help_text="The rule that pre-fills it from the record (quality/benchmarks.py); "
        "blank when the reviewer judges it alone.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        triggers = [pgtrigger.Protect(name="benchmark_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.label


def findings_team_ids(user: User) -> frozenset[int] | None:
    """Teams whose findings the user reads: None for the whole agency (QA reviewers and
    administrators), the supervised teams for supervisors, none for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.sees_whole_agency:
        return None
    if user.is_supervisor:
        return team_ids_readable_by(user) or frozenset()
    return frozenset()


def is_reviewer(user: User) -> bool:
    """QA reviewers and administrators draw samples and review records (DESIGN.md: QA
    reviewers read everything and write review findings only)."""
    return bool(user.is_authenticated and user.is_active and user.sees_whole_agency)


class SampleQuerySet(models.QuerySet["Sample"]):
    def visible_to(self, user: User) -> SampleQuerySet:
        return self.all() if is_reviewer(user) else self.none()

    def writable_by(self, user: User) -> SampleQuerySet:
        return self.visible_to(user)


@pghistory.track()
class Sample(models.Model):
    """A random sample of one case manager's records (enrollments active in the period),
    stratified by program, ``sizes`` records per program at most. ``population`` keeps the
    ids it was drawn from, per program, so the draw can be shown and replayed with ``seed``
    and does not change as records arrive."""

    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_samples"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    seed = models.BigIntegerField()
    sizes = models.JSONField(help_text="Records to draw per program id.")
    population = models.JSONField(help_text="Enrollment ids per program id, as drawn from.")
    drawn = models.JSONField(help_text="Enrollment ids drawn per program id.")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    objects = SampleQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="sample_period_ends_after_start",
            ),
        ]
        triggers = [pgtrigger.Protect(name="sample_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Sample of {self.period_start:%Y-%m-%d} to {self.period_end:%Y-%m-%d}"

    @property
    def population_size(self) -> int:
        return sum(len(ids) for ids in self.population.values())


class RecordReviewQuerySet(models.QuerySet["RecordReview"]):
    # The access log names the client of a refused id (clients.access._client_id_of).
    enrollment_path = "enrollment"

    def visible_to(self, user: User) -> RecordReviewQuerySet:
        """Reviewers every review; once its findings are returned, the case manager reviewed
        their own, a supervisor their teams'; nobody else any."""
        if is_reviewer(user):
            return self.all()
        if not user.is_authenticated or not user.is_active:
            return self.none()
        returned = self.filter(returned_at__isnull=False)
        if user.is_case_manager:
            return returned.filter(case_manager=user)
        teams = findings_team_ids(user) or frozenset()
        return returned.filter(Q(team_id__in=teams) | Q(case_manager=user))

    def writable_by(self, user: User) -> RecordReviewQuerySet:
        return self.all() if is_reviewer(user) else self.none()


@pghistory.track()
class RecordReview(models.Model):
    """A review of one sampled record against the checklist. Pending until the reviewer
    completes it (the score is then fixed: met / applicable), then returned to the case manager
    and their supervisor, who acknowledges. A re-review points at the review it follows."""

    class Status(models.TextChoices):
        PENDING = "pending", "To review"
        COMPLETED = "completed", "Reviewed"
        RETURNED = "returned", "Findings returned"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="reviews")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="+")
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="record_reviews"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rereview"
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    met_count = models.PositiveSmallIntegerField(default=0)
    applicable_count = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordReviewQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="recordreview_queue"),
            models.Index(fields=["case_manager", "reviewed_on"], name="recordreview_cm_trend"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(met_count__lte=models.F("applicable_count")),
                name="recordreview_met_within_applicable",
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | (Q(reviewed_on__isnull=False) & Q(reviewer__isnull=False)),
                name="recordreview_reviewed_has_reviewer_and_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "completed"]) | Q(returned_at__isnull=False),
                name="recordreview_returned_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged") | Q(acknowledged_at__isnull=False),
                name="recordreview_acknowledged_has_date",
            ),
        ]
        triggers = [pgtrigger.Protect(name="recordreview_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Record review {self.pk} of enrollment {self.enrollment_id}"

    @property
    def score(self) -> float | None:
        """Met / applicable, None when nothing applied (or not yet reviewed)."""
        if self.status == self.Status.PENDING or not self.applicable_count:
            return None
        return self.met_count / self.applicable_count

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ReviewItemQuerySet(models.QuerySet["ReviewItem"]):
    def visible_to(self, user: User) -> ReviewItemQuerySet:
        return self.filter(review__in=RecordReview.objects.visible_to(user))


@pghistory.track()
class ReviewItem(models.Model):
    """The answer to one benchmark for one record: what the data said (``data_answer``, with
    its ``evidence``; blank when the data does not answer it) and the reviewer's ``answer``.
    An answer that differs from the data's is an override and carries a comment."""

    review = models.ForeignKey(RecordReview, on_delete=models.PROTECT, related_name="items")
    benchmark = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="+")
    data_answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    evidence = models.TextField(blank=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    comment = models.TextField(blank=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = ["benchmark__position", "benchmark_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "benchmark"], name="reviewitem_one_per_benchmark"
            ),
            models.CheckConstraint(
                condition=Q(data_answer="")
                | Q(answer="")
                | Q(answer=models.F("data_answer"))
                | ~Q(comment=""),
                name="reviewitem_override_has_comment",
            ),
        ]
        triggers = [pgtrigger.Protect(name="reviewitem_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.benchmark}: {self.get_answer_display() or 'unanswered'}"

    @property
    def is_override(self) -> bool:
        return bool(self.data_answer and self.answer and self.answer != self.data_answer)


class CorrectiveActionQuerySet(models.QuerySet["CorrectiveAction"]):
    enrollment_path = "review__enrollment"

    def visible_to(self, user: User) -> CorrectiveActionQuerySet:
        return self.filter(review__in=RecordReview.objects.visible_to(user))

    def writable_by(self, user: User) -> CorrectiveActionQuerySet:
        """The case manager it is assigned to, or a supervisor of the review's team, marks it
        done, once the findings are returned."""
        return self.visible_to(user).filter(
            Q(assigned_to=user) | Q(review__team_id__in=findings_team_ids(user) or frozenset())
        )


@pghistory.track()
class CorrectiveAction(models.Model):
    """What the case manager is to put right after a review, by when; closed when done."""

    review = models.ForeignKey(RecordReview, on_delete=models.PROTECT, related_name="actions")
    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.TextField()
    due_on = models.DateField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="corrective_actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(blank=True)

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["assigned_to", "due_on"],
                condition=Q(done_on__isnull=True),
                name="correctiveaction_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, done_by__isnull=True)
                | Q(done_on__isnull=False, done_by__isnull=False),
                name="correctiveaction_done_has_who",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="correctiveaction_no_delete", operation=pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.description[:60]} (due {self.due_on:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.done_on is None
