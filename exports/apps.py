from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Exports of every list and report to CSV and XLSX: the file formats, the registry of what
    can be exported, and the jobs that write large exports in a Celery worker. It stands on
    accounts and clients (the access log); every app above it registers its tables here."""

    name = "exports"
