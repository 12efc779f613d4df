"""Supervision URLs, one views module per resource (supervision.views). The dashboard, which
gathers a team's picture, is the workspace's (workspace:dashboard)."""

from django.urls import URLPattern, URLResolver, path

from supervision.views import conferences, flags, notes, regional_plans, variances

app_name = "supervision"

urlpatterns: list[URLPattern | URLResolver] = [
    path("flags/", flags.flag_list, name="flag_list"),
    # --- notes, follow-up tasks, conferences ---
    path("notes/", notes.note_list, name="note_list"),
    path("notes/new/", notes.note_create, name="note_create"),
    path("notes/<int:pk>/", notes.note_detail, name="note_detail"),
    path("notes/<int:pk>/acknowledge/", notes.note_acknowledge, name="note_acknowledge"),
    path("follow-up-tasks/<int:pk>/done/", notes.task_done, name="task_done"),
    path("follow-up-tasks/<int:pk>/add-to-plan/", notes.task_add_to_plan, name="task_add_to_plan"),
    path("conferences/new/", conferences.conference_create, name="conference_create"),
    # --- variances ---
    path(
        "enrollments/<int:pk>/variances/new/", variances.variance_request, name="variance_request"
    ),
    path("variances/", variances.variance_list, name="variance_list"),
    path("variances/queue/", variances.variance_queue, name="variance_queue"),
    path("variances/<int:pk>/", variances.variance_detail, name="variance_detail"),
    path("variances/<int:pk>/decide/", variances.variance_decide, name="variance_decide"),
    # --- regional service-delivery plans ---
    path("regional-plans/", regional_plans.regional_plan_list, name="regional_plan_list"),
    path("regional-plans/new/", regional_plans.regional_plan_create, name="regional_plan_create"),
    path(
        "regional-plans/<int:pk>/", regional_plans.regional_plan_detail, name="regional_plan_detail"
    ),
    path(
        "regional-plans/<int:pk>/edit/",
        regional_plans.regional_plan_edit,
        name="regional_plan_edit",
    ),
    path(
        "regional-plans/<int:pk>/submit/",
        regional_plans.regional_plan_submit,
        name="regional_plan_submit",
    ),
    path(
        "regional-plans/<int:pk>/decide/",
        regional_plans.regional_plan_decide,
        name="regional_plan_decide",
    ),
]
