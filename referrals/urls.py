from django.urls import path

from referrals.views import consents, providers, referrals

app_name = "referrals"
urlpatterns = [
    # Provider directory and interagency agreements
    path("providers/", providers.provider_list, name="provider_list"),
    path("providers/new/", providers.provider_create, name="provider_create"),
    path("providers/<int:pk>/", providers.provider_detail, name="provider_detail"),
    path("providers/<int:pk>/edit/", providers.provider_edit, name="provider_edit"),
    path(
        "providers/<int:pk>/agreements/new/",
        providers.agreement_create,
        name="agreement_create",
    ),
    path("agreements/<int:pk>/edit/", providers.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:pk>/document/",
        providers.agreement_document,
        name="agreement_document",
    ),
    # Releases of information (consents) and the accounting of disclosures
    path("clients/<int:pk>/consents/new/", consents.consent_create, name="consent_create"),
    path("consents/expiring/", consents.consents_expiring, name="consents_expiring"),
    path(
        "clients/<int:pk>/disclosures/export/",
        consents.disclosure_export,
        name="disclosure_export",
    ),
    path("consents/<int:pk>/", consents.consent_detail, name="consent_detail"),
    path("consents/<int:pk>/revoke/", consents.consent_revoke, name="consent_revoke"),
    path(
        "consents/<int:pk>/signed-copy/",
        consents.consent_signed_copy,
        name="consent_signed_copy",
    ),
    # Referrals: made from the client page or a plan goal, moved step by step, followed up
    path("clients/<int:pk>/referrals/new/", referrals.referral_create, name="referral_create"),
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path(
        "referrals/<int:pk>/transition/",
        referrals.referral_transition,
        name="referral_transition",
    ),
    path(
        "referrals/<int:pk>/follow-up/",
        referrals.referral_follow_up,
        name="referral_follow_up",
    ),
    path("referrals/<int:pk>/packet/", referrals.referral_packet, name="referral_packet"),
]
