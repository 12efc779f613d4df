"""Supervision URLs. Each part has its own views module (dashboard_views, note_views,
variance_views), as referrals does."""

from django.urls import path

from supervision import dashboard_views, note_views, variance_views

app_name = "supervision"

urlpatterns: list = [
    # --- dashboard, flags ---
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("flags/", dashboard_views.flag_list, name="flag_list"),
    # --- notes, conferences ---
    path("notes/", note_views.note_list, name="note_list"),
    path("notes/new/", note_views.note_create, name="note_create"),
    path("notes/<int:pk>/", note_views.note_detail, name="note_detail"),
    path("notes/<int:pk>/acknowledge/", note_views.note_acknowledge, name="note_acknowledge"),
    path("conferences/new/", note_views.conference_create, name="conference_create"),
    path("follow-up-tasks/<int:pk>/done/", note_views.task_done, name="task_done"),
    path(
        "follow-up-tasks/<int:pk>/add-to-plan/",
        note_views.task_add_to_plan,
        name="task_add_to_plan",
    ),
    # --- variances, regional plans ---
    path(
        "enrollments/<int:pk>/variances/new/",
        variance_views.variance_request,
        name="variance_request",
    ),
    path("variances/", variance_views.variance_list, name="variance_list"),
    path("variances/queue/", variance_views.variance_queue, name="variance_queue"),
    path("variances/<int:pk>/", variance_views.variance_detail, name="variance_detail"),
    path("variances/<int:pk>/decide/", variance_views.variance_decide, name="variance_decide"),
    path("regional-plans/", variance_views.regional_plan_list, name="regional_plan_list"),
    path("regional-plans/new/", variance_views.regional_plan_create, name="regional_plan_create"),
    path(
        "regional-plans/<int:pk>/",
        variance_views.regional_plan_detail,
        name="regional_plan_detail",
    ),
    path(
        "regional-plans/<int:pk>/edit/",
        variance_views.regional_plan_edit,
        name="regional_plan_edit",
    ),
    path(
        "regional-plans/<int:pk>/submit/",
        variance_views.regional_plan_submit,
        name="regional_plan_submit",
    ),
    path(
        "regional-plans/<int:pk>/decide/",
        variance_views.regional_plan_decide,
        name="regional_plan_decide",
    ),
]
