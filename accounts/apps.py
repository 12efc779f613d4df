from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff, teams and regions"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="accounts.stamp_login")
