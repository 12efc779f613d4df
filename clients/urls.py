from django.urls import path

from clients import views

app_name = "clients"
urlpatterns = [
    path("clients/new/", views.client_register, name="register"),
]
