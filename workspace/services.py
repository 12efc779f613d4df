"""The workspace's writes: the contact modal's drafts (workspace.models.ContactDraft).

A draft is not a record until it is saved as a contact, so these write no history and check
nothing about the contact itself; what they do check is who may keep a draft for whom: the
client must be on the author's writable caseload, as for recording the contact.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from clients.models import Client, Enrollment
from workspace.models import DRAFT_LIFETIME, ContactDraft


@transaction.atomic
def contact_draft_save(
    *, author: User, client: Client, enrollment: Enrollment | None, data: dict[str, object]
) -> ContactDraft:
    """Keep the author's unsaved contact for the client, replacing the one kept before (one
    per author and client). The view has checked the client and enrollment are the author's
    to write to."""
    draft, _ = ContactDraft.objects.update_or_create(
        author=author,
        client=client,
        defaults={"enrollment": enrollment, "data": data, "updated_at": timezone.now()},
    )
    return draft


def contact_draft_discard(*, author: User, client: Client) -> None:
    """Forget the author's draft for the client: the contact was saved, or they chose not to
    restore it."""
    ContactDraft.objects.filter(author=author, client=client).delete()


def contact_drafts_purge(*, now: dt.datetime) -> int:
    """Delete every draft not touched for 24 hours; the number deleted. Safe to run twice."""
    deleted, _ = ContactDraft.objects.filter(updated_at__lt=now - DRAFT_LIFETIME).delete()
    return deleted
