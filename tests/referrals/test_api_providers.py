"""/api/v1/providers/: the directory everyone reads and administrators maintain, with each
provider's interagency agreements. The filters' agreement with the directory page is in
test_provider_filter.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from referrals.models import InteragencyAgreement, Provider, ProviderService, ServiceType
from tests import factories
from tests.helpers import assert_list_queries_constant, listed_ids, today

pytestmark = pytest.mark.django_db

PROVIDERS_URL = reverse("provider-list")


def provider_url(provider: Provider) -> str:
    return reverse("provider-detail", args=[provider.pk])


def agreement(provider: Provider, **fields: Any) -> InteragencyAgreement:
    values = {"kind": InteragencyAgreement.Kind.MOU, "starts_on": today() - dt.timedelta(days=400)}
    return InteragencyAgreement.objects.create(provider=provider, **{**values, **fields})


def provider_body(**overrides: object) -> dict[str, object]:
    return {
        "name": "Casa Esperanza",
        "address": "12 Harbor Street",
        "phone": "555-0101",
        "languages": ["English", "Spanish"],
        "accepts_medicaid": True,
        "waitlist_weeks": 1,
        "waitlist_checked_on": today().isoformat(),
        "services": [{"name": "Outpatient", "service_type": ServiceType.SUBSTANCE_USE}],
        **overrides,
    }


@pytest.fixture
def provider(db: None) -> Provider:
    return factories.ProviderFactory(name="Harbor Recovery")


# --- The directory: list ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["alice", "sam", "charlie", "ada", "quinn"])
def test_it_lists_the_directory_to_everyone(
    api: APIClient, request: pytest.FixtureRequest, role: str, provider: Provider
) -> None:
    api.force_login(request.getfixturevalue(role))
    response = api.get(PROVIDERS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {provider.pk}


def test_it_lists_a_providers_services(api: APIClient, alice: User, provider: Provider) -> None:
    api.force_login(alice)
    response = api.get(PROVIDERS_URL)
    [row] = response.json()["results"]
    assert [s["service_type"] for s in row["services"]] == [ServiceType.SUBSTANCE_USE]


def test_it_leaves_inactive_providers_out(api: APIClient, alice: User, provider: Provider) -> None:
    factories.ProviderFactory(is_active=False)
    api.force_login(alice)
    response = api.get(PROVIDERS_URL)
    assert listed_ids(response) == {provider.pk}


def test_it_lists_only_inactive_providers_when_asked(
    api: APIClient, alice: User, provider: Provider
) -> None:
    closed = factories.ProviderFactory(is_active=False)
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"is_active": "false"})
    assert listed_ids(response) == {closed.pk}


def test_it_lists_every_provider_with_is_active_all(
    api: APIClient, alice: User, provider: Provider
) -> None:
    closed = factories.ProviderFactory(is_active=False)
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"is_active": "all"})
    assert listed_ids(response) == {provider.pk, closed.pk}


def test_it_filters_providers_by_service_type(
    api: APIClient, alice: User, provider: Provider
) -> None:
    housing = factories.ProviderFactory(service_type=ServiceType.HOUSING)
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"service_type": ServiceType.HOUSING})
    assert listed_ids(response) == {housing.pk}


def test_it_lists_a_provider_once_whatever_its_services(
    api: APIClient, alice: User, provider: Provider
) -> None:
    ProviderService.objects.create(
        provider=provider, name="Detox", service_type=ServiceType.SUBSTANCE_USE
    )
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"service_type": ServiceType.SUBSTANCE_USE})
    assert response.json()["count"] == 1


def test_it_filters_providers_by_language_in_any_case(
    api: APIClient, alice: User, provider: Provider
) -> None:
    spanish = factories.ProviderFactory(languages=["English", "Spanish"])
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"language": "spanish"})
    assert listed_ids(response) == {spanish.pk}


def test_it_does_not_match_part_of_a_language(
    api: APIClient, alice: User, provider: Provider
) -> None:
    factories.ProviderFactory(languages=["Spanish"])
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"language": "span"})
    assert listed_ids(response) == set()


def test_it_filters_providers_by_medicaid(api: APIClient, alice: User, provider: Provider) -> None:
    private = factories.ProviderFactory(accepts_medicaid=False)
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"accepts_medicaid": "false"})
    assert listed_ids(response) == {private.pk}


def test_it_filters_providers_by_the_longest_waitlist(
    api: APIClient, alice: User, provider: Provider
) -> None:
    factories.ProviderFactory(waitlist_weeks=8)
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"max_waitlist_weeks": 4})
    assert listed_ids(response) == {provider.pk}


def test_it_searches_providers_by_name(api: APIClient, alice: User, provider: Provider) -> None:
    factories.ProviderFactory(name="Northside Housing")
    api.force_login(alice)
    response = api.get(PROVIDERS_URL, {"search": "harbor"})
    assert listed_ids(response) == {provider.pk}


def test_it_lists_providers_in_a_constant_number_of_queries(api: APIClient, alice: User) -> None:
    api.force_login(alice)

    def record(count: int) -> None:
        for _ in range(count):
            provider = factories.ProviderFactory()
            ProviderService.objects.create(
                provider=provider, name="Housing", service_type=ServiceType.HOUSING
            )

    assert_list_queries_constant(api, PROVIDERS_URL, record)


# --- The directory: retrieve ------------------------------------------------------------------


def test_it_retrieves_a_provider_with_its_services(
    api: APIClient, charlie: User, provider: Provider
) -> None:
    api.force_login(charlie)
    response = api.get(provider_url(provider))
    assert response.status_code == 200
    assert [s["service_type"] for s in response.json()["services"]] == [ServiceType.SUBSTANCE_USE]


def test_it_retrieves_a_provider_with_its_agreements(
    api: APIClient, alice: User, provider: Provider
) -> None:
    mou = agreement(provider)
    api.force_login(alice)
    response = api.get(provider_url(provider))
    assert [row["id"] for row in response.json()["agreements"]] == [mou.pk]


def test_it_marks_an_expired_agreement(api: APIClient, alice: User, provider: Provider) -> None:
    agreement(provider, ends_on=today() - dt.timedelta(days=1))
    api.force_login(alice)
    response = api.get(provider_url(provider))
    [row] = response.json()["agreements"]
    assert row["expired"] is True


def test_it_does_not_mark_an_agreement_ending_today_expired(
    api: APIClient, alice: User, provider: Provider
) -> None:
    agreement(provider, ends_on=today())
    api.force_login(alice)
    response = api.get(provider_url(provider))
    [row] = response.json()["agreements"]
    assert row["expired"] is False


def test_it_retrieves_an_inactive_provider(api: APIClient, alice: User) -> None:
    closed = factories.ProviderFactory(is_active=False)
    api.force_login(alice)
    response = api.get(provider_url(closed))
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_it_answers_404_for_an_unknown_provider(api: APIClient, alice: User) -> None:
    api.force_login(alice)
    response = api.get(reverse("provider-detail", args=[999999]))
    assert response.status_code == 404


def test_it_does_not_delete_a_provider(api: APIClient, ada: User, provider: Provider) -> None:
    api.force_login(ada)
    response = api.delete(provider_url(provider))
    assert response.status_code == 405
    assert Provider.objects.filter(pk=provider.pk).exists()


# --- The directory: maintained by administrators ----------------------------------------------


def test_it_lets_an_administrator_add_a_provider(api: APIClient, ada: User) -> None:
    api.force_login(ada)
    response = api.post(PROVIDERS_URL, provider_body(), format="json")
    assert response.status_code == 201
    provider = Provider.objects.get(pk=response.json()["id"])
    assert provider.languages == ["English", "Spanish"]
    assert list(provider.services.values_list("name", "service_type")) == [
        ("Outpatient", ServiceType.SUBSTANCE_USE)
    ]


def test_it_names_an_unnamed_service_after_its_type(api: APIClient, ada: User) -> None:
    api.force_login(ada)
    response = api.post(
        PROVIDERS_URL,
        provider_body(services=[{"service_type": ServiceType.HOUSING}]),
        format="json",
    )
    assert [s["name"] for s in response.json()["services"]] == ["Housing"]


@pytest.mark.parametrize(
    "services",
    [
        pytest.param([], id="no services"),
        pytest.param([{"name": "Outpatient"}], id="a service without a type"),
        pytest.param([{"name": "Outpatient", "service_type": ""}], id="a blank type"),
        pytest.param([{"name": "Outpatient", "service_type": "astrology"}], id="unknown type"),
    ],
)
def test_it_rejects_a_provider_without_a_service_type(
    api: APIClient, ada: User, services: list[dict[str, str]]
) -> None:
    api.force_login(ada)
    response = api.post(PROVIDERS_URL, provider_body(services=services), format="json")
    assert response.status_code == 400
    assert "services" in response.json()
    assert not Provider.objects.exists()


def test_it_rejects_a_provider_with_no_services_given(api: APIClient, ada: User) -> None:
    body = provider_body()
    del body["services"]
    api.force_login(ada)
    response = api.post(PROVIDERS_URL, body, format="json")
    assert response.status_code == 400
    assert "services" in response.json()
    assert not Provider.objects.exists()


def test_it_rejects_a_waitlist_checked_in_the_future(api: APIClient, ada: User) -> None:
    api.force_login(ada)
    tomorrow = today() + dt.timedelta(days=1)
    response = api.post(
        PROVIDERS_URL, provider_body(waitlist_checked_on=tomorrow.isoformat()), format="json"
    )
    assert response.status_code == 400
    assert "waitlist_checked_on" in response.json()
    assert not Provider.objects.exists()


def test_it_rejects_a_second_provider_of_the_same_name(
    api: APIClient, ada: User, provider: Provider
) -> None:
    api.force_login(ada)
    response = api.post(PROVIDERS_URL, provider_body(name=provider.name), format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert Provider.objects.count() == 1


@pytest.mark.parametrize("role", ["alice", "sam", "quinn"])
def test_it_forbids_anyone_else_adding_a_provider(
    api: APIClient, request: pytest.FixtureRequest, role: str
) -> None:
    api.force_login(request.getfixturevalue(role))
    response = api.post(PROVIDERS_URL, provider_body(), format="json")
    assert response.status_code == 403
    assert not Provider.objects.exists()


def test_it_lets_an_administrator_update_a_waitlist(
    api: APIClient, ada: User, provider: Provider
) -> None:
    api.force_login(ada)
    response = api.patch(
        provider_url(provider),
        {"waitlist_weeks": 6, "waitlist_checked_on": today().isoformat()},
        format="json",
    )
    assert response.status_code == 200
    provider.refresh_from_db()
    assert (provider.waitlist_weeks, provider.waitlist_checked_on) == (6, today())
    assert provider.services.count() == 1


def test_it_lets_an_administrator_deactivate_a_provider(
    api: APIClient, ada: User, provider: Provider
) -> None:
    api.force_login(ada)
    response = api.patch(provider_url(provider), {"is_active": False}, format="json")
    assert response.json()["is_active"] is False
    provider.refresh_from_db()
    assert not provider.is_active


def test_it_adds_a_service_to_a_provider(api: APIClient, ada: User, provider: Provider) -> None:
    api.force_login(ada)
    response = api.patch(
        provider_url(provider),
        {"services": [{"name": "Co-occurring clinic", "service_type": ServiceType.CO_OCCURRING}]},
        format="json",
    )
    assert response.status_code == 200
    assert sorted(provider.services.values_list("service_type", flat=True)) == [
        ServiceType.CO_OCCURRING,
        ServiceType.SUBSTANCE_USE,
    ]


def test_it_rejects_a_change_leaving_no_service_type(
    api: APIClient, ada: User, provider: Provider
) -> None:
    api.force_login(ada)
    response = api.patch(
        provider_url(provider), {"services": [], "waitlist_weeks": 9}, format="json"
    )
    assert response.status_code == 400
    assert "services" in response.json()
    provider.refresh_from_db()
    assert provider.waitlist_weeks == 2


def test_it_forbids_a_case_manager_changing_a_provider(
    api: APIClient, alice: User, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.patch(provider_url(provider), {"waitlist_weeks": 0}, format="json")
    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.waitlist_weeks == 2
