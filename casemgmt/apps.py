from django.apps import AppConfig


class CasemgmtConfig(AppConfig):
    """The project package: settings, URLs, the Celery app and operator commands; no models."""

    name = "casemgmt"
    verbose_name = "Casework"

    def ready(self) -> None:
        from casemgmt import checks  # noqa: F401  (registers the deployment check)
