from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervision and compliance"

    def ready(self) -> None:
        from casemgmt.reactions import subscribe
        from clients.events import EnrollmentChanged
        from supervision.tasks import queue_enrollment_evaluation

        # A change to an enrollment's records re-evaluates its compliance once it commits.
        subscribe(EnrollmentChanged, queue_enrollment_evaluation, on_commit=True)
