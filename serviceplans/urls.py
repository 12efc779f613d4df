from django.urls import path

from serviceplans.views import assessments, barriers, goals, plans, risk_screens

app_name = "serviceplans"
urlpatterns = [
    # Comprehensive assessments
    path(
        "enrollments/<int:pk>/assessments/new/",
        assessments.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", assessments.assessment_edit, name="assessment_edit"),
    path(
        "assessments/<int:pk>/addendum/",
        assessments.assessment_addendum,
        name="assessment_addendum",
    ),
    # Readiness, risk and adherence screens
    path(
        "enrollments/<int:pk>/risk-screens/new/",
        risk_screens.risk_screen_create,
        name="risk_screen_create",
    ),
    path("risk-screens/<int:pk>/", risk_screens.risk_screen_detail, name="risk_screen_detail"),
    # Service plans: versions, their goals, objectives and interventions, barriers and reviews
    path("enrollments/<int:pk>/plans/new/", plans.plan_start, name="plan_start"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/review/", plans.plan_review, name="plan_review"),
    path("plans/<int:pk>/goals/new/", goals.goal_add, name="goal_add"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/actions/new/", goals.action_add, name="action_add"),
    path("actions/<int:pk>/edit/", goals.action_edit, name="action_edit"),
    path("plans/<int:pk>/barriers/new/", barriers.barrier_add, name="barrier_add"),
    path("barriers/<int:pk>/edit/", barriers.barrier_edit, name="barrier_edit"),
]
