from django.urls import path

from accounts.views import account, passkeys, second_factor, sessions

app_name = "accounts"
urlpatterns = [
    path("login/", sessions.login_view, name="login"),
    path("logout/", sessions.logout_view, name="logout"),
    path("session/keep-alive/", sessions.keep_alive, name="keep_alive"),
    path("second-factor/", second_factor.verify, name="second_factor"),
    path("second-factor/enrol/", second_factor.enrol, name="second_factor_enrol"),
    path(
        "second-factor/recovery-codes/",
        second_factor.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path(
        "second-factor/passkey/begin/",
        passkeys.authentication_begin,
        name="passkey_authentication_begin",
    ),
    path(
        "second-factor/passkey/complete/",
        passkeys.authentication_complete,
        name="passkey_authentication_complete",
    ),
    path("staff/<int:pk>/second-factor/reset/", second_factor.reset, name="second_factor_reset"),
    path("account/", account.account, name="account"),
    path("account/api-tokens/<int:pk>/revoke/", account.token_revoke, name="api_token_revoke"),
    path("account/passkeys/begin/", passkeys.registration_begin, name="passkey_registration_begin"),
    path(
        "account/passkeys/complete/",
        passkeys.registration_complete,
        name="passkey_registration_complete",
    ),
    path("account/passkeys/<int:pk>/remove/", passkeys.remove, name="passkey_remove"),
]
