from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from casemgmt.health import health
from workspace.views import caseload

urlpatterns = [
    # Supervisors land on their dashboard; everyone else on the caseload.
    path("", caseload.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("", include("clients.urls")),
    path("", include("serviceplans.urls")),
    path("", include("referrals.urls")),
    path("", include("supervision.urls")),
    path("", include("workspace.urls")),
    path("schedule/", include("scheduling.urls")),
    path("", include("outcomes.urls")),
    path("reviews/", include("quality.urls")),
    path("reports/", include("reports.urls")),
    path("exports/", include("exports.urls")),
    path("api/v1/", include("casemgmt.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's script from its own URL (the split view), as the CSP wants; the page's
    # <style> block is drf-spectacular's, and the page shows the schema, no client data.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]
