"""The demo's unsaved contact: one case manager left a note half-written in the contact modal,
on the first of their clients with an active plan (so it names a goal), so the modal's "Restore
your unsaved note" offer has something to show and the crawl opens the modal with it. Drafts
are kept 24 hours (workspace.models.DRAFT_LIFETIME): a demo seeded more than a day ago shows
none until seeded again. Written only when the author has no draft, so a second run the same
day changes nothing.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from clients.models import Contact, Enrollment
from serviceplans.models import Goal, ServicePlan
from workspace.models import ContactDraft
from workspace.services import contact_draft_save

AUTHOR = "alex"


def write_drafts(*, users: dict[str, User]) -> None:
    author = users[AUTHOR]
    if ContactDraft.objects.filter(author=author).exists():
        return
    enrollment = (
        Enrollment.objects.writable_by(author)
        .open()
        .filter(case_manager=author, plans__status=ServicePlan.Status.ACTIVE)
        .order_by("client__record_number")
        .select_related("client")
        .first()
    )
    if enrollment is None:
        return
    goals = Goal.objects.filter(
        plan__enrollment=enrollment, plan__status=ServicePlan.Status.ACTIVE
    ).values_list("pk", flat=True)[:1]
    when = timezone.localtime().replace(second=0, microsecond=0)
    # Every field the draft keeps is filled.
    contact_draft_save(
        author=author,
        client=enrollment.client,
        enrollment=enrollment,
        data={
            "enrollment": str(enrollment.pk),
            "occurred_at": f"{when:%Y-%m-%dT%H:%M}",
            "contact_type": Contact.Type.HOME_VISIT.value,
            "duration_minutes": "45",
            "travel_minutes": "15",
            "participants": "Client and mother",
            "location": "Family home",
            "note": "Went through the morning routine with the family; still to write up the",
            "goals": [str(pk) for pk in goals],
        },
    )
