"""Reads of clients, caseloads and timelines. Every one starts from a ``visible_to`` queryset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import (
    Case,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import User
from clients.models import Client, Contact, ContactAddendum, Enrollment
from serviceplans.models import ContactGoal
from serviceplans.selectors import with_assessment_due
from supervision.selectors import open_flag_rules

# pg_trgm's default similarity threshold: "jon smyth" vs "john smith" scores about 0.31.
DUPLICATE_NAME_SIMILARITY = 0.3
# With the same date of birth, a weaker name match is still worth showing.
DUPLICATE_NAME_SIMILARITY_SAME_BIRTHDAY = 0.15
DUPLICATE_LIMIT = 10

# How the caseload can be ordered (?sort=): longest without contact first (the default), or
# the next comprehensive assessment soonest due (most overdue first).
CASELOAD_SORT_LAST_CONTACT = "last_contact"
CASELOAD_SORT_ASSESSMENT_DUE = "assessment_due"
CASELOAD_SORTS = frozenset({CASELOAD_SORT_LAST_CONTACT, CASELOAD_SORT_ASSESSMENT_DUE})


def caseload_enrollments(
    *,
    viewer: User,
    case_manager_id: int | None = None,
    team_id: int | None = None,
    search: str = "",
    sort: str = CASELOAD_SORT_LAST_CONTACT,
) -> QuerySet[Enrollment]:
    """Open enrollments the viewer may see, for one case manager or one team, with the time of
    the last completed contact (attempts do not count as contact: no one was reached), the
    next comprehensive assessment's due date, whether the latest risk screen was positive
    (serviceplans.selectors.with_assessment_due) and the rules of its open compliance flags
    (``open_flag_rules``; a flag resolved, by the evaluation or an approved variance, is gone).

    One query whatever the number of rows: the last contact, the last completed assessment,
    the latest risk screen and the open flags are correlated subqueries over their indexes.
    """
    if sort not in CASELOAD_SORTS:
        raise ValueError(f"Unknown caseload order {sort!r}.")
    last_contact = (
        Contact.objects.filter(enrollment=OuterRef("pk"))
        .exclude(contact_type=Contact.Type.ATTEMPTED)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    enrollments = with_assessment_due(
        Enrollment.objects.visible_to(viewer)
        .open()
        .select_related("client", "program", "case_manager")
        .annotate(last_contact_at=Subquery(last_contact), open_flag_rules=open_flag_rules())
    )
    if case_manager_id is not None:
        enrollments = enrollments.filter(case_manager_id=case_manager_id)
    if team_id is not None:
        enrollments = enrollments.filter(team_id=team_id)
    search = search.strip()
    if search:
        enrollments = enrollments.filter(
            Q(client__first_name__icontains=search)
            | Q(client__last_name__icontains=search)
            | Q(client__preferred_name__icontains=search)
            | Q(client__record_number__iexact=search)
            | Q(client__search_name__icontains=search.lower())
        )
    by_name = ("client__last_name", "client__first_name", "pk")
    if sort == CASELOAD_SORT_ASSESSMENT_DUE:
        # Soonest due first, so the most overdue lead; then the longest without contact.
        return enrollments.order_by(
            F("assessment_due_on").asc(), F("last_contact_at").asc(nulls_first=True), *by_name
        )
    # Longest without contact first: those never contacted, then the oldest last contact.
    return enrollments.order_by(F("last_contact_at").asc(nulls_first=True), *by_name)


def days_since(moment: dt.datetime | None, *, today: dt.date) -> int | None:
    """Whole days from ``moment`` (in the agency's time zone) to ``today``; None if never."""
    if moment is None:
        return None
    return (today - timezone.localdate(moment)).days


def client_timeline(*, viewer: User, client: Client) -> QuerySet[Contact]:
    """The client's contacts the viewer may see (those of their teams' enrollments), newest
    first, with what the timeline shows of each: its addenda and the goals it served."""
    return (
        Contact.objects.visible_to(viewer)
        .filter(client=client)
        .select_related("author", "enrollment__program")
        .prefetch_related(
            Prefetch("addenda", queryset=ContactAddendum.objects.select_related("author")),
            Prefetch(
                "goal_links",
                queryset=ContactGoal.objects.select_related("goal").order_by("goal_id"),
            ),
        )
        .order_by("-occurred_at", "-id")
    )


def client_enrollments(*, viewer: User, client: Client) -> QuerySet[Enrollment]:
    """The client's enrollments the viewer may see: a client served by two teams shows each
    team only its own episodes."""
    return (
        Enrollment.objects.visible_to(viewer)
        .filter(client=client)
        .select_related("program", "case_manager", "team")
        .annotate(last_contact_at=Max("contacts__occurred_at"))
        .order_by("status", "-application_date")
    )


@dataclass(frozen=True)
class DuplicateSearchResult:
    matches: list[Client]
    matches_in_other_teams: int


def client_possible_duplicates(
    *, viewer: User, first_name: str, last_name: str, date_of_birth: dt.date | None
) -> DuplicateSearchResult:
    """Clients who may be the person being registered: similar names (pg_trgm trigram
    similarity over a GIN index, so "Jon Smyth" finds "John Smith"), ranked with a same date
    of birth first.

    Matches outside the viewer's teams are counted, not shown: intake learns that the
    person may already be known to the agency without seeing a record out of scope.
    """
    name = f"{first_name} {last_name}".strip().lower()
    candidates = Client.objects.annotate(similarity=TrigramSimilarity("search_name", name))
    name_match = Q(search_name__trigram_similar=name)
    if date_of_birth is not None:
        name_match |= Q(
            date_of_birth=date_of_birth, similarity__gte=DUPLICATE_NAME_SIMILARITY_SAME_BIRTHDAY
        )
    candidates = candidates.filter(name_match)
    visible = candidates.filter(pk__in=Client.objects.visible_to(viewer).values("pk"))
    birthday_first = (
        Case(
            When(date_of_birth=date_of_birth, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        if date_of_birth is not None
        else Value(1)
    )
    matches = list(visible.order_by(birthday_first, "-similarity", "last_name")[:DUPLICATE_LIMIT])
    hidden = candidates.exclude(pk__in=Client.objects.visible_to(viewer).values("pk")).count()
    return DuplicateSearchResult(matches=matches, matches_in_other_teams=hidden)
