"""/api/v1/consents/: releases of information, recorded once signed (42 CFR 2.31 for
substance-use records), scoped like the client, revoked but never erased."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from clients.models import AccessLog, Client, Enrollment
from referrals.models import Consent, Provider, ServiceType
from tests import factories
from tests.helpers import days_ago, listed_ids, today

pytestmark = pytest.mark.django_db

CONSENTS_URL = reverse("consent-list")


def consent_url(consent: Consent) -> str:
    return reverse("consent-detail", args=[consent.pk])


def revoke_url(consent: Consent) -> str:
    return reverse("consent-revoke", args=[consent.pk])


@pytest.fixture
def provider(db: None) -> Provider:
    return factories.ProviderFactory(name="Harbor Recovery")


@pytest.fixture
def consent(client_record: Client, provider: Provider) -> Consent:
    """alice's client's release to the provider, signed a month ago."""
    return factories.ConsentFactory(
        client=client_record, recipient_provider=provider, signed_on=days_ago(30)
    )


@pytest.fixture
def other_consent(other_enrollment: Enrollment, provider: Provider) -> Consent:
    return factories.ConsentFactory(client=other_enrollment.client, recipient_provider=provider)


def part2_body(*, client: Client, provider: Provider, **overrides: object) -> dict[str, object]:
    """A release of substance-use treatment records with every 42 CFR 2.31 element."""
    return {
        "client": client.pk,
        "discloser": "Casework agency",
        "recipient_provider": provider.pk,
        "categories": ["identifying", "substance_use"],
        "purpose": "Referral for intensive outpatient treatment.",
        "expires_on": (today() + dt.timedelta(days=180)).isoformat(),
        "signer": Consent.Signer.CLIENT,
        "signer_name": f"{client.first_name} {client.last_name}",
        "signed_on": today().isoformat(),
        "right_to_revoke_explained": True,
        **overrides,
    }


# --- List and retrieve ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["alice", "bob", "sam"])
def test_it_lists_the_consents_of_the_own_team(
    api: APIClient,
    request: pytest.FixtureRequest,
    role: str,
    consent: Consent,
    other_consent: Consent,
) -> None:
    api.force_login(request.getfixturevalue(role))
    response = api.get(CONSENTS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {consent.pk}


def test_it_hides_another_teams_consents(
    api: APIClient, charlie: User, consent: Consent, other_consent: Consent
) -> None:
    api.force_login(charlie)
    response = api.get(CONSENTS_URL)
    assert listed_ids(response) == {other_consent.pk}


@pytest.mark.parametrize("role", ["ada", "quinn"])
def test_it_lists_every_consent_agency_wide(
    api: APIClient,
    request: pytest.FixtureRequest,
    role: str,
    consent: Consent,
    other_consent: Consent,
) -> None:
    api.force_login(request.getfixturevalue(role))
    response = api.get(CONSENTS_URL)
    assert listed_ids(response) == {consent.pk, other_consent.pk}


def test_it_filters_consents_by_client(
    api: APIClient, alice: User, consent: Consent, provider: Provider
) -> None:
    elsewhere = factories.EnrollmentFactory(case_manager=alice).client
    theirs = factories.ConsentFactory(client=elsewhere, recipient_provider=provider)
    api.force_login(alice)
    response = api.get(CONSENTS_URL, {"client": elsewhere.pk})
    assert listed_ids(response) == {theirs.pk}


def test_it_filters_the_consents_in_force(
    api: APIClient, alice: User, client_record: Client, consent: Consent, provider: Provider
) -> None:
    factories.ConsentFactory(
        client=client_record,
        recipient_provider=provider,
        signed_on=days_ago(60),
        revoked_on=days_ago(1),
    )
    factories.ConsentFactory(
        client=client_record,
        recipient_provider=provider,
        signed_on=days_ago(60),
        expires_on=days_ago(1),
    )
    api.force_login(alice)
    response = api.get(CONSENTS_URL, {"active": "true"})
    assert listed_ids(response) == {consent.pk}


def test_it_counts_a_consent_in_force_on_its_expiry_date(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    last_day = factories.ConsentFactory(
        client=client_record,
        recipient_provider=provider,
        signed_on=days_ago(60),
        expires_on=today(),
    )
    api.force_login(alice)
    response = api.get(CONSENTS_URL, {"active": "true"})
    assert listed_ids(response) == {last_day.pk}


def test_it_filters_the_consents_no_longer_in_force(
    api: APIClient, alice: User, client_record: Client, consent: Consent, provider: Provider
) -> None:
    revoked = factories.ConsentFactory(
        client=client_record,
        recipient_provider=provider,
        signed_on=days_ago(60),
        revoked_on=today(),
    )
    api.force_login(alice)
    response = api.get(CONSENTS_URL, {"active": "false"})
    assert listed_ids(response) == {revoked.pk}


def test_it_retrieves_a_consent(api: APIClient, bob: User, consent: Consent) -> None:
    api.force_login(bob)
    response = api.get(consent_url(consent))
    assert response.status_code == 200
    body = response.json()
    assert (body["recipient_provider_name"], body["categories"], body["status"]) == (
        "Harbor Recovery",
        ["identifying", "service_plan"],
        "active",
    )


def test_it_logs_a_denied_row_for_another_teams_consent(
    api: APIClient, charlie: User, consent: Consent
) -> None:
    api.force_login(charlie)
    api.get(consent_url(consent))
    assert AccessLog.objects.filter(
        user=charlie,
        client=consent.client,
        action=AccessLog.Action.DENIED,
        path=consent_url(consent),
    ).exists()


def test_it_does_not_delete_a_consent(api: APIClient, alice: User, consent: Consent) -> None:
    api.force_login(alice)
    response = api.delete(consent_url(consent))
    assert response.status_code == 405
    assert Consent.objects.filter(pk=consent.pk).exists()


# --- Record -----------------------------------------------------------------------------------


def test_it_records_a_part2_consent_with_every_element(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL, part2_body(client=client_record, provider=provider), format="json"
    )
    assert response.status_code == 201
    consent = Consent.objects.get(pk=response.json()["id"])
    assert (consent.client, consent.created_by, consent.categories) == (
        client_record,
        alice,
        ["identifying", "substance_use"],
    )


def test_it_stores_the_signed_copy_behind_its_download_link(
    api: APIClient,
    alice: User,
    client_record: Client,
    provider: Provider,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    body = part2_body(client=client_record, provider=provider)
    body["signed_copy"] = SimpleUploadedFile("release.pdf", b"%PDF-1.4", "application/pdf")
    api.force_login(alice)
    response = api.post(CONSENTS_URL, body, format="multipart")
    assert response.status_code == 201
    consent = Consent.objects.get()
    assert consent.signed_copy
    assert response.json()["signed_copy"] == reverse(
        "referrals:consent_signed_copy", args=[consent.pk]
    )


def test_it_records_a_consent_to_a_class_of_recipient(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(
            client=client_record,
            provider=provider,
            recipient_provider=None,
            recipient_class=ServiceType.HOUSING,
            categories=["identifying"],
        ),
        format="json",
    )
    assert response.status_code == 201
    assert Consent.objects.get().recipient_class == ServiceType.HOUSING


def test_it_refuses_a_consent_naming_both_a_provider_and_a_class(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    """42 CFR 2.31: a named provider or a class of recipient, not both; the service's refusal
    answers 400 naming the field, and nothing is recorded."""
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=client_record, provider=provider, recipient_class=ServiceType.HOUSING),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "recipient_class": ["Name either a provider or a class of recipient, not both."]
    }
    assert not Consent.objects.exists()


def test_it_lets_a_supervisor_record_a_consent(
    api: APIClient, sam: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(sam)
    response = api.post(
        CONSENTS_URL, part2_body(client=client_record, provider=provider), format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("overrides", "element"),
    [
        pytest.param({"right_to_revoke_explained": False}, "right to revoke", id="revocability"),
        pytest.param({"expires_on": None, "expiry_event": ""}, "expiry", id="expiry"),
    ],
)
def test_it_refuses_a_part2_consent_missing_an_element(
    api: APIClient,
    alice: User,
    client_record: Client,
    provider: Provider,
    overrides: dict[str, object],
    element: str,
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=client_record, provider=provider, **overrides),
        format="json",
    )
    assert response.status_code == 400
    assert element in str(response.json())
    assert not Consent.objects.exists()


@pytest.mark.parametrize("field", ["discloser", "purpose", "signer_name"])
def test_it_refuses_a_consent_with_a_blank_element(
    api: APIClient, alice: User, client_record: Client, provider: Provider, field: str
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=client_record, provider=provider, **{field: "   "}),
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Consent.objects.exists()


def test_it_names_the_missing_part2_element_on_categories(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=client_record, provider=provider, right_to_revoke_explained=False),
        format="json",
    )
    [message] = response.json()["categories"]
    assert "42 CFR 2.31" in message
    assert "right to revoke" in message


def test_it_records_a_consent_without_part2_records_on_an_expiry_event(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(
            client=client_record,
            provider=provider,
            categories=["identifying", "service_plan"],
            expires_on=None,
            expiry_event="Discharge from the program",
        ),
        format="json",
    )
    assert response.status_code == 201


def test_it_rejects_an_expiry_before_the_signature(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(
            client=client_record,
            provider=provider,
            signed_on=days_ago(10).isoformat(),
            expires_on=days_ago(11).isoformat(),
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "expires_on" in response.json()
    assert not Consent.objects.exists()


def test_it_rejects_a_signature_in_the_future(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    tomorrow = today() + dt.timedelta(days=1)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=client_record, provider=provider, signed_on=tomorrow.isoformat()),
        format="json",
    )
    assert response.status_code == 400
    assert "signed_on" in response.json()
    assert not Consent.objects.exists()


def test_it_rejects_a_consent_naming_no_recipient(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=client_record, provider=provider, recipient_provider=None),
        format="json",
    )
    assert response.status_code == 400
    assert "recipient_provider" in response.json()
    assert not Consent.objects.exists()


def test_it_rejects_a_consent_to_disclose_nothing(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=client_record, provider=provider, categories=[]),
        format="json",
    )
    assert response.status_code == 400
    assert "categories" in response.json()
    assert not Consent.objects.exists()


def test_it_rejects_an_unknown_category(
    api: APIClient, alice: User, client_record: Client, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=client_record, provider=provider, categories=["horoscope"]),
        format="json",
    )
    assert response.status_code == 400
    assert "categories" in response.json()
    assert not Consent.objects.exists()


def test_it_rejects_a_consent_for_another_teams_client(
    api: APIClient, alice: User, other_enrollment: Enrollment, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        CONSENTS_URL,
        part2_body(client=other_enrollment.client, provider=provider),
        format="json",
    )
    assert response.status_code == 400
    assert "client" in response.json()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("role", ["bob", "ada", "quinn"])
def test_it_forbids_recording_a_consent_off_the_caseload(
    api: APIClient,
    request: pytest.FixtureRequest,
    role: str,
    client_record: Client,
    provider: Provider,
) -> None:
    api.force_login(request.getfixturevalue(role))
    response = api.post(
        CONSENTS_URL, part2_body(client=client_record, provider=provider), format="json"
    )
    assert response.status_code == 403
    assert not Consent.objects.exists()


# --- Revoke -----------------------------------------------------------------------------------


def test_it_revokes_a_consent_from_a_date(api: APIClient, alice: User, consent: Consent) -> None:
    api.force_login(alice)
    response = api.post(
        revoke_url(consent),
        {"revoked_on": today().isoformat(), "note": "Client withdrew by phone."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    consent.refresh_from_db()
    assert (consent.revoked_on, consent.revocation_note) == (today(), "Client withdrew by phone.")


def test_it_rejects_a_revocation_before_signing(
    api: APIClient, alice: User, consent: Consent
) -> None:
    api.force_login(alice)
    before = consent.signed_on - dt.timedelta(days=1)
    response = api.post(revoke_url(consent), {"revoked_on": before.isoformat()}, format="json")
    assert response.status_code == 400
    assert "revoked_on" in response.json()
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_it_rejects_a_revocation_in_the_future(
    api: APIClient, alice: User, consent: Consent
) -> None:
    api.force_login(alice)
    tomorrow = today() + dt.timedelta(days=1)
    response = api.post(revoke_url(consent), {"revoked_on": tomorrow.isoformat()}, format="json")
    assert response.status_code == 400
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_it_rejects_revoking_twice(api: APIClient, alice: User, consent: Consent) -> None:
    Consent.objects.filter(pk=consent.pk).update(revoked_on=days_ago(5))
    api.force_login(alice)
    response = api.post(revoke_url(consent), {"revoked_on": today().isoformat()}, format="json")
    assert response.status_code == 400
    consent.refresh_from_db()
    assert consent.revoked_on == days_ago(5)


def test_it_requires_the_revocation_date(api: APIClient, alice: User, consent: Consent) -> None:
    api.force_login(alice)
    response = api.post(revoke_url(consent), {}, format="json")
    assert response.status_code == 400
    assert "revoked_on" in response.json()


def test_it_forbids_a_teammate_revoking_a_consent(
    api: APIClient, bob: User, consent: Consent
) -> None:
    api.force_login(bob)
    response = api.post(revoke_url(consent), {"revoked_on": today().isoformat()}, format="json")
    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_it_answers_404_to_revoking_another_teams_consent(
    api: APIClient, charlie: User, consent: Consent
) -> None:
    api.force_login(charlie)
    response = api.post(revoke_url(consent), {"revoked_on": today().isoformat()}, format="json")
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_on is None
