from django.urls import URLPattern, URLResolver, path

from outcomes.views import measurements, reports

app_name = "outcomes"

# Mounted at the site root: each path carries its full prefix.
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "enrollments/<int:pk>/outcomes/new/",
        measurements.measurement_create,
        name="measurement_create",
    ),
    path(
        "outcomes/<int:pk>/correct/", measurements.measurement_correct, name="measurement_correct"
    ),
    path("clients/<int:pk>/outcomes/", measurements.client_outcomes_card, name="client_card"),
    path("reports/outcomes/", reports.outcomes_report, name="report"),
    path("reports/continuity/", reports.continuity_report, name="continuity"),
]
