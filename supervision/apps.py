from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervision and compliance"

    def ready(self) -> None:
        from casemgmt.reactions import subscribe
        from clients.events import EnrollmentChanged
        from supervision.compliance import BUILT_IN_RULES
        from supervision.rules import register
        from supervision.tasks import queue_enrollment_evaluation

        # Supervision's own rules, first; an app above registers its rules in its ready().
        for rule in BUILT_IN_RULES:
            register(rule)
        # A change to an enrollment's records re-evaluates its compliance once it commits.
        subscribe(EnrollmentChanged, queue_enrollment_evaluation, on_commit=True)

        from supervision import tables  # noqa: F401  (registers the supervision lists' exports)
