"""/api/v1/disclosures/: the accounting of disclosures, read-only, its entries made by
producing a referral packet."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import Client, Enrollment
from referrals.models import Consent, Disclosure, Provider, Referral
from tests import factories
from tests.helpers import assert_list_queries_constant, days_ago, listed_ids, today

pytestmark = pytest.mark.django_db

DISCLOSURES_URL = reverse("disclosure-list")


@pytest.fixture
def provider(db: None) -> Provider:
    return factories.ProviderFactory(name="Harbor Recovery")


@pytest.fixture
def referral(enrollment: Enrollment, provider: Provider) -> Referral:
    """alice's draft referral, sharing identifying details and the service plan."""
    return factories.ReferralFactory(enrollment=enrollment, provider=provider)


@pytest.fixture
def consent(client_record: Client, provider: Provider) -> Consent:
    """A release to the provider covering the referral's categories, signed a month ago."""
    return factories.ConsentFactory(
        client=client_record, recipient_provider=provider, signed_on=days_ago(30)
    )


@pytest.fixture
def other_referral(other_enrollment: Enrollment, provider: Provider) -> Referral:
    return factories.ReferralFactory(enrollment=other_enrollment, provider=provider)


@pytest.fixture
def disclosure(referral: Referral, consent: Consent, alice: User) -> Disclosure:
    return Disclosure.objects.create(
        client=consent.client,
        referral=referral,
        consent=consent,
        recipient=referral.provider,
        categories=referral.categories,
        by=alice,
    )


@pytest.fixture
def other_disclosure(other_referral: Referral, charlie: User) -> Disclosure:
    consent = factories.ConsentFactory(
        client=other_referral.enrollment.client, recipient_provider=other_referral.provider
    )
    return Disclosure.objects.create(
        client=consent.client,
        referral=other_referral,
        consent=consent,
        recipient=other_referral.provider,
        categories=other_referral.categories,
        by=charlie,
    )


def test_it_lists_the_disclosures_of_the_own_team(
    api: APIClient, bob: User, disclosure: Disclosure, other_disclosure: Disclosure
) -> None:
    api.force_login(bob)
    response = api.get(DISCLOSURES_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {disclosure.pk}


def test_it_hides_another_teams_disclosures(
    api: APIClient, charlie: User, disclosure: Disclosure, other_disclosure: Disclosure
) -> None:
    api.force_login(charlie)
    response = api.get(DISCLOSURES_URL)
    assert listed_ids(response) == {other_disclosure.pk}


def test_it_lists_every_disclosure_to_an_administrator(
    api: APIClient, ada: User, disclosure: Disclosure, other_disclosure: Disclosure
) -> None:
    api.force_login(ada)
    response = api.get(DISCLOSURES_URL)
    assert listed_ids(response) == {disclosure.pk, other_disclosure.pk}


def test_it_filters_disclosures_by_client(
    api: APIClient, ada: User, disclosure: Disclosure, other_disclosure: Disclosure
) -> None:
    api.force_login(ada)
    response = api.get(DISCLOSURES_URL, {"client": other_disclosure.client_id})
    assert listed_ids(response) == {other_disclosure.pk}


def test_it_lists_disclosures_in_a_constant_number_of_queries(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(alice)

    def record(count: int) -> None:
        Disclosure.objects.bulk_create(
            Disclosure(
                client=consent.client,
                referral=referral,
                consent=consent,
                recipient=referral.provider,
                categories=referral.categories,
                by=alice,
            )
            for _ in range(count)
        )

    assert_list_queries_constant(api, DISCLOSURES_URL, record)


def test_it_keeps_the_disclosure_list_read_only(
    api: APIClient, alice: User, disclosure: Disclosure
) -> None:
    api.force_login(alice)
    response = api.post(DISCLOSURES_URL, {}, format="json")
    assert response.status_code == 405


def test_it_lists_the_disclosure_of_a_packet_just_produced(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(alice)
    produced = api.post(reverse("referral-packet", args=[referral.pk])).json()
    response = api.get(DISCLOSURES_URL, {"client": referral.enrollment.client_id})
    assert listed_ids(response) == {produced["id"]}


def test_it_keeps_a_disclosure_after_the_consent_is_revoked(
    api: APIClient, alice: User, disclosure: Disclosure, consent: Consent
) -> None:
    api.force_login(alice)
    api.post(
        reverse("consent-revoke", args=[consent.pk]),
        {"revoked_on": today().isoformat()},
        format="json",
    )
    response = api.get(DISCLOSURES_URL)
    assert listed_ids(response) == {disclosure.pk}
