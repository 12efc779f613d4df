from django.urls import path

from clients.views import (
    accesses,
    clients,
    contacts,
    departures,
    directory,
    emergency,
    enrollments,
    family,
)

app_name = "clients"
urlpatterns = [
    path("clients/", directory.client_list, name="client_list"),
    path("clients/new/", clients.client_register, name="register"),
    path("clients/<int:pk>/edit/", clients.client_edit, name="edit"),
    path("clients/<int:pk>/accesses/", accesses.client_accesses, name="accesses"),
    path(
        "clients/emergency-access/",
        emergency.emergency_access_request,
        name="emergency_access_request",
    ),
    path(
        "clients/emergency-access/granted/",
        emergency.emergency_accesses,
        name="emergency_accesses",
    ),
    path("clients/<int:pk>/family/new/", family.family_member_add, name="family_add"),
    path("clients/<int:pk>/enrollments/new/", enrollments.enrollment_open, name="enrollment_open"),
    path("family/<int:pk>/edit/", family.family_member_edit, name="family_edit"),
    path("staff/<int:pk>/deactivate/", departures.staff_departure, name="staff_departure"),
    path("enrollments/<int:pk>/edit/", enrollments.enrollment_edit, name="enrollment_edit"),
    path(
        "enrollments/<int:pk>/transfer/",
        enrollments.enrollment_transfer,
        name="enrollment_transfer",
    ),
    path("enrollments/<int:pk>/close/", enrollments.enrollment_close, name="enrollment_close"),
    path("contacts/<int:pk>/correct/", contacts.contact_correct, name="contact_correct"),
    path("contacts/<int:pk>/addendum/", contacts.contact_addendum, name="contact_addendum"),
]
