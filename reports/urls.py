from django.urls import path

from reports.views import activity, compliance

app_name = "reports"

# One line per page; each report's exports are the same URL with ?format=csv|xlsx.
urlpatterns = [
    path("activity/", activity.activity_log, name="activity"),
    path("activity/contacts/", activity.activity_contacts, name="activity_contacts"),
    path("compliance/", compliance.compliance_rates, name="compliance"),
    path("compliance/trend/", compliance.compliance_trend, name="compliance_trend"),
    path(
        "compliance/enrollments/",
        compliance.compliance_enrollments,
        name="compliance_enrollments",
    ),
]
