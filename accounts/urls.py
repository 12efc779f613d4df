from django.urls import path

from accounts.views import sessions

app_name = "accounts"
urlpatterns = [
    path("login/", sessions.login_view, name="login"),
    path("logout/", sessions.logout_view, name="logout"),
    path("session/keep-alive/", sessions.keep_alive, name="keep_alive"),
]
