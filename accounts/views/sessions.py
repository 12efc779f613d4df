from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from accounts.middleware import session_renew

# Django's own views: the login form authenticates through django-axes (lockout after
# AXES_FAILURE_LIMIT failures per username and IP), and logout is POST-only and flushes the
# session so the old session id is useless afterwards.
login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True
)
logout_view = auth_views.LogoutView.as_view()


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" from the idle warning (static/js/idle.js, WCAG 2.2.1 Timing
    Adjustable): renews the session's idle expiry now and answers how long it has left. A
    session that has already ended answers 401, and the page goes to the login page."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Signed out."}, status=401)
    session_renew(request.session)
    return JsonResponse({"seconds_left": settings.SESSION_COOKIE_AGE})
