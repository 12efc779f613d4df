from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

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
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
