"""The workspace's own records: only what the pages keep for the person using them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from clients.models import Client, Enrollment

# How long an unsaved contact is kept (issue 11: "deleted on save or after 24 hours").
DRAFT_LIFETIME = dt.timedelta(hours=24)


class ContactDraft(models.Model):
    """The unsaved contents of a person's contact modal for one client, kept every few seconds
    so that a note is not lost to a closed tab, a dropped connection or the idle logoff
    (issue 11, "No lost notes"); one per author and client, deleted when the contact is saved
    and after 24 hours (workspace.services.contact_drafts_purge).

    A draft is not a record until it is saved as a contact: it is shown to its author only,
    never through the API, and not tracked in history (no pghistory), because the staff log
    (TIP 27, "staff log") is what was recorded and signed, not what was being typed.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The contact form's fields as posted (strings, and a list for the goals).
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client"], name="contactdraft_one_per_client"
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="contactdraft_updated_at")]

    def __str__(self) -> str:
        return f"Contact draft by {self.author_id} for {self.client_id}"
