from django.apps import AppConfig


class CasemgmtConfig(AppConfig):
    """The project package: settings, URLs, the Celery app and operator commands; no models."""

    name = "casemgmt"
    verbose_name = "Casework"
