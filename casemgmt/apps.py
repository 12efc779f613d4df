from typing import Any

from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import post_migrate


class CasemgmtConfig(AppConfig):
    """The project package: settings, URLs, the Celery app and operator commands; no models."""

    name = "casemgmt"
    verbose_name = "Casework"

    def ready(self) -> None:
        from casemgmt import checks  # noqa: F401  (registers the deployment check)

        post_migrate.connect(_grant_app_privileges, dispatch_uid="casemgmt.grant_app_privileges")


def _grant_app_privileges(sender: AppConfig, using: str, **kwargs: Any) -> None:
    """After ``migrate`` (and a test's ``flush``), give the app role its privileges on every
    table, the new ones too (casemgmt.database_roles). ``post_migrate`` is sent once per app
    with models, every table existing already: the grants are made once, for the last."""
    from casemgmt.database_roles import grant_app_privileges

    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender is last_app:
        grant_app_privileges(connections[using])
