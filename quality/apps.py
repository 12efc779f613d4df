from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Record reviews, the QA reviewer's work: samples of records drawn per case manager, each
    reviewed against the agency's checklist of benchmarks (TIP 27, ACCSA module 19), with
    findings, corrective actions and re-reviews returned to the people who produced them."""

    name = "quality"

    def ready(self) -> None:
        from quality import tables  # noqa: F401  (registers the queue's, findings' and trend's exports)
