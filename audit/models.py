"""The audit chain's seals, and the log of the alerts its nightly check sent."""

from __future__ import annotations

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from audit import chain


class Seal(models.Model):
    """One link of the audit chain: the rows of ``table_name`` with ids in
    ``(after_id, last_id]``, sealed under the key ``key_id`` names and bound to the seal before
    it by ``previous_digest`` (audit.chain says how ``digest`` is computed; HIPAA 45 CFR
    164.312(b) and (c)(1); 42 CFR 2.24 and 2.13(d)).

    One chain for every covered table, in id order; each table's seals tile its ids without a
    gap. Append-only: a trigger refuses UPDATE and DELETE, and at most one seal follows each
    (the first follows none, ``previous_digest`` empty).
    """

    table_name = models.CharField(max_length=63)
    after_id = models.BigIntegerField(help_text="The range starts after this id.")
    last_id = models.BigIntegerField()
    row_count = models.PositiveIntegerField()
    columns = ArrayField(models.CharField(max_length=63))
    rows_sha256 = models.CharField(max_length=64)
    previous_digest = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16)
    sealed_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["table_name", "-last_id"], name="seal_table_last")]
        constraints = [
            models.UniqueConstraint(fields=["previous_digest"], name="seal_one_successor"),
            models.CheckConstraint(
                condition=Q(last_id__gt=F("after_id"))
                & Q(row_count__gte=1)
                & Q(row_count__lte=F("last_id") - F("after_id")),
                name="seal_range_holds_its_rows",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="seal_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"Seal {self.pk}: {self.table_name} ids {self.after_id + 1}-{self.last_id}"

    def digest_under(self, key: str) -> str:
        """The digest this seal's fields have under ``key`` (audit.chain.seal_digest)."""
        return chain.seal_digest(
            key=key,
            previous_digest=self.previous_digest,
            table=self.table_name,
            after_id=self.after_id,
            last_id=self.last_id,
            row_count=self.row_count,
            columns=self.columns,
            rows_sha256=self.rows_sha256,
            key_id=self.key_id,
        )


class AuditAlert(models.Model):
    """One row per day the nightly check found the chain broken and told the administrators:
    claimed before the email is sent, so a second run the same day sends none."""

    sent_on = models.DateField(unique=True)
    sent_at = models.DateTimeField()
    seal_id = models.BigIntegerField(null=True, blank=True)
    table_name = models.CharField(max_length=63, blank=True)
    problem = models.TextField()

    class Meta:
        ordering = ["-sent_on"]

    def __str__(self) -> str:
        return f"Audit alert of {self.sent_on:%Y-%m-%d}"
