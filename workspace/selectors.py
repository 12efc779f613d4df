"""Reads that join several apps for the pages that gather everything: the caseload (with
compliance flags and the next assessment's due date) and the client page (its enrollments with
every card's rows, its timeline with the plan goals each contact served).

What is only about clients stays in clients.selectors; these start from it or from the same
``visible_to`` querysets and add what the apps above clients know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts.models import User
from clients.models import Client, Contact, EmergencyAccess, Enrollment
from clients.selectors import addenda_of, client_timeline, instance_of, rows_of
from serviceplans.models import ContactGoal, PlanReview, RiskScreen, ServicePlan
from serviceplans.selectors import with_assessment_due
from supervision.models import Flag, Variance
from supervision.selectors import open_flag_rules, unreviewed_risk_alert_id
from workspace.models import DRAFT_LIFETIME, ContactDraft

# How the caseload can be ordered (?sort=): longest without contact first (the default), or
# the next comprehensive assessment soonest due (most overdue first).
M = TypeVar("M", bound=Model)

CASELOAD_SORT_LAST_CONTACT = "last_contact"
CASELOAD_SORT_ASSESSMENT_DUE = "assessment_due"
CASELOAD_SORTS = frozenset({CASELOAD_SORT_LAST_CONTACT, CASELOAD_SORT_ASSESSMENT_DUE})


def _caseload_search(enrollments: QuerySet[Enrollment], search: str) -> QuerySet[Enrollment]:
    search = search.strip()
    if not search:
        return enrollments
    return enrollments.filter(
        Q(client__first_name__icontains=search)
        | Q(client__last_name__icontains=search)
        | Q(client__preferred_name__icontains=search)
        | Q(client__record_number__iexact=search)
        | Q(client__search_name__icontains=search.lower())
    )


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
    enrollments = _caseload_search(enrollments, search)
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


def client_timeline_page(
    *, viewer: User, client: Client, page: str | None, per_page: int
) -> Page[Contact]:
    """One page of the client's timeline (clients.selectors.client_timeline: newest first,
    with ``addenda_list``), each contact with ``goal_words``, the plan goals it served in the
    client's words, in the same query; and the number of contacts, one query more.
    Paginator.get_page: the first page for one that is not a number, else the last page for
    a number out of range."""
    goals = ContactGoal.objects.filter(contact=OuterRef("pk")).order_by("goal_id")
    contacts: QuerySet[Contact] = client_timeline(viewer=viewer, client=client).annotate(
        goal_words=ArraySubquery(goals.values("goal__client_words"))
    )
    timeline = Paginator(contacts, per_page).get_page(page)
    for contact in timeline:
        contact.addenda_list = addenda_of(contact)  # type: ignore[attr-defined]  # read by the template
    return timeline


@dataclass(frozen=True)
class ClientPageEnrollments:
    """The client's enrollments the viewer may see, read once for every card of the client
    page (see :func:`client_page_enrollments`), and whether the viewer may change the client
    record (Client.objects.writable_by), and until when an emergency grant of the viewer's
    opens it to them (clients.emergency; None without one): the page's read-only banner."""

    enrollments: list[Enrollment]
    can_write: bool
    emergency_until: dt.datetime | None = None

    @property
    def writable_ids(self) -> set[int]:
        """The open enrollments the viewer may write (record a contact, ask a variance)."""
        return {e.pk for e in self.enrollments if e.writable}  # type: ignore[attr-defined]  # annotated by client_page_enrollments


def _card_rows(model: type[M], rows: list[dict[str, Any]] | None, e: Enrollment) -> list[M]:
    """A card's rows of the enrollment (clients.selectors.rows_of), with their enrollment."""
    instances = [instance_of(model, row) for row in rows or ()]
    for instance in instances:
        instance.enrollment = e  # type: ignore[attr-defined]  # every card's model has one
    return instances


def _read_cards(e: Enrollment) -> None:
    """Set what each card reads of the enrollment from the rows of its query."""
    cards: Any = e  # the attributes below are the cards' own, not the model's
    screens = _card_rows(RiskScreen, cards.screen_rows, e)
    cards.latest_screen = screens[0] if screens else None
    cards.open_flags = _card_rows(Flag, cards.open_flag_rows, e)
    cards.variance_list = _card_rows(Variance, cards.variance_rows, e)
    cards.current_plans = _card_rows(ServicePlan, cards.plan_rows, e)
    for plan in cards.current_plans:
        plan.last_reviewed_on = parse_date(plan.last_reviewed_on or "")


def client_page_enrollments(*, viewer: User, client: Client) -> ClientPageEnrollments:
    """The client's enrollments the viewer may see (a client served by two teams shows each
    team only its own episodes), newest application first within open then closed, each with
    what the client page's cards show of it:

    - program, case manager and team;
    - ``last_assessment_on`` / ``assessment_due_on`` / ``at_risk``
      (serviceplans.selectors.with_assessment_due) and ``latest_screen``, its latest risk
      screen (the assessments card and the "at risk" header);
    - ``writable``: an open enrollment the viewer may write (Enrollment.objects.writable_by);
    - ``unreviewed_risk_alert_id``: its positive risk screen no supervisor has reviewed yet
      (supervision.selectors.unreviewed_risk_alert_id), which the supervision card's "Write
      supervision note" answers, as the review queue's does;
    - ``open_flags`` and ``variance_list``: its open compliance flags and its variances (the
      compliance card);
    - ``current_plans``: its active and draft service plans, with ``last_reviewed_on`` (the
      service-plan card).

    One query whatever their number: each card's rows are a correlated subquery over the
    enrollment's index (clients.selectors.rows_of, which says why not ``Prefetch``). Whether
    the viewer may change the client record, and the end of the viewer's emergency grant on
    it, ride along the same query; only a client without an enrollment the viewer sees costs
    a query for them.
    """
    reviewed = (
        PlanReview.objects.filter(plan=OuterRef("pk"))
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    latest_screen = RiskScreen.objects.filter(enrollment=OuterRef("pk")).order_by(
        "-screened_on", "-id"
    )[:1]
    writable = Enrollment.objects.writable_by(viewer).open().values("pk")
    client_writable = Client.objects.writable_by(viewer).filter(pk=client.pk)
    emergency_until = (
        EmergencyAccess.objects.in_force()
        .filter(user_id=viewer.pk, client=client)
        .order_by("-expires_at")
        .values("expires_at")[:1]
    )
    rows: list[Enrollment] = list(
        with_assessment_due(Enrollment.objects.visible_to(viewer).filter(client=client))
        .select_related("program", "case_manager", "team")
        .annotate(
            writable=ExpressionWrapper(
                Q(status=Enrollment.Status.OPEN) & Q(pk__in=writable), output_field=BooleanField()
            ),
            client_writable=Exists(client_writable),
            emergency_until=Subquery(emergency_until, output_field=DateTimeField()),
            unreviewed_risk_alert_id=unreviewed_risk_alert_id(),
            screen_rows=rows_of(latest_screen),
            open_flag_rows=rows_of(
                Flag.objects.open().filter(enrollment=OuterRef("pk")).order_by("due_on", "id")
            ),
            variance_rows=rows_of(
                Variance.objects.filter(enrollment=OuterRef("pk")).order_by("-requested_at", "-id")
            ),
            plan_rows=rows_of(
                ServicePlan.objects.filter(
                    enrollment=OuterRef("pk"),
                    status__in=[ServicePlan.Status.ACTIVE, ServicePlan.Status.DRAFT],
                ).order_by("id"),
                last_reviewed_on=Subquery(reviewed, output_field=DateField()),
            ),
        )
        .order_by("status", "-application_date", "-pk")
    )
    for e in rows:
        _read_cards(e)
    if rows:
        can_write = rows[0].client_writable  # type: ignore[attr-defined]  # annotated above
        until = rows[0].emergency_until  # type: ignore[attr-defined]  # annotated above
    else:
        can_write, until = _client_writable_and_emergency_until(
            client, client_writable, emergency_until
        )
    return ClientPageEnrollments(enrollments=rows, can_write=can_write, emergency_until=until)


def _client_writable_and_emergency_until(
    client: Client, client_writable: QuerySet[Client], emergency_until: QuerySet[Any, Any]
) -> tuple[bool, dt.datetime | None]:
    """For a client without an enrollment the viewer sees: both, on the client's row."""
    found = (
        Client.objects.filter(pk=client.pk)
        .annotate(
            writable=Exists(client_writable),
            until=Subquery(emergency_until, output_field=DateTimeField()),
        )
        .values_list("writable", "until")
        .first()
    )
    return (bool(found[0]), found[1]) if found else (False, None)


def contact_draft_for(*, author: User, client: Client) -> ContactDraft | None:
    """The author's own unsaved contact for the client, unless older than 24 hours (the purge
    may not have run yet). Nobody else's draft is ever read: a draft is not a record."""
    return ContactDraft.objects.filter(
        author=author, client=client, updated_at__gte=timezone.now() - DRAFT_LIFETIME
    ).first()
