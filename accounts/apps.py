from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff, teams and regions"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import api_schema  # noqa: F401  (describes the API tokens in the schema)
        from accounts.middleware import stamp_login
        from accounts.second_factor import verify_remembered_device

        user_logged_in.connect(stamp_login, dispatch_uid="accounts.stamp_login")
        # After the password, a browser that remembers one of the person's devices skips the code.
        user_logged_in.connect(
            verify_remembered_device, dispatch_uid="accounts.verify_remembered_device"
        )
