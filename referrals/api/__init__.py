"""The JSON API for the provider directory, interagency agreements, releases of information
(consents), referrals and the accounting of disclosures (``/api/v1/``), one module per
resource: its serializers, filters and viewset together.

Each viewset goes gate → serializer → service → response and holds no rules of its own. The
directory is agency-wide: everyone logged in reads it and administrators maintain it
(``referrals.services.provider_save`` / ``agreement_save``). Consents, referrals and
disclosures are client records: lists come from the models' ``visible_to(user)`` querysets and
a single one is reached through :class:`casemgmt.api.ScopedObjectMixin` (404 and a DENIED row
in the access log outside the user's scope, 403 where the user may read but not change it).
Ids in a request body are looked up in the user's scope, so another team's record is "not
found" there too.

Disclosure is gated in one place: sending a referral that shares information and producing a
referral packet both go through the services, which need a consent that covers the provider
and the categories on that day (``consent_find_covering``); without one the answer is a 400 on
``consent`` naming what is missing, and nothing changes. Nothing here is deleted (no DELETE:
405); a consent is revoked, never erased.

Serializers that show a status, a service type or information categories are used for reading
and writing alike, and the shared choice sets are named in ``ENUM_NAME_OVERRIDES``, so the
OpenAPI schema has one enum per choice set.
"""
