from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Providers, referrals and releases of information"

    def ready(self) -> None:
        from referrals import tables  # noqa: F401  (registers the referral list's export)
