"""Reads of clients, caseloads and timelines. Every one starts from a ``visible_to`` queryset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db import router
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    JSONField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts.models import User
from accounts.selectors import team_ids_readable_by
from clients.models import Client, Contact, ContactAddendum, Enrollment
from serviceplans.models import ContactGoal, PlanReview, RiskScreen, ServicePlan
from serviceplans.selectors import with_assessment_due
from supervision.models import Flag, Variance
from supervision.selectors import open_flag_rules

M = TypeVar("M", bound=Model)

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


def model_rows(queryset: QuerySet[Any], **extra: Any) -> ArraySubquery:
    """For an outer queryset: the rows of ``queryset`` (correlated with OuterRef) as one array
    of JSON objects, every concrete field plus ``extra`` expressions; read them back with
    :func:`instances_from_rows`. The client page uses it to bring a card's few rows along with
    the row they belong to, instead of one more query per card."""
    fields: dict[str, Any] = {f.attname: F(f.attname) for f in queryset.model._meta.concrete_fields}
    return ArraySubquery(queryset.values(row=JSONObject(**fields, **extra)))


def instance_from_row(model: type[M], row: dict[str, Any]) -> M:
    """A model instance from a JSON object of :func:`model_rows` (values parsed by each field,
    so dates are dates); keys that are not fields are set as attributes."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    instance = model(**{k: fields[k].to_python(v) for k, v in row.items() if k in fields})
    instance._state.adding = False
    instance._state.db = router.db_for_read(model)
    for key, value in row.items():
        if key not in fields:
            setattr(instance, key, value)
    return instance


def instances_from_rows(model: type[M], rows: list[dict[str, Any]] | None) -> list[M]:
    return [instance_from_row(model, row) for row in rows or ()]


def _user_json(prefix: str) -> JSONObject:
    """What ``str(user)`` needs (User.__str__: full name, else username)."""
    return JSONObject(
        id=F(f"{prefix}_id"),
        first_name=F(f"{prefix}__first_name"),
        last_name=F(f"{prefix}__last_name"),
        username=F(f"{prefix}__username"),
    )


def user_from_row(row: dict[str, Any]) -> User:
    return User(
        pk=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
    )


def client_timeline(*, viewer: User, client: Client) -> QuerySet[Contact]:
    """The client's contacts the viewer may see (those of their teams' enrollments), newest
    first, with what the timeline shows of each in the same query: ``addenda_rows`` (its
    addenda, oldest first, with their author) and ``goal_words`` (the goals it served, in the
    client's words)."""
    addenda = ContactAddendum.objects.filter(contact=OuterRef("pk")).order_by("created_at", "id")
    goals = ContactGoal.objects.filter(contact=OuterRef("pk")).order_by("goal_id")
    return (
        Contact.objects.visible_to(viewer)
        .filter(client=client)
        .select_related("author", "enrollment__program")
        .annotate(
            addenda_rows=ArraySubquery(
                addenda.values(
                    row=JSONObject(
                        id=F("id"),
                        note=F("note"),
                        created_at=F("created_at"),
                        author=_user_json("author"),
                    )
                )
            ),
            goal_words=ArraySubquery(goals.values("goal__client_words")),
        )
        .order_by("-occurred_at", "-id")
    )


def _with_addenda(contact: Contact) -> Contact:
    addenda = []
    for row in contact.addenda_rows:  # type: ignore[attr-defined]
        addendum = instance_from_row(
            ContactAddendum, {k: v for k, v in row.items() if k != "author"}
        )
        addendum.author = user_from_row(row["author"])
        addenda.append(addendum)
    contact.addenda_list = addenda  # type: ignore[attr-defined]
    return contact


def client_timeline_page(*, viewer: User, client: Client, page: object, per_page: int) -> Page:
    """One page of :func:`client_timeline` (the last page for a number past it, the first for
    one that is not a number), as Paginator.get_page would give, in one query: the number of
    contacts is an uncorrelated subquery of the same query (worked out once), so no COUNT is
    sent apart. Only a page past the last costs a second query."""
    contacts = client_timeline(viewer=viewer, client=client)
    total = (
        Contact.objects.visible_to(viewer)
        .filter(client=client)
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    try:
        number = max(int(str(page)), 1)
    except ValueError:
        number = 1
    offset = (number - 1) * per_page
    rows = list(
        contacts.annotate(total=Subquery(total, output_field=IntegerField()))[
            offset : offset + per_page
        ]
    )
    if rows:
        count = rows[0].total  # type: ignore[attr-defined]
    elif number == 1:
        count = 0
    else:  # past the last page: show the last one
        paginator = Paginator(contacts, per_page)
        last = paginator.page(paginator.num_pages)
        last.object_list = [_with_addenda(c) for c in last.object_list]
        return last
    paginator = Paginator(rows, per_page)
    paginator.count = count  # the cached_property, known from the query
    return Page([_with_addenda(c) for c in rows], number, paginator)


@dataclass(frozen=True)
class ClientPageEnrollments:
    """The client's enrollments the viewer may see, read once for every card of the client
    page (see :func:`client_page_enrollments`), and whether the viewer may change the client
    record (Client.objects.writable_by)."""

    enrollments: list[Enrollment]
    can_write: bool

    @property
    def writable_ids(self) -> set[int]:
        """The open enrollments the viewer may write (record a contact, ask a variance)."""
        return {e.pk for e in self.enrollments if e.writable}  # type: ignore[attr-defined]


def client_page_enrollments(*, viewer: User, client: Client) -> ClientPageEnrollments:
    """The client's enrollments the viewer may see (a client served by two teams shows each
    team only its own episodes), newest application first within open then closed, each with
    what the client page's cards show of it, in one query:

    - program, case manager and team;
    - ``last_assessment_on`` / ``assessment_due_on`` / ``at_risk``
      (serviceplans.selectors.with_assessment_due) and ``latest_screen``, its latest risk
      screen (the assessments card and the "at risk" header);
    - ``writable``: an open enrollment the viewer may write (Enrollment.objects.writable_by);
    - ``open_flags`` and ``variance_list``: its open compliance flags and its variances (the
      compliance card);
    - ``current_plans``: its active and draft service plans, with ``last_reviewed_on`` (the
      service-plan card).

    Each is a correlated subquery over the enrollment's index. Whether the viewer may change
    the client record is an uncorrelated subquery of the same query (worked out once); only
    a client without an enrollment the viewer sees costs a second query for it.
    """
    screens = RiskScreen.objects.filter(enrollment=OuterRef("pk")).order_by("-screened_on", "-id")
    screen_fields = {f.attname: F(f.attname) for f in RiskScreen._meta.concrete_fields}
    reviewed = (
        PlanReview.objects.filter(plan=OuterRef("pk"))
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    writable = Enrollment.objects.writable_by(viewer).open().values("pk")
    client_writable = Client.objects.writable_by(viewer).filter(pk=client.pk)
    rows: list[Enrollment] = list(
        with_assessment_due(Enrollment.objects.visible_to(viewer).filter(client=client))
        .select_related("program", "case_manager", "team")
        .annotate(
            latest_screen_row=Subquery(
                screens.values(row=JSONObject(**screen_fields))[:1], output_field=JSONField()
            ),
            writable=ExpressionWrapper(
                Q(status=Enrollment.Status.OPEN) & Q(pk__in=writable), output_field=BooleanField()
            ),
            open_flag_rows=model_rows(
                Flag.objects.open().filter(enrollment=OuterRef("pk")).order_by("due_on", "id")
            ),
            variance_rows=model_rows(
                Variance.objects.filter(enrollment=OuterRef("pk")).order_by("-requested_at", "-id")
            ),
            plan_rows=model_rows(
                ServicePlan.objects.filter(
                    enrollment=OuterRef("pk"),
                    status__in=[ServicePlan.Status.ACTIVE, ServicePlan.Status.DRAFT],
                ).order_by("id"),
                last_reviewed_on=Subquery(reviewed, output_field=DateField()),
            ),
            client_writable=Exists(client_writable),
        )
        .order_by("status", "-application_date", "-pk")
    )
    for e in rows:
        screen = e.latest_screen_row  # type: ignore[attr-defined]
        e.latest_screen = (  # type: ignore[attr-defined]
            instance_from_row(RiskScreen, screen) if screen else None
        )
        e.open_flags = instances_from_rows(Flag, e.open_flag_rows)  # type: ignore[attr-defined]
        e.variance_list = instances_from_rows(Variance, e.variance_rows)  # type: ignore[attr-defined]
        e.current_plans = instances_from_rows(ServicePlan, e.plan_rows)  # type: ignore[attr-defined]
        for plan in e.current_plans:  # type: ignore[attr-defined]
            plan.last_reviewed_on = parse_date(plan.last_reviewed_on or "")
        for item in (*e.open_flags, *e.variance_list, *e.current_plans):  # type: ignore[attr-defined]
            item.enrollment = e
    can_write = (
        rows[0].client_writable  # type: ignore[attr-defined]
        if rows
        else client_writable.exists()
    )
    return ClientPageEnrollments(enrollments=rows, can_write=can_write)


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
        matches=[client for client in rows if client.visible],  # type: ignore[attr-defined]
        matches_in_other_teams=rows[0].hidden if rows else 0,  # type: ignore[attr-defined]
    )
