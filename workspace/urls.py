from django.urls import URLPattern, URLResolver, path

from workspace.views import caseload, clients, contacts, dashboard, directory, my_work

app_name = "workspace"
urlpatterns: list[URLPattern | URLResolver] = [
    path("caseload/", caseload.caseload, name="caseload"),
    # The client directory's (clients:client_list) file: clients cannot import exports.
    path("clients/export/", directory.client_list_export, name="client_list_export"),
    path("clients/<int:pk>/", clients.client_detail, name="client"),
    path("clients/<int:pk>/releases/", clients.client_releases_card, name="releases_card"),
    path("clients/<int:pk>/supervision/", clients.client_supervision_card, name="supervision_card"),
    path("clients/<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("clients/<int:pk>/contacts/draft/", contacts.contact_draft, name="contact_draft"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("my-work/", my_work.my_work, name="my_work"),
]
