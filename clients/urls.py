from django.urls import path

from clients import views

app_name = "clients"
urlpatterns = [
    path("clients/new/", views.client_register, name="register"),
    path("clients/<int:pk>/", views.client_detail, name="detail"),
    path("clients/<int:pk>/releases/", views.client_releases_card, name="releases_card"),
    path("clients/<int:pk>/supervision/", views.client_supervision_card, name="supervision_card"),
    path("clients/<int:pk>/edit/", views.client_edit, name="edit"),
    path("clients/<int:pk>/family/new/", views.family_member_add, name="family_add"),
    path("clients/<int:pk>/enrollments/new/", views.enrollment_open, name="enrollment_open"),
    path("clients/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("family/<int:pk>/edit/", views.family_member_edit, name="family_edit"),
    path("enrollments/<int:pk>/edit/", views.enrollment_edit, name="enrollment_edit"),
    path("enrollments/<int:pk>/transfer/", views.enrollment_transfer, name="enrollment_transfer"),
    path("enrollments/<int:pk>/close/", views.enrollment_close, name="enrollment_close"),
    path("contacts/<int:pk>/correct/", views.contact_correct, name="contact_correct"),
    path("contacts/<int:pk>/addendum/", views.contact_addendum, name="contact_addendum"),
]
