from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from exports.formats import CSV, XLSX


class ExportJob(models.Model):
    """An export too large to write in a request (more than ``EXPORT_IN_REQUEST_MAX_ROWS``
    rows), written by a Celery worker (exports.tasks). Its file is kept in the media store
    (``MEDIA_ROOT``, shared by every web process) for ``EXPORT_FILE_HOURS`` hours, downloadable
    by the person who asked for it only, then deleted; the job's row stays as the record that
    the export was made."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being written"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired (deleted)"

    class Format(models.TextChoices):
        CSV = CSV, "CSV"
        XLSX = XLSX, "XLSX"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs"
    )
    # The registered table (exports.tables) and the page's parameters it was asked with, as
    # lists (a QueryDict's), so the worker builds the rows the page showed.
    source = models.CharField(max_length=80)
    query = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=4, choices=Format.choices)
    # The page and parameters asked for, as the access log records an export's "what".
    page = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField()
    rows_written = models.PositiveIntegerField(default=0)
    part2 = models.BooleanField(default=False)
    file = models.FileField(upload_to="exports/%Y/%m/%d/", blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(
                fields=["expires_at"], condition=Q(status="done"), name="exportjob_done_expiry"
            )
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.source}, {self.format})"

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        # Rows may arrive between the count and the writing: never past 99 until done.
        return min(99, 100 * self.rows_written // self.total_rows) if self.total_rows else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)
