from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    """Planned visits: a case manager's schedule of contacts to come, its week view and its
    private calendar feed. It stands on clients (a planned visit becomes a recorded contact)
    and below workspace, whose My work page lists the visits due."""

    name = "scheduling"
