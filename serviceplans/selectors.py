"""Reads of assessments, screens and plans, and the due dates shown beside enrollments."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    DateField,
    ExpressionWrapper,
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
    Goal,
    GoalProgress,
    PlanAction,
    PlanReview,
    RiskScreen,
    ServicePlan,
)


def with_assessment_due(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate each enrollment with ``last_assessment_on`` (the last completed comprehensive
    assessment), ``assessment_due_on`` and ``at_risk`` (its latest risk screen is positive).

    ``assessment_due_on`` is due_dates.next_assessment_due_on written as SQL (date + integer
    days), so the caseload can sort on it; a test holds the two to the same answers.
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
        assessment_due_on=Coalesce(
            _date_plus_days("last_assessment_on", "program__reassessment_interval_days"),
            _date_plus_days("application_date", "program__initial_assessment_days"),
        ),
        at_risk=Coalesce(
            Subquery(latest_screen.values("positive")[:1]),
            Value(False),
            output_field=BooleanField(),
        ),
    )


def _date_plus_days(date_field: str, days_field: str) -> ExpressionWrapper:
    # PostgreSQL: date + integer is the date that many days later.
    return ExpressionWrapper(F(date_field) + F(days_field), output_field=DateField())


def assessment_due_status(enrollment: Enrollment, *, today: dt.date) -> due_dates.DueStatus:
    """The next assessment's due status, from the enrollment's ``last_assessment_on``
    annotation (with_assessment_due) and its program's standards."""
    program = enrollment.program
    due_on = due_dates.next_assessment_due_on(
        application_date=enrollment.application_date,
        last_completed_on=enrollment.last_assessment_on,  # type: ignore[attr-defined]
        initial_assessment_days=program.initial_assessment_days,
        reassessment_interval_days=program.reassessment_interval_days,
    )
    return due_dates.due_status(due_on=due_on, today=today)


def plan_with_contents(plan_id: int, *, plans: QuerySet[ServicePlan]) -> ServicePlan:
    """A plan with everything its page shows, in a fixed number of queries."""
    return (
        plans.select_related("enrollment__client", "enrollment__program", "author", "approved_by")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.prefetch_related(
                    Prefetch("actions", queryset=PlanAction.objects.order_by("id"))
                ),
            ),
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
