from django.urls import path

from referrals import consent_views, directory_views, referral_views

app_name = "referrals"
urlpatterns = [
    # Provider directory and interagency agreements
    path("providers/", directory_views.provider_list, name="provider_list"),
    path("providers/new/", directory_views.provider_create, name="provider_create"),
    path("providers/<int:pk>/", directory_views.provider_detail, name="provider_detail"),
    path("providers/<int:pk>/edit/", directory_views.provider_edit, name="provider_edit"),
    path(
        "providers/<int:pk>/agreements/new/",
        directory_views.agreement_create,
        name="agreement_create",
    ),
    path("agreements/<int:pk>/edit/", directory_views.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:pk>/document/",
        directory_views.agreement_document,
        name="agreement_document",
    ),
    # Releases of information (consents) and the accounting of disclosures
    path("clients/<int:pk>/consents/new/", consent_views.consent_create, name="consent_create"),
    path("consents/expiring/", consent_views.consents_expiring, name="consents_expiring"),
    path("consents/<int:pk>/", consent_views.consent_detail, name="consent_detail"),
    path("consents/<int:pk>/revoke/", consent_views.consent_revoke, name="consent_revoke"),
    path(
        "consents/<int:pk>/signed-copy/",
        consent_views.consent_signed_copy,
        name="consent_signed_copy",
    ),
    # Referrals: made from the client page or a plan goal, moved step by step, followed up
    path("clients/<int:pk>/referrals/new/", referral_views.referral_create, name="referral_create"),
    path("referrals/", referral_views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral_detail"),
    path(
        "referrals/<int:pk>/transition/",
        referral_views.referral_transition,
        name="referral_transition",
    ),
    path(
        "referrals/<int:pk>/follow-up/",
        referral_views.referral_follow_up,
        name="referral_follow_up",
    ),
    path("referrals/<int:pk>/packet/", referral_views.referral_packet, name="referral_packet"),
]
