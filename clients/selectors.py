"""Reads of clients and their timelines. Every one starts from a ``visible_to`` queryset.

Reads that join the apps above clients (the caseload's flags and assessments due, the client
page's cards) are the composition layer's: workspace.selectors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity
from django.db import router
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import JSONObject

from accounts.models import User
from accounts.selectors import team_ids_readable_by
from clients.models import Client, Contact, ContactAddendum

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
