"""One search for the provider directory: the page, the referral form's finder and the API
(``referrals.forms.providers.ProviderFilter``) find the same providers for the same query."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from referrals.api.providers import ProviderViewSet
from referrals.forms.providers import ProviderFilter
from referrals.models import Provider, ProviderService, ServiceType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db: None) -> None:
    harbor = factories.ProviderFactory(
        name="Harbor Recovery", languages=["English", "Spanish"], waitlist_weeks=1
    )
    # Found by its service's name only: "detox" is in no provider's name.
    ProviderService.objects.create(
        provider=harbor, name="Medical detox", service_type=ServiceType.SUBSTANCE_USE
    )
    factories.ProviderFactory(
        name="Valley Housing", service_type=ServiceType.HOUSING, waitlist_weeks=8
    )
    factories.ProviderFactory(name="Private Practice", accepts_medicaid=False, waitlist_weeks=None)
    factories.ProviderFactory(name="Closed Recovery Clinic", is_active=False)


QUERIES = [
    ({}, {"Harbor Recovery", "Private Practice", "Valley Housing"}),
    ({"search": "HARBOR"}, {"Harbor Recovery"}),
    ({"search": "detox"}, {"Harbor Recovery"}),
    ({"search": "housing"}, {"Valley Housing"}),
    ({"search": "recovery"}, {"Harbor Recovery"}),
    ({"service_type": ServiceType.HOUSING}, {"Valley Housing"}),
    ({"language": "spanish"}, {"Harbor Recovery"}),
    ({"language": "span"}, set()),
    ({"accepts_medicaid": "true"}, {"Harbor Recovery", "Valley Housing"}),
    ({"accepts_medicaid": "false"}, {"Private Practice"}),
    ({"max_waitlist_weeks": "2"}, {"Harbor Recovery"}),
    ({"is_active": "false"}, {"Closed Recovery Clinic"}),
    (
        {"is_active": "all"},
        {"Closed Recovery Clinic", "Harbor Recovery", "Private Practice", "Valley Housing"},
    ),
    ({"is_active": "all", "search": "recovery"}, {"Closed Recovery Clinic", "Harbor Recovery"}),
    (
        {"search": "recovery", "language": "Spanish", "accepts_medicaid": "true"},
        {"Harbor Recovery"},
    ),
]


def _names(ids: set[int]) -> set[str]:
    return set(Provider.objects.filter(pk__in=ids).values_list("name", flat=True))


def _found_on_the_page(web: WebClient, query: dict[str, str]) -> set[str]:
    response = web.get(reverse("referrals:provider_list"), query)
    assert response.status_code == 200
    return _names({row["provider"].pk for row in response.context["rows"]})


def _found_by_the_api(api: APIClient, query: dict[str, str]) -> set[str]:
    response = api.get(reverse("provider-list"), query)
    assert response.status_code == 200
    return _names({row["id"] for row in response.json()["results"]})


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_the_page_and_the_api_find_the_same_providers(
    client: WebClient,
    api: APIClient,
    alice: User,
    directory: None,
    query: dict[str, str],
    expected: set[str],
) -> None:
    client.force_login(alice)
    api.force_login(alice)
    assert _found_on_the_page(client, query) == expected
    assert _found_by_the_api(api, query) == expected


def test_the_api_lists_through_the_directorys_filter() -> None:
    assert ProviderViewSet.filterset_class is ProviderFilter


def test_it_offers_any_yes_or_no_for_medicaid_on_the_page(client: WebClient, alice: User) -> None:
    client.force_login(alice)
    page = client.get(reverse("referrals:provider_list")).content.decode()
    for option in (
        '<option value="" selected>Any</option>',
        '<option value="true">Yes</option>',
        '<option value="false">No</option>',
    ):
        assert option in page
