"""/api/v1/agreements/: interagency agreements with the directory's providers, read by
everyone and recorded by administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from referrals.models import InteragencyAgreement, Provider
from tests import factories
from tests.helpers import listed_ids, today

pytestmark = pytest.mark.django_db

AGREEMENTS_URL = reverse("agreement-list")


def agreement_url(agreement: InteragencyAgreement) -> str:
    return reverse("agreement-detail", args=[agreement.pk])


def agreement(provider: Provider, **fields: Any) -> InteragencyAgreement:
    values = {"kind": InteragencyAgreement.Kind.MOU, "starts_on": today() - dt.timedelta(days=400)}
    return InteragencyAgreement.objects.create(provider=provider, **{**values, **fields})


@pytest.fixture
def provider(db: None) -> Provider:
    return factories.ProviderFactory(name="Harbor Recovery")


@pytest.mark.parametrize("role", ["alice", "charlie", "quinn"])
def test_it_lists_agreements_to_everyone(
    api: APIClient, request: pytest.FixtureRequest, role: str, provider: Provider
) -> None:
    mou = agreement(provider)
    api.force_login(request.getfixturevalue(role))
    response = api.get(AGREEMENTS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {mou.pk}


def test_it_filters_agreements_by_provider(api: APIClient, alice: User, provider: Provider) -> None:
    agreement(factories.ProviderFactory())
    mou = agreement(provider)
    api.force_login(alice)
    response = api.get(AGREEMENTS_URL, {"provider": provider.pk})
    assert listed_ids(response) == {mou.pk}


def test_it_retrieves_an_agreement_with_its_expiry(
    api: APIClient, alice: User, provider: Provider
) -> None:
    contract = agreement(
        provider,
        kind=InteragencyAgreement.Kind.CONTRACT,
        ends_on=today() - dt.timedelta(days=30),
    )
    api.force_login(alice)
    response = api.get(agreement_url(contract))
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["provider_name"], body["expired"]) == (
        "contract",
        provider.name,
        True,
    )


def test_it_lets_an_administrator_record_an_agreement(
    api: APIClient, ada: User, provider: Provider
) -> None:
    api.force_login(ada)
    response = api.post(
        AGREEMENTS_URL,
        {
            "provider": provider.pk,
            "kind": InteragencyAgreement.Kind.MOU,
            "starts_on": today().isoformat(),
            "note": "Shared intake slots.",
        },
        format="json",
    )
    assert response.status_code == 201
    assert provider.agreements.get().note == "Shared intake slots."


def test_it_rejects_an_agreement_ending_before_it_starts(
    api: APIClient, ada: User, provider: Provider
) -> None:
    api.force_login(ada)
    response = api.post(
        AGREEMENTS_URL,
        {
            "provider": provider.pk,
            "kind": InteragencyAgreement.Kind.MOU,
            "starts_on": today().isoformat(),
            "ends_on": (today() - dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()
    assert not InteragencyAgreement.objects.exists()


def test_it_lets_an_administrator_end_an_agreement(
    api: APIClient, ada: User, provider: Provider
) -> None:
    mou = agreement(provider)
    api.force_login(ada)
    response = api.patch(agreement_url(mou), {"ends_on": today().isoformat()}, format="json")
    assert response.status_code == 200
    mou.refresh_from_db()
    assert mou.ends_on == today()


def test_it_rejects_moving_an_agreements_start_past_its_end(
    api: APIClient, ada: User, provider: Provider
) -> None:
    mou = agreement(provider, ends_on=today())
    api.force_login(ada)
    later = today() + dt.timedelta(days=1)
    response = api.patch(agreement_url(mou), {"starts_on": later.isoformat()}, format="json")
    assert response.status_code == 400
    assert "ends_on" in response.json()
    mou.refresh_from_db()
    assert mou.starts_on < later


def test_it_stores_an_agreements_document_behind_its_download_link(
    api: APIClient, ada: User, provider: Provider, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    api.force_login(ada)
    response = api.post(
        AGREEMENTS_URL,
        {
            "provider": provider.pk,
            "kind": InteragencyAgreement.Kind.CONTRACT,
            "starts_on": today().isoformat(),
            "document": SimpleUploadedFile("mou.pdf", b"%PDF-1.4", "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201
    stored = InteragencyAgreement.objects.get()
    assert stored.document
    assert response.json()["document"] == reverse("referrals:agreement_document", args=[stored.pk])


def test_it_keeps_an_agreement_with_its_provider(
    api: APIClient, ada: User, provider: Provider
) -> None:
    mou = agreement(provider)
    api.force_login(ada)
    response = api.patch(
        agreement_url(mou), {"provider": factories.ProviderFactory().pk}, format="json"
    )
    assert response.status_code == 400
    assert "provider" in response.json()
    mou.refresh_from_db()
    assert mou.provider == provider


def test_it_forbids_a_case_manager_recording_an_agreement(
    api: APIClient, alice: User, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        AGREEMENTS_URL,
        {"provider": provider.pk, "kind": "mou", "starts_on": today().isoformat()},
        format="json",
    )
    assert response.status_code == 403
    assert not InteragencyAgreement.objects.exists()


def test_it_does_not_delete_an_agreement(api: APIClient, ada: User, provider: Provider) -> None:
    mou = agreement(provider)
    api.force_login(ada)
    response = api.delete(agreement_url(mou))
    assert response.status_code == 405
    assert InteragencyAgreement.objects.filter(pk=mou.pk).exists()
