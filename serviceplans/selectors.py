"""Reads of assessments, screens and plans, and the due dates shown beside enrollments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    DateField,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from clients.models import Enrollment
from serviceplans import due_dates
from serviceplans.models import (
    Assessment,
    GoalProgress,
    PlanReview,
    RiskScreen,
    ServicePlan,
)


def with_assessment_due(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate each enrollment with ``last_assessment_on`` (the last completed comprehensive
    assessment), ``assessment_due_on`` and ``at_risk`` (its latest risk screen is positive).

    ``assessment_due_on`` is due_dates.next_assessment_due_on's SQL
    (due_dates.next_assessment_due_on_sql), so the caseload can sort on it.
    """
    last_completed = (
        Assessment.objects.filter(enrollment=OuterRef("pk"), status=Assessment.Status.COMPLETED)
        .order_by("-completed_on")
        .values("completed_on")[:1]
    )
    latest_screen = RiskScreen.objects.filter(enrollment=OuterRef("pk")).order_by(
        "-screened_on", "-id"
    )
    return enrollments.annotate(
        last_assessment_on=Subquery(last_completed, output_field=DateField()),
        assessment_due_on=due_dates.next_assessment_due_on_sql(
            application_date=F("application_date"),
            last_completed_on=F("last_assessment_on"),
            initial_assessment_days=F("program__initial_assessment_days"),
            reassessment_interval_months=F("program__reassessment_interval_months"),
        ),
        at_risk=Coalesce(
            Subquery(latest_screen.values("positive")[:1]),
            Value(False),
            output_field=BooleanField(),
        ),
    )


def assessment_due_status(enrollment: Enrollment, *, today: dt.date) -> due_dates.DueStatus:
    """The next assessment's due status, from the enrollment's ``last_assessment_on``
    annotation (with_assessment_due) and its program's standards."""
    program = enrollment.program
    due_on = due_dates.next_assessment_due_on(
        application_date=enrollment.application_date,
        last_completed_on=enrollment.last_assessment_on,  # type: ignore[attr-defined]  # annotated by with_assessment_due
        initial_assessment_days=program.initial_assessment_days,
        reassessment_interval_months=program.reassessment_interval_months,
    )
    return due_dates.due_status(
        due_on=due_on, today=today, soon_within=due_dates.ASSESSMENT_DUE_SOON_DAYS
    )


def plan_review_due_status(
    plan: ServicePlan, *, last_reviewed_on: dt.date | None, today: dt.date
) -> due_dates.DueStatus | None:
    """When an active plan's next review is due (None for drafts and superseded plans)."""
    if plan.status != ServicePlan.Status.ACTIVE or plan.approved_on is None:
        return None
    due_on = due_dates.plan_review_due_on(
        approved_on=plan.approved_on,
        last_reviewed_on=last_reviewed_on,
        plan_review_interval_days=plan.enrollment.program.plan_review_interval_days,
    )
    return due_dates.due_status(
        due_on=due_on, today=today, soon_within=due_dates.PLAN_REVIEW_DUE_SOON_DAYS
    )


def plan_with_contents(plan_id: int, *, plans: QuerySet[ServicePlan]) -> ServicePlan:
    """A plan with everything its page shows, in a fixed number of queries."""
    return (
        plans.select_related("enrollment__client", "enrollment__program", "author", "approved_by")
        .prefetch_related(
            "goals__actions",
            "barriers",
            "family_participants",
            Prefetch(
                "reviews",
                queryset=PlanReview.objects.select_related("reviewer").prefetch_related(
                    Prefetch("progress", queryset=GoalProgress.objects.select_related("goal"))
                ),
            ),
        )
        .get(pk=plan_id)
    )


@dataclass(frozen=True)
class EnrollmentAssessments:
    """One enrollment's part of the client page: the next comprehensive assessment's due
    status (open enrollments only), its assessments newest first, its open draft and its
    latest risk screen."""

    enrollment: Enrollment
    due: due_dates.DueStatus | None
    assessments: list[Assessment]
    draft: Assessment | None
    latest_screen: RiskScreen | None


@dataclass(frozen=True)
class ClientAssessments:
    enrollments: list[EnrollmentAssessments]

    @property
    def at_risk_screens(self) -> list[RiskScreen]:
        """The latest screens, one per open enrollment, that are positive. A closed
        episode's screen no longer speaks for the client; the caseload marks enrollments the
        same way (with_assessment_due's ``at_risk``)."""
        return [
            e.latest_screen
            for e in self.enrollments
            if e.enrollment.is_open and e.latest_screen is not None and e.latest_screen.positive
        ]

    @property
    def at_risk(self) -> bool:
        """A client is at risk while the latest screen of any of their open enrollments is
        positive (DESIGN.md step 2); a later negative screen clears it."""
        return bool(self.at_risk_screens)

    @property
    def at_risk_items(self) -> list[str]:
        items: list[str] = []
        for screen in self.at_risk_screens:
            items.extend(item for item in screen.positive_items if item not in items)
        return items


def client_assessments(*, enrollments: list[Enrollment], today: dt.date) -> ClientAssessments:
    """Assessments, due dates and risk screens of the client's enrollments the viewer may
    see, for the client page: ``enrollments`` is the page's one list of them
    (workspace.selectors.client_page_enrollments: annotated by with_assessment_due, with
    ``latest_screen``); their assessments are one more query whatever their number."""
    assessments: dict[int, list[Assessment]] = {e.pk: [] for e in enrollments}
    for assessment in (
        Assessment.objects.filter(enrollment__in=[e.pk for e in enrollments])
        .select_related("author")
        .order_by("-created_at", "-pk")
    ):
        assessments[assessment.enrollment_id].append(assessment)
    return ClientAssessments(
        enrollments=[
            EnrollmentAssessments(
                enrollment=e,
                due=assessment_due_status(e, today=today) if e.is_open else None,
                assessments=assessments[e.pk],
                draft=next((a for a in assessments[e.pk] if not a.is_locked), None),
                latest_screen=e.latest_screen,  # type: ignore[attr-defined]  # set by workspace.selectors
            )
            for e in enrollments
        ]
    )


def client_plans(*, enrollments: list[Enrollment], today: dt.date) -> list[dict[str, object]]:
    """The service-plan card of the client page: per enrollment the viewer may see (open
    ones, and closed ones that kept a plan; open first, then the newest application), its
    ``active`` plan with the next review's due status (``review_due``) and its ``draft``.
    ``enrollments`` is the page's one list of them (workspace.selectors.client_page_enrollments,
    with ``current_plans`` and their ``last_reviewed_on``): no query of its own."""
    ordered = sorted(enrollments, key=lambda e: (e.application_date, e.pk), reverse=True)
    ordered.sort(key=lambda e: not e.is_open)
    rows: list[dict[str, object]] = []
    for enrollment in ordered:
        plans = {p.status: p for p in enrollment.current_plans}  # type: ignore[attr-defined]  # a Prefetch to_attr
        active = plans.get(ServicePlan.Status.ACTIVE)
        if not (enrollment.is_open or plans):
            continue
        review_due = (
            plan_review_due_status(active, last_reviewed_on=active.last_reviewed_on, today=today)
            if active is not None
            else None
        )
        rows.append(
            {
                "enrollment": enrollment,
                "active": active,
                "draft": plans.get(ServicePlan.Status.DRAFT),
                "review_due": review_due,
            }
        )
    return rows
