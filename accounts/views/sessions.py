from django.contrib.auth import views as auth_views

# Django's own views: the login form authenticates through django-axes (lockout after
# AXES_FAILURE_LIMIT failures per username and IP), and logout is POST-only and flushes the
# session so the old session id is useless afterwards.
login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True
)
logout_view = auth_views.LogoutView.as_view()
