"""Supervision reads: the supervisor dashboard, the review queue, flag lists, the variance
queue. Each is a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, JSONObject

from accounts.models import Region, Team, User
from accounts.selectors import teams_visible_to
from clients.models import Client, Enrollment
from serviceplans.due_dates import DueStatus, due_status
from serviceplans.models import RISK_ITEMS, Goal, RiskAlert, RiskScreen, ServicePlan
from supervision.models import (
    ConcernCategory,
    ConferenceParticipant,
    Flag,
    FlagQuerySet,
    FollowUpTask,
    RegionalPlan,
    SupervisionNote,
    Variance,
)
from supervision.rules import registered_rules, rule_for_code, variance_latest_until

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# --- Dashboard, review queue, flags -----------------------------------------------------------

REVIEW_QUEUE_LIMIT = 50
CHART_WEEKS = 12


def rule_codes() -> list[str]:
    """The rules in the order the engine evaluates them (assessment, plan, monitoring,
    linkage, consent, risk, then those of the apps above): lists grouped by rule follow it."""
    return [rule.code for rule in registered_rules()]


def rule_rank() -> Case:
    """The position of a flag's rule in rule_codes(), for ORDER BY."""
    codes = rule_codes()
    return Case(
        *(When(rule=code, then=Value(rank)) for rank, code in enumerate(codes)),
        default=Value(len(codes)),
        output_field=IntegerField(),
    )


def rules_in_order(codes: Iterable[str] | None) -> list[tuple[str, str]]:
    """(code, label) of the given rule codes, in rule_codes() order."""
    present = set(codes or ())
    return [(rule.code, rule.label) for rule in registered_rules() if rule.code in present]


def open_flags_of_own_work(user: User | AnonymousUser) -> FlagQuerySet:
    """Open flags on the open enrollments of the user's own work: a case manager's own
    caseload, the teams a supervisor supervises, the whole agency for administrators and QA
    reviewers. One query when evaluated: the supervisor's teams are joined, not looked up."""
    flags = Flag.objects.open().filter(enrollment__status=Enrollment.Status.OPEN)
    if not user.is_authenticated or not user.is_active:
        return flags.none()
    if user.is_case_manager:
        return flags.filter(enrollment__case_manager=user)
    if user.is_supervisor:
        return flags.filter(enrollment__team__supervisors=user)
    return flags


@dataclass(frozen=True)
class NavigationCount:
    """The number in the navigation bar and what it counts."""

    count: int
    label: str
    kind: str  # "flags" or "variances"


def navigation_count(user: User | AnonymousUser) -> NavigationCount | None:
    """What the navigation bar counts for ``user``, in one query: a case manager's open
    flags on their caseload, a supervisor's on the teams they supervise, an administrator's
    pending variances (theirs to decide: Idaho CMH standards 2 and 11); nothing for QA
    reviewers or anyone not signed in."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_administrator:
        return NavigationCount(
            count=Variance.objects.pending().count(), label="Pending variances", kind="variances"
        )
    if user.is_case_manager or user.is_supervisor:
        return NavigationCount(
            count=open_flags_of_own_work(user).count(), label="Flags", kind="flags"
        )
    return None


def flags_for_worklist(
    *,
    viewer: User,
    case_manager_id: int | None = None,
    team_id: int | None = None,
    rule: str | None = None,
) -> QuerySet[Flag]:
    """Open flags on open enrollments the viewer may see (Flag.objects.visible_to), for one
    case manager or one team (accounts.selectors.worklist_choice), grouped by rule (in
    rule_codes() order) and, within a rule, the most overdue first. One query for a page."""
    flags = (
        Flag.objects.visible_to(viewer)
        .filter(resolved_on__isnull=True, enrollment__status=Enrollment.Status.OPEN)
        .select_related("enrollment__client", "enrollment__case_manager", "enrollment__program")
    )
    if case_manager_id is not None:
        flags = flags.filter(enrollment__case_manager_id=case_manager_id)
    if team_id is not None:
        flags = flags.filter(enrollment__team_id=team_id)
    if rule:
        flags = flags.filter(rule=rule)
    return flags.order_by(
        rule_rank(),
        "due_on",
        "enrollment__client__last_name",
        "enrollment__client__first_name",
        "pk",
    )


def open_flag_rules() -> ArraySubquery:
    """For an enrollment queryset: the rule codes of its open flags, as one array column (the
    caseload and the review queue show them without a query per row)."""
    return ArraySubquery(
        Flag.objects.filter(enrollment=OuterRef("pk"), resolved_on__isnull=True)
        .order_by("rule")
        .values("rule")
    )


def _unreviewed_alerts() -> QuerySet[RiskAlert]:
    return RiskAlert.objects.filter(
        risk_screen__enrollment=OuterRef("pk"), reviewed_at__isnull=True
    ).order_by("raised_at", "pk")


def unreviewed_risk_alert_id() -> Subquery:
    """For an enrollment queryset: the id of its oldest positive risk screen's alert that no
    supervisor has reviewed yet, the one a supervision note answers (the review queue and the
    client page link the note form to it, which pre-fills its concerns)."""
    return Subquery(_unreviewed_alerts().values("pk")[:1], output_field=IntegerField())


def _latest_screen_positive() -> Subquery:
    latest = RiskScreen.objects.filter(enrollment=OuterRef("pk")).order_by("-screened_on", "-id")
    return Subquery(latest.values("positive")[:1], output_field=BooleanField())


@dataclass(frozen=True)
class DashboardTeams:
    """The teams of the dashboard: those the viewer may pick, those the page shows, and the
    one picked (None: all of the supervisor's teams at once)."""

    teams: list[Team]
    shown: list[Team]
    selected: int | None

    @property
    def shown_ids(self) -> list[int]:
        return [team.pk for team in self.shown]


def dashboard_teams(*, viewer: User, team_id: int | None) -> DashboardTeams:
    """A supervisor sees every team they supervise at once (CFP bulletin 18B-08: the
    clinical case manager/supervisor reviews the team's caseloads), or the one picked;
    administrators and QA reviewers, who may read every team, one team at a time (the first
    unless one is picked): the whole agency at once is a report, not a supervisor's picture.
    A team out of the viewer's reach is ignored. One query."""
    teams = list(teams_visible_to(viewer))
    picked = next((team for team in teams if team.pk == team_id), None)
    if picked is not None:
        return DashboardTeams(teams=teams, shown=[picked], selected=picked.pk)
    if viewer.is_supervisor:
        return DashboardTeams(teams=teams, shown=teams, selected=None)
    return DashboardTeams(teams=teams, shown=teams[:1], selected=teams[0].pk if teams else None)


@dataclass
class CaseManagerSummary:
    """One line of the dashboard: a case manager's caseload size in one team, clients at
    risk (the latest screen positive, or a positive screen no supervisor has reviewed yet)
    and open flags by rule."""

    case_manager_id: int
    name: str
    team_id: int | None = None
    team_name: str = ""
    caseload: int = 0
    at_risk: int = 0
    flags_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def open_flags(self) -> int:
        return sum(self.flags_by_rule.values())


def dashboard_case_managers(
    *, team_ids: Sequence[int], case_managers: Iterable[User]
) -> list[CaseManagerSummary]:
    """Per team and case manager of the teams (each active case manager of them, and anyone
    else who still holds an open enrollment of one), in one query: open enrollments, clients
    at risk and open flags per rule (CFP bulletin 18B-08: the clinical case
    manager/supervisor reviews the team's caseloads). ``case_managers`` should be read with
    their team (accounts.selectors.case_managers_of_teams). By team then name;
    :func:`dashboard_sorted` orders them otherwise."""
    codes = rule_codes()
    summaries = {
        (user.team_id, user.pk): CaseManagerSummary(
            case_manager_id=user.pk,
            name=str(user),
            team_id=user.team_id,
            team_name=user.team.name if user.team else "",
        )
        for user in case_managers
        if user.team_id in team_ids
    }
    open_flag = Q(flags__resolved_on__isnull=True)
    at_risk = Q(Exists(_unreviewed_alerts())) | Q(_latest_screen_positive())
    rows = (
        Enrollment.objects.open()
        .filter(team_id__in=team_ids)
        .order_by()
        .values(
            "team_id",
            "team__name",
            "case_manager_id",
            "case_manager__first_name",
            "case_manager__last_name",
            "case_manager__username",
        )
        .annotate(
            caseload=Count("pk", distinct=True),
            at_risk=Count("pk", distinct=True, filter=at_risk),
            **{
                f"rule_{code}": Count("flags", filter=open_flag & Q(flags__rule=code))
                for code in codes
            },
        )
    )
    for row in rows:
        key = (row["team_id"], row["case_manager_id"])
        summary = summaries.get(key)
        if summary is None:
            name = f"{row['case_manager__first_name']} {row['case_manager__last_name']}".strip()
            summary = summaries[key] = CaseManagerSummary(
                case_manager_id=row["case_manager_id"],
                name=name or row["case_manager__username"],
                team_id=row["team_id"],
                team_name=row["team__name"],
            )
        summary.caseload = row["caseload"]
        summary.at_risk = row["at_risk"]
        summary.flags_by_rule = {code: row[f"rule_{code}"] for code in codes if row[f"rule_{code}"]}
    return dashboard_sorted(summaries.values(), column=DASHBOARD_SORT_DEFAULT, descending=False)


# How the dashboard's case-manager table can be ordered (``?sort=``, "-" first for the
# reverse): by a column of its own, or by the open flags of one rule ("rule_<code>").
DASHBOARD_SORT_DEFAULT = "team"
DASHBOARD_SORT_COLUMNS: dict[str, Callable[[CaseManagerSummary], Any]] = {
    "name": lambda s: s.name.lower(),
    "team": lambda s: s.team_name.lower(),
    "caseload": lambda s: s.caseload,
    "at_risk": lambda s: s.at_risk,
    "open_flags": lambda s: s.open_flags,
}
DASHBOARD_RULE_SORT_PREFIX = "rule_"


def dashboard_sort_of(sort: str | None, *, rules: Iterable[str]) -> tuple[str, bool]:
    """The column ``sort`` names and whether it is descending; an unknown column (or a rule
    without a column) gives the default order, never an error."""
    sort = sort or ""
    descending = sort.startswith("-")
    column = sort.removeprefix("-")
    rule_columns = {f"{DASHBOARD_RULE_SORT_PREFIX}{code}" for code in rules}
    if column in DASHBOARD_SORT_COLUMNS or column in rule_columns:
        return column, descending
    return DASHBOARD_SORT_DEFAULT, False


def dashboard_sorted(
    summaries: Iterable[CaseManagerSummary], *, column: str, descending: bool
) -> list[CaseManagerSummary]:
    """The case managers ordered by ``column`` (see :func:`dashboard_sort_of`), ties by team
    then name, always ascending, so that the order is the same from one request to the next."""
    key = DASHBOARD_SORT_COLUMNS.get(column)
    if key is None:
        code = column.removeprefix(DASHBOARD_RULE_SORT_PREFIX)

        def key(s: CaseManagerSummary) -> Any:
            return s.flags_by_rule.get(code, 0)

    tied = sorted(summaries, key=lambda s: (s.team_name.lower(), s.name.lower(), s.case_manager_id))
    # sorted() is stable: the tie order above survives the sort by the column.
    return sorted(tied, key=key, reverse=descending)


@dataclass(frozen=True)
class QueueRow:
    """A client in the review queue: the enrollment, its oldest unreviewed positive risk
    alert (with the screen's positive items) and its open flags."""

    enrollment: Enrollment
    risk_alert_id: int | None
    risk_items: list[str]
    alert_raised_at: dt.datetime | None
    flags: list[tuple[str, str]]
    due: DueStatus | None  # of the most overdue open flag

    @property
    def days_overdue(self) -> int | None:
        return None if self.due is None else -self.due.days


def review_queue(
    *, team_ids: Sequence[int], today: dt.date, limit: int = REVIEW_QUEUE_LIMIT
) -> list[QueueRow]:
    """The teams' clients to review, ranked: unreviewed positive risk screens first (the
    oldest alert first; CFP bulletin 18B-08: the CCM/S guides the case manager on crisis
    situations), then by the most days overdue over their open flags. One query: the alert,
    its screen's items and the flags are correlated subqueries."""
    alerts = _unreviewed_alerts()
    open_flags = Flag.objects.filter(enrollment=OuterRef("pk"), resolved_on__isnull=True)
    screen_items = JSONObject(**{name: f"risk_screen__{name}" for name, _ in RISK_ITEMS})
    enrollments = (
        Enrollment.objects.open()
        .filter(team_id__in=team_ids)
        .select_related("client", "case_manager", "program", "team")
        .annotate(
            risk_alert_id=unreviewed_risk_alert_id(),
            alert_raised_at=Subquery(alerts.values("raised_at")[:1], output_field=DateTimeField()),
            alert_items=Subquery(alerts.values(items=screen_items)[:1], output_field=JSONField()),
            oldest_due_on=Subquery(
                open_flags.order_by("due_on").values("due_on")[:1], output_field=DateField()
            ),
            flag_rules=open_flag_rules(),
        )
        .filter(Q(risk_alert_id__isnull=False) | Q(oldest_due_on__isnull=False))
        .order_by(
            F("alert_raised_at").asc(nulls_last=True),
            F("oldest_due_on").asc(nulls_last=True),
            "client__last_name",
            "client__first_name",
            "pk",
        )[:limit]
    )
    rows = []
    for enrollment in enrollments:
        items: dict[str, Any] = enrollment.alert_items or {}  # type: ignore[attr-defined]  # an annotation
        oldest: dt.date | None = enrollment.oldest_due_on  # type: ignore[attr-defined]  # an annotation
        rows.append(
            QueueRow(
                enrollment=enrollment,
                risk_alert_id=enrollment.risk_alert_id,  # type: ignore[attr-defined]  # an annotation
                risk_items=[label for name, label in RISK_ITEMS if items.get(name)],
                alert_raised_at=enrollment.alert_raised_at,  # type: ignore[attr-defined]  # an annotation
                flags=rules_in_order(enrollment.flag_rules),  # type: ignore[attr-defined]  # an annotation
                due=None if oldest is None else due_status(due_on=oldest, today=today),
            )
        )
    return rows


@dataclass(frozen=True)
class FlagChart:
    """Open flags by rule at the end of each week: ``counts[rule][i]`` flags of ``rule`` were
    open on ``week_ends[i]``. Only rules with an open flag in the period have a series."""

    week_ends: list[dt.date]
    counts: dict[str, list[int]]

    @property
    def series(self) -> list[tuple[str, str, list[int]]]:
        return [(code, rule_for_code(code).label, counts) for code, counts in self.counts.items()]

    @property
    def rows(self) -> list[tuple[dt.date, list[int]]]:
        """One row per week end, for the accessible table."""
        return [
            (week_end, [counts[i] for counts in self.counts.values()])
            for i, week_end in enumerate(self.week_ends)
        ]

    def as_chart_data(self) -> dict[str, Any]:
        return {
            "labels": [day.isoformat() for day in self.week_ends],
            "datasets": [{"label": label, "data": data} for _, label, data in self.series],
        }


def open_flags_by_week(
    *, team_ids: Sequence[int], today: dt.date, weeks: int = CHART_WEEKS
) -> FlagChart:
    """Open flags of the teams' enrollments by rule on each of ``weeks`` week ends, the last
    being ``today`` (the weeks end on today's weekday, so the last point is today's count). A
    flag is open on day d when ``raised_on <= d`` and (``resolved_on`` is null or after d).
    One SQL query: the week ends (generate_series) joined to the flags, grouped by week and
    rule."""
    week_ends = [today - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    sql = f"""
        SELECT weeks.week_end, flag.rule, COUNT(*)
        FROM (
            SELECT day::date AS week_end
            FROM generate_series(%s::date, %s::date, interval '7 days') AS day
        ) AS weeks
        JOIN {Flag._meta.db_table} AS flag
            ON flag.raised_on <= weeks.week_end
            AND (flag.resolved_on IS NULL OR flag.resolved_on > weeks.week_end)
        JOIN {Enrollment._meta.db_table} AS enrollment ON enrollment.id = flag.enrollment_id
        WHERE enrollment.team_id = ANY(%s)
        GROUP BY weeks.week_end, flag.rule
    """  # nosec B608  # placeholders written here; values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [week_ends[0], week_ends[-1], list(team_ids)])
        found = cursor.fetchall()
    position = {day: i for i, day in enumerate(week_ends)}
    counts: dict[str, list[int]] = {}
    for week_end, rule, count in found:
        counts.setdefault(rule, [0] * weeks)[position[week_end]] = count
    return FlagChart(
        week_ends=week_ends,
        counts={code: counts[code] for code in rule_codes() if code in counts},
    )


# --- Notes --------------------------------------------------------------------------------------

NOTE_SELECT_RELATED = (
    "enrollment__client",
    "enrollment__program",
    "staff_supervised",
    "author",
    "team",
)
# A client's page lists this many of its latest notes; the note list has them all.
CLIENT_PAGE_NOTES = 10


def _open_tasks() -> Subquery:
    per_note = (
        FollowUpTask.objects.filter(note=OuterRef("pk"), done_on__isnull=True)
        .order_by()
        .values("note")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Subquery(per_note, output_field=IntegerField())


def notes_visible(*, viewer: User) -> QuerySet[SupervisionNote]:
    """The supervision notes ``viewer`` may read (SupervisionNote.objects.visible_to), with
    what a row shows in the same query: the client, the staff member, the author and
    ``open_tasks``, the follow-up tasks not yet done."""
    return (
        SupervisionNote.objects.visible_to(viewer)
        .select_related(*NOTE_SELECT_RELATED)
        .annotate(open_tasks=Coalesce(_open_tasks(), 0))
    )


def note_list(*, viewer: User) -> QuerySet[SupervisionNote]:
    """The notes list: a case manager's own supervision with the notes still to acknowledge
    first, then the newest; everyone else's newest first."""
    notes = notes_visible(viewer=viewer)
    if viewer.is_case_manager:
        awaiting_first = Case(
            When(acknowledged_on__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return notes.order_by(awaiting_first, "-held_on", "-id")
    return notes.order_by("-held_on", "-id")


def notes_awaiting_acknowledgement(*, viewer: User) -> int:
    """How many of the notes ``viewer`` reads are not yet acknowledged: for a case manager,
    the notes they still have to acknowledge."""
    return SupervisionNote.objects.visible_to(viewer).filter(acknowledged_on__isnull=True).count()


def client_supervision_notes(*, viewer: User, client: Client) -> list[SupervisionNote]:
    """The client page's supervision card: the client's latest notes that ``viewer`` may
    read, in one query."""
    return with_concern_labels(
        notes_visible(viewer=viewer)
        .filter(enrollment__client=client)
        .order_by("-held_on", "-id")[:CLIENT_PAGE_NOTES]
    )


def with_concern_labels(notes: Iterable[SupervisionNote]) -> list[SupervisionNote]:
    """The notes, each with ``concern_labels``: its concerns in words, for the pages."""
    labels = dict(ConcernCategory.choices)
    rows = list(notes)
    for note in rows:
        note.concern_labels = [labels.get(c, c) for c in note.concerns]  # type: ignore[attr-defined]  # an annotation
    return rows


def note_contents(note: SupervisionNote) -> SupervisionNote:
    """The note with its tasks (and the plan interventions they became) and its
    participants, one query each, and its ``concern_labels``."""
    with_concern_labels([note])
    prefetch_related_objects(
        [note],
        Prefetch("tasks", queryset=FollowUpTask.objects.select_related("plan_action__goal")),
        Prefetch(
            "participants",
            queryset=ConferenceParticipant.objects.select_related(
                "staff", "family_member", "provider"
            ),
        ),
    )
    return note


def plan_goals_for_tasks(*, enrollment_id: int) -> list[Goal]:
    """The goals a follow-up task can be added under: the active goals of the enrollment's
    draft plan, or of its active plan when there is no draft (adding one then starts the
    draft from it, serviceplans.services.plan_start)."""
    goals = list(
        Goal.objects.filter(
            plan__enrollment_id=enrollment_id,
            plan__status__in=[ServicePlan.Status.DRAFT, ServicePlan.Status.ACTIVE],
            status=Goal.Status.ACTIVE,
        )
        .select_related("plan")
        .order_by("id")
    )
    drafts = [goal for goal in goals if goal.plan.is_draft]
    return drafts or goals


# --- Variances, regional plans ----------------------------------------------------------------

VARIANCE_SELECT_RELATED = (
    "enrollment__client",
    "enrollment__program",
    "enrollment__team__region",
    "enrollment__case_manager",
    "flag",
    "requested_by",
    "decided_by",
)
# The queue's rows show less than a variance's page (no case manager, no decider, the flag's
# due date annotated): each join left out is planning time saved, and with eleven tables
# PostgreSQL spent 20 ms planning the page's query and 2 ms running it (issue 6).
VARIANCE_QUEUE_SELECT_RELATED = (
    "enrollment__client",
    "enrollment__program",
    "enrollment__team__region",
    "requested_by",
)


def _with_flag_due_on(variances: QuerySet[Variance]) -> QuerySet[Variance]:
    """``flag_due_on``: the due date of the flag a variance was asked against, or else of the
    open flag of its enrollment and standard (a request made against a standard)."""
    open_flag = (
        Flag.objects.open()
        .filter(enrollment_id=OuterRef("enrollment_id"), rule=OuterRef("rule"))
        .values("due_on")[:1]
    )
    return variances.annotate(
        flag_due_on=Coalesce(
            F("flag__due_on"),
            Subquery(open_flag, output_field=DateField()),
            output_field=DateField(),
        )
    )


def variance_queue(*, viewer: User) -> QuerySet[Variance]:
    """Division administration's queue: variances oldest request first (the longest waiting
    leads), with everything a row shows in the same query (narrowed to pending, a region or a
    program by supervision.forms.variances.VarianceFilter)."""
    variances = Variance.objects.visible_to(viewer).select_related(*VARIANCE_QUEUE_SELECT_RELATED)
    return _with_flag_due_on(variances).order_by("requested_at", "id")


def variances_visible(*, viewer: User) -> QuerySet[Variance]:
    """The variances of the viewer's teams (every team for agency-wide roles), newest request
    first: a supervisor follows the team's requests and decisions here."""
    variances = Variance.objects.visible_to(viewer).select_related(*VARIANCE_SELECT_RELATED)
    return _with_flag_due_on(variances).order_by("-requested_at", "-id")


@dataclass(frozen=True)
class VarianceRow:
    variance: Variance
    due_on: dt.date | None  # the flag's due date, when there is a flag
    days_overdue: int | None
    # The days an approval may run until, decided today: from today to the rule's maximum
    # (None: no maximum). The queue's date input offers them; the service decides.
    earliest_until: dt.date | None = None
    latest_until: dt.date | None = None


def variance_rows(variances: Iterable[Variance], *, today: dt.date) -> list[VarianceRow]:
    """Rows of a variance list (annotated by variance_queue / variances_visible): the flag's
    due date and the days it is overdue today, and the days a decision today may approve it
    until."""
    rows = []
    for variance in variances:
        due_on: dt.date | None = getattr(variance, "flag_due_on", None)
        rows.append(
            VarianceRow(
                variance=variance,
                due_on=due_on,
                days_overdue=(today - due_on).days if due_on is not None else None,
                earliest_until=today,
                latest_until=variance_latest_until(variance.rule, today=today),
            )
        )
    return rows


@dataclass(frozen=True)
class ComplianceFlagRow:
    flag: Flag
    explained: dict[str, Any]  # Flag.explain: rule, standard, due date, days overdue, remedy
    can_request_variance: bool
    pending_variance: Variance | None

    @property
    def days_left(self) -> int:
        """For a flag raised ahead of its date (a consent about to expire)."""
        return -int(self.explained["days_overdue"])


@dataclass(frozen=True)
class ClientCompliance:
    flags: list[ComplianceFlagRow]
    variances: list[Variance]


def client_compliance(
    *, enrollments: list[Enrollment], today: dt.date, writable_enrollment_ids: Iterable[int]
) -> ClientCompliance:
    """The client page's compliance card: the open flags of the client's enrollments the
    viewer may see, each explained (the standard, due date, days overdue, what would satisfy
    it) and whether the viewer may ask for a variance of it (``writable_enrollment_ids``:
    the open enrollments the viewer may write, which the client page already has); and
    those enrollments' variances with their status. ``enrollments`` is the page's one list
    of them (workspace.selectors.client_page_enrollments), each with its ``open_flags`` and
    ``variance_list``: no query of its own."""
    flags = sorted(
        (flag for e in enrollments for flag in e.open_flags),  # type: ignore[attr-defined]  # an annotation
        key=lambda flag: (flag.due_on, flag.pk),
    )
    variances = sorted(
        (v for e in enrollments for v in e.variance_list),  # type: ignore[attr-defined]  # an annotation
        key=lambda v: (v.requested_at, v.pk),
        reverse=True,
    )
    pending = {
        (v.enrollment_id, v.rule): v for v in variances if v.status == Variance.Status.PENDING
    }
    writable = set(writable_enrollment_ids)
    rows = [
        ComplianceFlagRow(
            flag=flag,
            explained=flag.explain(as_of=today),
            can_request_variance=flag.enrollment_id in writable
            and (flag.enrollment_id, flag.rule) not in pending,
            pending_variance=pending.get((flag.enrollment_id, flag.rule)),
        )
        for flag in flags
    ]
    return ClientCompliance(flags=rows, variances=variances)


def regional_plans(*, viewer: User) -> QuerySet[RegionalPlan]:
    """Every region's service-delivery plans (agency business: everyone reads them), newest
    year first, with the number of goals; one query."""
    return (
        RegionalPlan.objects.visible_to(viewer)
        .select_related("region", "prepared_by", "decided_by")
        .annotate(goal_count=Count("goals"))
        .order_by("-year", "region__name", "id")
    )


def regions_for_new_plan(*, viewer: User) -> QuerySet[Region]:
    """The regions whose plan ``viewer`` may write: those where they supervise a team."""
    if not viewer.is_supervisor:
        return Region.objects.none()
    return Region.objects.filter(teams__supervisors=viewer).distinct().order_by("name")
