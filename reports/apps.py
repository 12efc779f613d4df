from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports: the staff activity log and the compliance rates (TIP 27, ACCSA module 19; Idaho
    standard 12), each exported to CSV and XLSX with the scope of the person asking (its tables
    registered with exports.tables). It reads every app below it and writes nothing."""

    name = "reports"

    def ready(self) -> None:
        from reports import tables  # noqa: F401  (registers the reports' exports)
