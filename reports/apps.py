from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports and exports: the staff activity log and the compliance rates (TIP 27, ACCSA module
    19; Idaho standard 12), each exported to CSV and XLSX with the scope of the person asking.
    It reads every app below it and writes only its own export jobs."""

    name = "reports"
