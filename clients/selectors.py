"""Reads of clients and their timelines, the client directory and the recent clients. Every
one starts from a ``visible_to`` queryset.

Reads that join the apps above clients (the caseload's flags and assessments due, the client
page's cards) are the composition layer's: workspace.selectors.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import models, router
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, Greatest, JSONObject

from accounts.models import User
from accounts.selectors import team_ids_readable_by
from clients.encryption import lookup_hash
from clients.models import AccessLog, Client, Contact, ContactAddendum, Enrollment, ReversedDigits

# pg_trgm's default similarity threshold: "jon smyth" vs "john smith" scores about 0.31.
DUPLICATE_NAME_SIMILARITY = 0.3
# With the same date of birth, a weaker name match is still worth showing.
DUPLICATE_NAME_SIMILARITY_SAME_BIRTHDAY = 0.15
DUPLICATE_LIMIT = 10

M = TypeVar("M", bound=Model)


def rows_of(queryset: QuerySet[Any], **extra: Any) -> ArraySubquery:
    """For an outer queryset: the rows of ``queryset`` (correlated with OuterRef) as one array
    of JSON objects, every concrete field plus ``extra`` expressions; read them back with
    :func:`instance_of`.

    The client page brings each contact's addenda, and each enrollment's card rows
    (workspace.selectors), along with the row they belong to: a ``Prefetch`` per kind would
    cost a query each, and the page would leave its budget of 12 queries (issue 6,
    tests/workspace/test_views_clients.py).
    """
    fields: dict[str, Any] = {f.attname: F(f.attname) for f in queryset.model._meta.concrete_fields}
    return ArraySubquery(queryset.values(row=JSONObject(**fields, **extra)))


def instance_of(model: type[M], row: dict[str, Any]) -> M:
    """A model instance from a JSON object of :func:`rows_of`, loaded as the ORM loads a row
    (``Model.from_db``): each value parsed by its field, so dates are dates, and the fields
    missing from the row deferred. Keys that are not fields are set as attributes."""
    fields = [f for f in model._meta.concrete_fields if f.attname in row]
    instance = model.from_db(
        router.db_for_read(model),
        [f.attname for f in fields],
        [f.to_python(row[f.attname]) for f in fields],
    )
    for key in row.keys() - {f.attname for f in fields}:
        setattr(instance, key, row[key])
    return instance


def client_timeline(*, viewer: User, client: Client) -> QuerySet[Contact]:
    """The client's contacts the viewer may see (those of their teams' enrollments), newest
    first, with their author and program, and ``addenda_rows``: each contact's addenda, oldest
    first, with their author's name, in the same query (read them with :func:`addenda_of`)."""
    author = JSONObject(
        id=F("author_id"),
        first_name=F("author__first_name"),
        last_name=F("author__last_name"),
        username=F("author__username"),
    )
    addenda = ContactAddendum.objects.filter(contact=OuterRef("pk")).order_by("created_at", "id")
    return (
        Contact.objects.visible_to(viewer)
        .filter(client=client)
        .select_related("author", "enrollment__program")
        .annotate(addenda_rows=rows_of(addenda, author_row=author))
        .order_by("-occurred_at", "-id")
    )


def addenda_of(contact: Contact) -> list[ContactAddendum]:
    """The addenda of a contact read by :func:`client_timeline`, each with its author (only
    the name fields loaded: what ``str(user)`` shows)."""
    addenda = []
    for row in contact.addenda_rows:  # type: ignore[attr-defined]  # annotated by client_timeline
        addendum = instance_of(ContactAddendum, {k: v for k, v in row.items() if k != "author_row"})
        addendum.author = instance_of(User, row["author_row"])
        addenda.append(addendum)
    return addenda


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
    name_match = Q(search_name__trigram_similar=name)
    if date_of_birth is not None:
        name_match |= Q(
            date_of_birth=date_of_birth,
            name_similarity__gte=DUPLICATE_NAME_SIMILARITY_SAME_BIRTHDAY,
        )
    birthday_first = (
        Case(
            When(date_of_birth=date_of_birth, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        if date_of_birth is not None
        else Value(1)
    )
    # One pass over the candidates (a common surname matches a thousand at 100,000 clients):
    # each is marked visible or not (a hashed subplan over the viewer's clients), the visible
    # ones sort first, and a window counts the hidden ones before the LIMIT. PostgreSQL
    # builds that subplan again wherever ``visible`` is referred to (3 ms each at 100,000
    # clients), so the similarity, shown only for visible rows, is worked out for all.
    visible = (
        Value(True)
        if team_ids_readable_by(viewer) is None
        else Q(pk__in=Client.objects.visible_to(viewer).values("pk"))
    )
    rows = list(
        Client.objects.alias(name_similarity=TrigramSimilarity("search_name", name))
        .filter(name_match)
        .annotate(visible=ExpressionWrapper(visible, output_field=BooleanField()))
        .annotate(
            similarity=F("name_similarity"),
            hidden=Window(Count("pk", filter=Q(visible=False))),
        )
        .order_by(F("visible").desc(), birthday_first, F("similarity").desc(), "last_name", "pk")[
            :DUPLICATE_LIMIT
        ]
    )
    return DuplicateSearchResult(
        matches=[client for client in rows if client.visible],  # type: ignore[attr-defined]  # annotated above
        matches_in_other_teams=rows[0].hidden if rows else 0,  # type: ignore[attr-defined]  # annotated above
    )


# --- The client directory (/clients/) ---------------------------------------------------------

# The longest search the directory accepts: a name, a record number, a date or a phone number
# is far shorter, and a trigram comparison of a long text costs in proportion.
DIRECTORY_SEARCH_MAX_LENGTH = 100
# Fewer digits than a local number would find a crowd by chance.
PHONE_SEARCH_MIN_DIGITS = 7
# A search that is a phone number: digits and what people write between them.
_PHONE_LIKE = re.compile(r"^[\d\s().+\-/]+$")
# The dates workers type: ISO (what a date input sends) and the US forms.
BIRTH_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y")
RECENT_CLIENTS_SHOWN = 10


class DirectoryStatus(models.TextChoices):
    """A client's standing with the agency, as far as the viewer's enrollments tell: open in
    a program, former (every enrollment closed), or registered and never enrolled."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed (former client)"
    NONE = "none", "No enrollment"


def parse_birth_date(text: str) -> dt.date | None:
    """``text`` as a date of birth in one of :data:`BIRTH_DATE_FORMATS`, else None."""
    for date_format in BIRTH_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def phone_search_digits(text: str) -> str | None:
    """The digits of ``text`` if it reads as a phone number (at least
    :data:`PHONE_SEARCH_MIN_DIGITS` digits and only phone punctuation), else None."""
    digits = re.sub(r"\D", "", text)
    if len(digits) < PHONE_SEARCH_MIN_DIGITS or not _PHONE_LIKE.match(text):
        return None
    return digits


def _with_status(clients: QuerySet[Client], viewer: User) -> QuerySet[Client]:
    """Each client with ``open_enrollment_rows`` (program and case manager of each open
    enrollment, by program name) and ``last_closed_on`` (the latest closing date), both from
    the enrollments the viewer may see (the client page shows the same ones): no enrollment of
    another team shows through. Correlated subqueries, so one query for any number of rows."""
    enrollments = Enrollment.objects.visible_to(viewer).filter(client=OuterRef("pk"))
    open_rows = (
        enrollments.filter(status=Enrollment.Status.OPEN)
        .order_by("program__name", "pk")
        .values(
            row=JSONObject(
                program=F("program__name"),
                case_manager=Concat(
                    "case_manager__first_name",
                    Value(" "),
                    "case_manager__last_name",
                    output_field=models.CharField(),
                ),
            )
        )
    )
    last_closed = (
        enrollments.filter(status=Enrollment.Status.CLOSED)
        .order_by("-closed_on")
        .values("closed_on")[:1]
    )
    return clients.annotate(
        open_enrollment_rows=ArraySubquery(open_rows),
        last_closed_on=Subquery(last_closed, output_field=models.DateField()),
    )


def directory_status(client: Client) -> str:
    """The :class:`DirectoryStatus` of a client read by :func:`client_directory`."""
    if client.open_enrollment_rows:  # type: ignore[attr-defined]  # annotated by _with_status
        return DirectoryStatus.OPEN
    if client.last_closed_on is not None:  # type: ignore[attr-defined]  # annotated by _with_status
        return DirectoryStatus.CLOSED
    return DirectoryStatus.NONE


def _narrowed(
    clients: QuerySet[Client],
    *,
    viewer: User,
    program_id: int | None,
    status: str,
    team_id: int | None,
    case_manager_id: int | None,
) -> QuerySet[Client]:
    """The program, team, case manager and status filters, all about the same enrollment (open
    in program A with case manager B, not open in A and once with B); "closed" means no
    matching enrollment is open. A team also has its registered clients not yet enrolled, as
    ``Client.objects.visible_to`` counts them."""
    matching = Enrollment.objects.visible_to(viewer).filter(client=OuterRef("pk"))
    if program_id is not None:
        matching = matching.filter(program_id=program_id)
    if team_id is not None:
        matching = matching.filter(team_id=team_id)
    if case_manager_id is not None:
        matching = matching.filter(case_manager_id=case_manager_id)
    never_enrolled = ~Exists(Enrollment.objects.filter(client=OuterRef("pk")))
    registered_here = Q(registered_team_id=team_id) if team_id is not None else Q()
    if status == DirectoryStatus.OPEN:
        return clients.filter(Exists(matching.filter(status=Enrollment.Status.OPEN)))
    if status == DirectoryStatus.CLOSED:
        return clients.filter(
            Exists(matching.filter(status=Enrollment.Status.CLOSED)),
            ~Exists(matching.filter(status=Enrollment.Status.OPEN)),
        )
    if status == DirectoryStatus.NONE:
        if program_id is not None or case_manager_id is not None:
            return clients.none()  # a program or a case manager is an enrollment's
        return clients.filter(never_enrolled, registered_here)
    if program_id is not None or case_manager_id is not None:
        return clients.filter(Exists(matching))
    if team_id is not None:
        return clients.filter(Exists(matching) | (never_enrolled & registered_here))
    return clients


def _searched(clients: QuerySet[Client], search: str) -> QuerySet[Client]:
    """Clients whose name is like ``search`` (pg_trgm over the ``client_name_trgm`` index:
    the whole name, so "Jon Smyth" finds "John Smith", or a word of it, so "Smi" finds
    them too), whose record number it is, whose date of birth it is, whose phone number ends
    with its digits, or whose Social Security or Medicaid number it is, whole; the exact record
    number first, then the best name match. Without a search, by last name."""
    by_name = ("last_name", "first_name", "pk")
    term = " ".join(search.split()).lower()
    if not term:
        return clients.order_by(*by_name)
    match = (
        Q(search_name__trigram_similar=term)
        | Q(search_name__trigram_word_similar=term)
        | Q(record_number__iexact=term)
    )
    born = parse_birth_date(term)
    if born is not None:
        match |= Q(date_of_birth=born)
    digits = phone_search_digits(term)
    if digits is not None:
        match |= Q(phone_digits_reversed__startswith=digits[::-1])
    # A Social Security or Medicaid number typed whole, by its keyed hash (clients.encryption).
    hashed = lookup_hash(term)
    match |= Q(ssn_lookup=hashed) | Q(medicaid_number_lookup=hashed)
    record_first = Case(
        When(record_number__iexact=term, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        clients.alias(phone_digits_reversed=ReversedDigits("phone"))
        .filter(match)
        .annotate(
            name_match=Greatest(
                TrigramSimilarity("search_name", term),
                TrigramWordSimilarity(term, "search_name"),
                output_field=FloatField(),
            )
        )
        .order_by(record_first, F("name_match").desc(), *by_name)
    )


def client_directory(
    *,
    viewer: User,
    search: str = "",
    program_id: int | None = None,
    status: str = "",
    team_id: int | None = None,
    case_manager_id: int | None = None,
) -> QuerySet[Client]:
    """Every client the viewer may read (``Client.objects.visible_to``: former clients and
    clients never enrolled among them), found by name, record number, date of birth or phone
    (see :func:`_searched`), narrowed by program, team, case manager and status (see
    :func:`_narrowed`), each with its status (:func:`directory_status`). One query for a page
    of any size (issue 11: find any client I may see)."""
    if status and status not in DirectoryStatus.values:
        raise ValueError(f"Unknown client status {status!r}.")
    clients = _narrowed(
        Client.objects.visible_to(viewer),
        viewer=viewer,
        program_id=program_id,
        status=status,
        team_id=team_id,
        case_manager_id=case_manager_id,
    )
    return _with_status(_searched(clients, search), viewer)


def recent_clients(*, viewer: User, limit: int = RECENT_CLIENTS_SHOWN) -> list[Client]:
    """The last ``limit`` distinct clients whose record the viewer read (the access log's
    "viewed" rows), most recent first, each with ``last_viewed_at``; a client no longer visible
    to them (moved to another team) is left out. One query, from the ``accesslog_user_viewed``
    index."""
    return list(
        Client.objects.visible_to(viewer)
        .filter(access_log__user=viewer, access_log__action=AccessLog.Action.VIEWED)
        .annotate(last_viewed_at=Max("access_log__occurred_at"))
        .order_by("-last_viewed_at", "pk")[:limit]
    )


def accesses_of_client(client: Client) -> QuerySet[AccessLog]:
    """Every access-log row about ``client``, newest first: views of their page, API reads
    that returned their records (alone or in a list), exports naming them, and refused
    attempts (HIPAA 45 CFR 164.528, the individual's accounting; 164.312(b))."""
    return (
        AccessLog.objects.filter(Q(client=client) | Q(client_ids__contains=[client.pk]))
        .select_related("user")
        .order_by("-occurred_at", "-id")
    )
