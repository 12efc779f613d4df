from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    """Planned visits: a case manager's schedule of contacts to come, its week view and its
    private calendar feed. It stands on clients (a planned visit becomes a recorded contact)
    and below workspace, whose My work page lists the visits due."""

    name = "scheduling"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from scheduling import tables  # noqa: F401  (registers the weeks' exports)
        from scheduling.receivers import revoke_feed_of_deactivated_user

        # Accounts are deactivated in the admin (accounts has no service for it), so the save
        # itself is what revokes the calendar feed; the feed also checks is_active on fetch.
        post_save.connect(
            revoke_feed_of_deactivated_user,
            sender=get_user_model(),
            dispatch_uid="scheduling_revoke_feed_of_deactivated_user",
        )
