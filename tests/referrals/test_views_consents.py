"""The release-of-information pages: recording a consent (with its signed copy), the consent
page, revoking, the signed-copy download, the expiring-soon list, and the consents and
accounting-of-disclosures cards of the client page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import AccessLog
from referrals.models import Consent, Disclosure
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def provider():
    return factories.ProviderFactory(name="Riverside Recovery")


@pytest.fixture
def consent(client_record, provider):
    """alice's client's release to Riverside Recovery, signed a month ago."""
    return factories.ConsentFactory(
        client=client_record,
        recipient_provider=provider,
        signed_on=timezone.localdate() - dt.timedelta(days=30),
    )


def _create_url(client_record) -> str:
    return reverse("referrals:consent_create", args=[client_record.pk])


def _detail_url(consent) -> str:
    return reverse("referrals:consent_detail", args=[consent.pk])


def _revoke_url(consent) -> str:
    return reverse("referrals:consent_revoke", args=[consent.pk])


def _post(provider, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "discloser": "Adult Outpatient Program",
        "recipient_provider": provider.pk if provider else "",
        "recipient_class": "",
        "categories": ["identifying", "service_plan"],
        "purpose": "Referral for outpatient treatment.",
        "expires_on": (today + dt.timedelta(days=180)).isoformat(),
        "expiry_event": "",
        "signer": "client",
        "signer_name": "Dana Reyes",
        "signed_on": today.isoformat(),
        "right_to_revoke_explained": "on",
    }
    return {**data, **overrides}


def _form_errors(response) -> str:
    return str(response.context["form"].errors)


# --- Recording --------------------------------------------------------------------------------


def test_it_offers_the_form_with_the_program_as_discloser(client, alice, client_record):
    client.force_login(alice)
    response = client.get(_create_url(client_record))
    assert response.status_code == 200
    form = response.context["form"]
    enrollment = client_record.enrollments.get()
    assert form.initial["discloser"] == enrollment.program.name
    assert form.initial["signer_name"] == f"{client_record.first_name} {client_record.last_name}"


def test_it_preselects_the_recipient_and_categories_a_referral_asks_for(
    client, alice, client_record, provider
):
    client.force_login(alice)
    response = client.get(
        _create_url(client_record),
        {"provider": provider.pk, "categories": ["identifying", "substance_use", "bogus"]},
    )
    initial = response.context["form"].initial
    assert initial["recipient_provider"] == provider.pk
    assert initial["categories"] == ["identifying", "substance_use"]


def test_it_records_a_consent_with_its_signed_copy(client, alice, client_record, provider):
    client.force_login(alice)
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(_create_url(client_record), _post(provider, signed_copy=scan))
    consent = Consent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail_url(consent)
    assert (consent.client, consent.recipient_provider, consent.created_by) == (
        client_record,
        provider,
        alice,
    )
    assert consent.right_to_revoke_explained
    assert consent.signed_copy.read() == b"%PDF-1.4 signed"


def test_it_records_a_consent_to_a_class_of_recipient(client, alice, client_record):
    client.force_login(alice)
    response = client.post(_create_url(client_record), _post(None, recipient_class="housing"))
    assert response.status_code == 302
    assert Consent.objects.get().recipient_class == "housing"


def test_it_returns_to_the_page_that_sent_the_user(client, alice, client_record, provider):
    client.force_login(alice)
    back = reverse("workspace:client", args=[client_record.pk])
    response = client.post(_create_url(client_record), _post(provider, next=back))
    assert response["Location"] == back


def test_it_does_not_return_to_another_site(client, alice, client_record, provider):
    client.force_login(alice)
    response = client.post(
        _create_url(client_record), _post(provider, next="https://evil.example/")
    )
    assert response["Location"] == _detail_url(Consent.objects.get())


def test_it_refuses_an_expiry_before_the_signature(client, alice, client_record, provider):
    client.force_login(alice)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(_create_url(client_record), _post(provider, expires_on=yesterday))
    assert response.status_code == 400
    assert "cannot expire before it was signed" in _form_errors(response)
    assert "cannot expire before it was signed" in response.content.decode()
    assert not Consent.objects.exists()


def test_it_refuses_a_part2_consent_without_the_right_to_revoke(
    client, alice, client_record, provider
):
    client.force_login(alice)
    data = _post(provider, categories=["substance_use"])
    del data["right_to_revoke_explained"]
    response = client.post(_create_url(client_record), data)
    assert response.status_code == 400
    errors = _form_errors(response)
    assert "42 CFR 2.31" in errors
    assert "that the client was told of the right to revoke" in errors
    assert not Consent.objects.exists()


def test_it_refuses_a_part2_consent_without_an_expiry(client, alice, client_record, provider):
    client.force_login(alice)
    data = _post(provider, categories=["substance_use"], expires_on="", expiry_event="")
    response = client.post(_create_url(client_record), data)
    assert response.status_code == 400
    assert "an expiry date or event" in _form_errors(response)
    assert not Consent.objects.exists()


def test_it_refuses_a_consent_without_a_recipient(client, alice, client_record):
    client.force_login(alice)
    response = client.post(_create_url(client_record), _post(None))
    assert response.status_code == 400
    assert "Name the provider, or a class of recipient." in _form_errors(response)
    assert not Consent.objects.exists()


def test_it_refuses_both_a_provider_and_a_class(client, alice, client_record, provider):
    """42 CFR 2.31: one recipient, named or by class; the service's refusal shows beside the
    class field."""
    client.force_login(alice)
    response = client.post(_create_url(client_record), _post(provider, recipient_class="legal"))
    assert response.status_code == 400
    assert response.context["form"].errors["recipient_class"] == [
        "Name either a provider or a class of recipient, not both."
    ]
    assert not Consent.objects.exists()


def test_it_refuses_a_signed_copy_that_is_not_a_document(client, alice, client_record, provider):
    client.force_login(alice)
    script = SimpleUploadedFile("scan.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(_create_url(client_record), _post(provider, signed_copy=script))
    assert response.status_code == 400
    assert "signed_copy" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_it_answers_404_to_another_team_and_logs_it(client, charlie, client_record, provider):
    client.force_login(charlie)
    response = client.post(_create_url(client_record), _post(provider))
    assert response.status_code == 404
    assert not Consent.objects.exists()
    assert AccessLog.objects.get().action == AccessLog.Action.DENIED


def test_it_answers_403_to_a_teammate(client, bob, client_record, provider):
    client.force_login(bob)
    response = client.post(_create_url(client_record), _post(provider))
    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_it_answers_403_to_an_administrator(client, ada, client_record, provider):
    client.force_login(ada)
    assert client.post(_create_url(client_record), _post(provider)).status_code == 403
    assert not Consent.objects.exists()


# --- The consent page -------------------------------------------------------------------------


def test_it_shows_every_element_and_the_status(client, bob, consent):
    client.force_login(bob)
    response = client.get(_detail_url(consent))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Casework agency",
        "Riverside Recovery",
        "Identifying and contact details",
        "Service plan goals",
        "Referral for treatment and coordination of care.",
        f"{consent.expires_on:%Y-%m-%d}",
        consent.signer_name,
        f"{consent.signed_on:%Y-%m-%d}",
    ):
        assert text in page
    assert response.context["consent_status"].code == "active"


def test_it_logs_the_view_of_the_client_record(client, bob, consent):
    client.force_login(bob)
    client.get(_detail_url(consent))
    row = AccessLog.objects.get()
    assert (row.user, row.client, row.action) == (bob, consent.client, AccessLog.Action.VIEWED)


def test_it_shows_a_consent_expiring_soon(client, alice, client_record, provider):
    soon = factories.ConsentFactory(
        client=client_record,
        recipient_provider=provider,
        expires_on=timezone.localdate() + dt.timedelta(days=12),
    )
    client.force_login(alice)
    response = client.get(_detail_url(soon))
    assert response.context["consent_status"].code == "expiring_soon"
    assert "Expires in 12 days" in response.content.decode()


def test_it_shows_the_part2_redisclosure_notice(client, alice, client_record, provider):
    part2 = factories.ConsentFactory(
        client=client_record, recipient_provider=provider, categories=["substance_use"]
    )
    client.force_login(alice)
    assert "42 CFR 2.32" in client.get(_detail_url(part2)).content.decode()


def test_it_lists_the_referrals_and_disclosures_under_it(client, alice, enrollment, consent):
    referral = factories.ReferralFactory(
        enrollment=enrollment, provider=consent.recipient_provider, consent=consent
    )
    Disclosure.objects.create(
        client=consent.client,
        referral=referral,
        consent=consent,
        recipient=referral.provider,
        categories=["identifying"],
        by=alice,
    )
    client.force_login(alice)
    response = client.get(_detail_url(consent))
    uses = response.context["uses"]
    assert uses.referrals == [referral]
    assert [row.disclosure.referral for row in uses.disclosures] == [referral]


def test_it_offers_the_revocation_to_writers_only(client, alice, bob, consent):
    client.force_login(alice)
    assert client.get(_detail_url(consent)).context["can_revoke"]
    client.force_login(bob)
    response = client.get(_detail_url(consent))
    assert not response.context["can_revoke"]
    assert _revoke_url(consent) not in response.content.decode()


def test_the_consent_page_answers_404_to_another_team(client, charlie, consent):
    client.force_login(charlie)
    assert client.get(_detail_url(consent)).status_code == 404
    row = AccessLog.objects.get()
    assert (row.client, row.action) == (consent.client, AccessLog.Action.DENIED)


# --- The signed copy --------------------------------------------------------------------------


@pytest.fixture
def signed(client_record, provider):
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    return factories.ConsentFactory(
        client=client_record, recipient_provider=provider, signed_copy=scan
    )


def _copy_url(consent) -> str:
    return reverse("referrals:consent_signed_copy", args=[consent.pk])


def test_a_reader_downloads_the_signed_copy(client, bob, signed):
    client.force_login(bob)
    response = client.get(_copy_url(signed))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert "attachment" in response["Content-Disposition"]
    assert AccessLog.objects.get().action == AccessLog.Action.VIEWED


def test_the_signed_copy_answers_404_to_another_team(client, charlie, signed):
    client.force_login(charlie)
    assert client.get(_copy_url(signed)).status_code == 404


def test_the_signed_copy_needs_a_login(client, signed):
    response = client.get(_copy_url(signed))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Revoking ---------------------------------------------------------------------------------


def test_it_revokes_a_consent(client, alice, consent):
    client.force_login(alice)
    today = timezone.localdate()
    response = client.post(_revoke_url(consent), {"revoked_on": today, "note": "In writing."})
    assert response.status_code == 302
    assert response["Location"] == _detail_url(consent)
    consent.refresh_from_db()
    assert (consent.revoked_on, consent.revocation_note) == (today, "In writing.")
    page = client.get(_detail_url(consent)).content.decode()
    assert f"Revoked on {today:%Y-%m-%d}" in page


def test_it_refuses_a_revocation_before_the_signature(client, alice, consent):
    client.force_login(alice)
    before = consent.signed_on - dt.timedelta(days=1)
    response = client.post(_revoke_url(consent), {"revoked_on": before})
    assert response.status_code == 400
    assert "cannot be revoked before it was signed" in response.content.decode()
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_it_sends_a_revoked_consent_back_to_its_page(client, alice, consent):
    Consent.objects.filter(pk=consent.pk).update(revoked_on=timezone.localdate())
    client.force_login(alice)
    response = client.get(_revoke_url(consent))
    assert response.status_code == 302
    assert response["Location"] == _detail_url(consent)


def test_a_teammate_may_not_revoke(client, bob, consent):
    client.force_login(bob)
    response = client.post(_revoke_url(consent), {"revoked_on": timezone.localdate()})
    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_another_team_may_not_revoke(client, charlie, consent):
    client.force_login(charlie)
    response = client.post(_revoke_url(consent), {"revoked_on": timezone.localdate()})
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_on is None


# --- Expiring soon ----------------------------------------------------------------------------


def _expiring(client_record, days: int, **kwargs: Any) -> Consent:
    today = timezone.localdate()
    return factories.ConsentFactory(
        client=client_record,
        signed_on=today - dt.timedelta(days=300),
        expires_on=today + dt.timedelta(days=days),
        **kwargs,
    )


def test_it_lists_unrevoked_consents_expiring_within_30_days(client, alice, client_record):
    later = _expiring(client_record, 30)
    today = _expiring(client_record, 0)
    _expiring(client_record, 31)
    _expiring(client_record, -1)
    _expiring(client_record, 5, revoked_on=timezone.localdate())
    client.force_login(alice)
    response = client.get(reverse("referrals:consents_expiring"))
    assert response.status_code == 200
    assert [row.consent for row in response.context["rows"]] == [today, later]
    assert "Expires today" in response.content.decode()


def test_it_lists_only_the_users_visible_clients(client, alice, charlie, client_record):
    ours = _expiring(client_record, 3)
    theirs = _expiring(factories.EnrollmentFactory(case_manager=charlie).client, 3)
    client.force_login(charlie)
    rows = client.get(reverse("referrals:consents_expiring")).context["rows"]
    assert [row.consent for row in rows] == [theirs]
    client.force_login(alice)
    rows = client.get(reverse("referrals:consents_expiring")).context["rows"]
    assert [row.consent for row in rows] == [ours]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_expiring_list_uses_the_same_number_of_queries_at_5_and_50(client, alice, team):
    def add(n: int) -> None:
        for day in range(n):
            enrollment = factories.EnrollmentFactory(case_manager=alice)
            _expiring(enrollment.client, day % 30)

    client.force_login(alice)
    url = reverse("referrals:consents_expiring")
    add(5)
    at_five = _queries(client, url)
    add(45)
    assert _queries(client, url) == at_five
    assert len(client.get(url).context["rows"]) == 50


# --- The client page --------------------------------------------------------------------------


def _client_page(client, user, client_record):
    """The client page's releases and disclosures cards, which arrive after the page (htmx)."""
    client.force_login(user)
    return client.get(
        reverse("workspace:releases_card", args=[client_record.pk]), headers={"HX-Request": "true"}
    )


def test_the_client_page_lists_the_consents_with_their_status(
    client, alice, client_record, provider, consent
):
    _expiring(client_record, 10, recipient_provider=provider)
    revoked = factories.ConsentFactory(
        client=client_record, recipient_provider=None, recipient_class="housing"
    )
    Consent.objects.filter(pk=revoked.pk).update(revoked_on=revoked.signed_on)
    response = _client_page(client, alice, client_record)
    rows = response.context["releases"].consents
    assert sorted(row.status.code for row in rows) == ["active", "expiring_soon", "revoked"]
    page = response.content.decode()
    assert "Releases of information" in page
    assert "Expires in 10 days" in page
    assert "any housing provider" in page
    assert _create_url(client_record) in page


def test_the_client_page_offers_adding_a_consent_to_writers_only(client, bob, client_record):
    page = _client_page(client, bob, client_record).content.decode()
    assert "Releases of information" in page
    assert _create_url(client_record) not in page


def test_the_client_page_shows_the_accounting_of_disclosures(
    client, alice, bob, enrollment, consent
):
    referral = factories.ReferralFactory(
        enrollment=enrollment, provider=consent.recipient_provider, consent=consent
    )
    Disclosure.objects.create(
        client=consent.client,
        referral=referral,
        consent=consent,
        recipient=referral.provider,
        categories=["identifying", "service_plan"],
        by=alice,
    )
    response = _client_page(client, bob, consent.client)
    [row] = response.context["releases"].disclosures
    assert row.categories == ["Identifying and contact details", "Service plan goals"]
    page = response.content.decode()
    assert "Accounting of disclosures" in page
    assert "Riverside Recovery" in page
    assert f"release signed {consent.signed_on:%Y-%m-%d}" in page


def test_the_client_page_uses_the_same_queries_at_5_and_50_consents(
    client, alice, enrollment, provider
):
    def add(n: int) -> None:
        for _ in range(n):
            consent = factories.ConsentFactory(
                client=enrollment.client, recipient_provider=provider
            )
            referral = factories.ReferralFactory(
                enrollment=enrollment, provider=provider, consent=consent
            )
            Disclosure.objects.create(
                client=enrollment.client,
                referral=referral,
                consent=consent,
                recipient=provider,
                categories=["identifying"],
                by=alice,
            )

    client.force_login(alice)
    add(5)
    at_five = {
        name: _queries(client, reverse(name, args=[enrollment.client_id]))
        for name in ("workspace:client", "workspace:releases_card")
    }
    add(45)
    for name, count in at_five.items():
        assert _queries(client, reverse(name, args=[enrollment.client_id])) == count
