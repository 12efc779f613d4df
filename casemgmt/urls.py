from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clients import views as client_views

urlpatterns = [
    # Supervisors land on their dashboard; everyone else on the caseload.
    path("", client_views.home, name="home"),
    path("caseload/", client_views.caseload, name="caseload"),
    path("accounts/", include("accounts.urls")),
    path("", include("clients.urls")),
    path("", include("serviceplans.urls")),
    path("", include("referrals.urls")),
    path("", include("supervision.urls")),
    path("api/v1/", include("casemgmt.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
