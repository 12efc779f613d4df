import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casemgmt.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse here to serve with unsafe settings (casemgmt.checks).
from casemgmt.checks import refuse_unsafe_settings  # noqa: E402  (needs the settings loaded)

refuse_unsafe_settings()
