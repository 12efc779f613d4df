from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Outcome measures: per program, the measures recorded at intake, at the program's interval
    and at discharge, the change from baseline, and continuity of care (TIP 27, ACCSA module 19:
    client and system outcomes). It stands above supervision, whose compliance engine it adds
    its "measure due" rule to through the rule registry, and below quality and reports."""

    name = "outcomes"

    def ready(self) -> None:
        from outcomes.compliance import OUTCOME_RULE
        from supervision.rules import register

        # After supervision's own rules (INSTALLED_APPS order): flags and variances may name it.
        register(OUTCOME_RULE)

        from outcomes import tables  # noqa: F401  (registers the outcomes reports' exports)
