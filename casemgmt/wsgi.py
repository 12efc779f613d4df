import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casemgmt.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse here to serve with unsafe settings (casemgmt.checks),
# or as a database role that could rewrite the audit (casemgmt.database_roles).
from django.db import connection  # noqa: E402

from casemgmt.checks import refuse_unsafe_settings  # noqa: E402  (needs the settings loaded)
from casemgmt.database_roles import refuse_privileged_role  # noqa: E402

refuse_unsafe_settings()
refuse_privileged_role()
connection.close()  # not shared by the processes a server may fork from this one
