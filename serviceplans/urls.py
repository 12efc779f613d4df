from django.urls import path

from serviceplans import plan_views, views

app_name = "serviceplans"
urlpatterns = [
    # Comprehensive assessments
    path("enrollments/<int:pk>/assessments/new/", views.assessment_start, name="assessment_start"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/addendum/", views.assessment_addendum, name="assessment_addendum"),
    # Readiness, risk and adherence screens
    path(
        "enrollments/<int:pk>/risk-screens/new/",
        views.risk_screen_create,
        name="risk_screen_create",
    ),
    path("risk-screens/<int:pk>/", views.risk_screen_detail, name="risk_screen_detail"),
    # Service plans: versions, their goals, objectives and interventions, barriers and reviews
    path("enrollments/<int:pk>/plans/new/", plan_views.plan_start, name="plan_start"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/review/", plan_views.plan_review, name="plan_review"),
    path("plans/<int:pk>/goals/new/", plan_views.goal_add, name="goal_add"),
    path("goals/<int:pk>/edit/", plan_views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/actions/new/", plan_views.action_add, name="action_add"),
    path("actions/<int:pk>/edit/", plan_views.action_edit, name="action_edit"),
    path("plans/<int:pk>/barriers/new/", plan_views.barrier_add, name="barrier_add"),
    path("barriers/<int:pk>/edit/", plan_views.barrier_edit, name="barrier_edit"),
]
