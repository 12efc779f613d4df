import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import InteragencyAgreement, Provider, ServiceType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _listed(response) -> list[str]:
    return [row["provider"].name for row in response.context["rows"]]


def _directory(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("referrals:provider_list"), params)
    assert response.status_code == 200
    return response


def _agreement(provider, **fields):
    return InteragencyAgreement.objects.create(
        provider=provider,
        kind=fields.pop("kind", InteragencyAgreement.Kind.MOU),
        starts_on=fields.pop("starts_on", timezone.localdate() - dt.timedelta(days=400)),
        **fields,
    )


# --- The directory ----------------------------------------------------------------------------


def test_it_lists_the_directory_for_a_case_manager(client, alice):
    factories.ProviderFactory(name="Harbor Recovery")
    response = _directory(client, alice)
    assert _listed(response) == ["Harbor Recovery"]
    assert b"Harbor Recovery" in response.content


def test_it_hides_inactive_providers_by_default(client, alice):
    factories.ProviderFactory(name="Harbor Recovery")
    factories.ProviderFactory(name="Closed Clinic", is_active=False)
    assert _listed(_directory(client, alice)) == ["Harbor Recovery"]


def test_it_shows_inactive_providers_when_asked(client, alice):
    factories.ProviderFactory(name="Harbor Recovery")
    factories.ProviderFactory(name="Closed Clinic", is_active=False)
    response = _directory(client, alice, is_active="all")
    assert _listed(response) == ["Closed Clinic", "Harbor Recovery"]


def test_it_searches_by_name(client, alice):
    factories.ProviderFactory(name="Harbor Recovery")
    factories.ProviderFactory(name="Valley Housing")
    assert _listed(_directory(client, alice, search="harbor")) == ["Harbor Recovery"]


def test_it_filters_by_service_type(client, alice):
    factories.ProviderFactory(name="Harbor Recovery", service_type=ServiceType.SUBSTANCE_USE)
    factories.ProviderFactory(name="Valley Housing", service_type=ServiceType.HOUSING)
    response = _directory(client, alice, service_type=ServiceType.HOUSING)
    assert _listed(response) == ["Valley Housing"]


def test_it_filters_by_language_whatever_its_case(client, alice):
    factories.ProviderFactory(name="Harbor Recovery", languages=["English", "Spanish"])
    factories.ProviderFactory(name="Valley Housing", languages=["English"])
    assert _listed(_directory(client, alice, language="spanish")) == ["Harbor Recovery"]


def test_it_matches_a_whole_language_not_a_part_of_one(client, alice):
    factories.ProviderFactory(name="Harbor Recovery", languages=["Spanish"])
    assert _listed(_directory(client, alice, language="span")) == []


def test_it_filters_by_medicaid(client, alice):
    factories.ProviderFactory(name="Harbor Recovery", accepts_medicaid=True)
    factories.ProviderFactory(name="Private Practice", accepts_medicaid=False)
    assert _listed(_directory(client, alice, accepts_medicaid="true")) == ["Harbor Recovery"]


def test_it_filters_by_the_longest_acceptable_waitlist(client, alice):
    factories.ProviderFactory(name="Harbor Recovery", waitlist_weeks=2)
    factories.ProviderFactory(name="Long Wait", waitlist_weeks=8)
    factories.ProviderFactory(name="Never Asked", waitlist_weeks=None)
    assert _listed(_directory(client, alice, max_waitlist_weeks=2)) == ["Harbor Recovery"]


def test_it_finds_a_spanish_speaking_substance_use_provider_with_a_short_wait(client, alice):
    factories.ProviderFactory(
        name="Harbor Recovery", languages=["English", "Spanish"], waitlist_weeks=1
    )
    factories.ProviderFactory(name="English Only", languages=["English"], waitlist_weeks=1)
    factories.ProviderFactory(name="Long Wait", languages=["Spanish"], waitlist_weeks=6)
    factories.ProviderFactory(
        name="Casa Vivienda", languages=["Spanish"], service_type=ServiceType.HOUSING
    )
    response = _directory(
        client,
        alice,
        service_type=ServiceType.SUBSTANCE_USE,
        language="Spanish",
        max_waitlist_weeks=2,
    )
    assert _listed(response) == ["Harbor Recovery"]


def test_it_shows_when_the_waitlist_was_checked(client, alice):
    factories.ProviderFactory(waitlist_weeks=3, waitlist_checked_on=dt.date(2026, 1, 5))
    response = _directory(client, alice)
    assert b"3 weeks" in response.content
    assert b"checked 2026-01-05" in response.content


def test_it_marks_a_waitlist_checked_over_30_days_ago_as_stale(client, alice):
    today = timezone.localdate()
    factories.ProviderFactory(name="Fresh", waitlist_checked_on=today - dt.timedelta(days=30))
    factories.ProviderFactory(name="Old", waitlist_checked_on=today - dt.timedelta(days=31))
    rows = _directory(client, alice).context["rows"]
    assert {row["provider"].name: row["waitlist_stale"] for row in rows} == {
        "Fresh": False,
        "Old": True,
    }


def test_it_pages_the_directory(client, alice):
    for n in range(30):
        factories.ProviderFactory(name=f"Provider {n:02d}")
    response = _directory(client, alice, page=2, language="English")
    assert _listed(response) == [f"Provider {n:02d}" for n in range(25, 30)]
    assert b"language=English&amp;page=1" in response.content


def test_it_answers_htmx_with_the_table_only(client, alice):
    factories.ProviderFactory(name="Harbor Recovery")
    client.force_login(alice)
    response = client.get(reverse("referrals:provider_list"), headers={"HX-Request": "true"})
    assert b'id="directory"' in response.content
    assert b'<nav class="navbar' not in response.content


@pytest.mark.parametrize("count", [5, 50])
def test_it_uses_the_same_number_of_queries_whatever_the_number_of_providers(
    client, alice, django_assert_num_queries, count
):
    for _ in range(count):
        factories.ProviderFactory(service_type=ServiceType.SUBSTANCE_USE)
    client.force_login(alice)
    # session and user; count, page of providers, their services; the navigation bar's
    # flag count (the session is not saved again within a minute of the login)
    with django_assert_num_queries(6):
        response = client.get(
            reverse("referrals:provider_list"),
            {"language": "English", "service_type": "substance_use"},
        )
    assert len(response.context["rows"]) == min(count, 25)


# --- A provider's page ------------------------------------------------------------------------


def test_it_shows_a_providers_details_and_services(client, quinn):
    provider = factories.ProviderFactory(
        name="Harbor Recovery",
        address="12 Main St, Boise",
        phone="208-555-0100",
        eligibility_notes="Adults 18+.",
        service_type=ServiceType.CO_OCCURRING,
    )
    client.force_login(quinn)
    response = client.get(reverse("referrals:provider_detail", args=[provider.pk]))
    for text in (b"12 Main St, Boise", b"208-555-0100", b"Adults 18+.", b"Co-occurring (MICA)"):
        assert text in response.content


def test_it_marks_an_expired_agreement_as_expired(client, alice):
    provider = factories.ProviderFactory()
    expired = _agreement(provider, ends_on=timezone.localdate() - dt.timedelta(days=1))
    current = _agreement(provider, kind="contract", ends_on=timezone.localdate())
    client.force_login(alice)
    response = client.get(reverse("referrals:provider_detail", args=[provider.pk]))
    rows = {row["agreement"]: row["expired"] for row in response.context["agreements"]}
    assert rows == {expired: True, current: False}
    assert response.content.count(b"Expired</span>") == 1


# --- Maintaining the directory (administrators) -----------------------------------------------


def _provider_post(rows, **fields):
    data = {
        "name": "Harbor Recovery",
        "address": "12 Main St",
        "phone": "208-555-0100",
        "languages": "English, spanish, Spanish",
        "accepts_medicaid": "on",
        "waitlist_weeks": "2",
        "waitlist_checked_on": str(timezone.localdate()),
        "eligibility_notes": "",
        "is_active": "on",
        "services-TOTAL_FORMS": str(len(rows)),
        "services-INITIAL_FORMS": "0",
        **fields,
    }
    for i, (name, service_type) in enumerate(rows):
        data[f"services-{i}-name"] = name
        data[f"services-{i}-service_type"] = service_type
    return data


def test_it_lets_an_administrator_add_a_provider_with_its_services(client, ada):
    client.force_login(ada)
    response = client.post(
        reverse("referrals:provider_create"),
        _provider_post([("Intensive outpatient", "substance_use"), ("", "housing"), ("", "")]),
    )
    provider = Provider.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:provider_detail", args=[provider.pk])
    assert provider.languages == ["English", "spanish"]
    assert sorted(provider.services.values_list("name", "service_type")) == [
        ("Housing", "housing"),
        ("Intensive outpatient", "substance_use"),
    ]


def test_it_refuses_a_provider_without_a_service_type(client, ada):
    client.force_login(ada)
    response = client.post(reverse("referrals:provider_create"), _provider_post([("", "")] * 3))
    assert response.status_code == 400
    assert "Give the provider at least one service type." in response.content.decode()
    assert not Provider.objects.exists()


def test_it_refuses_a_named_service_without_a_type(client, ada):
    client.force_login(ada)
    response = client.post(reverse("referrals:provider_create"), _provider_post([("Detox", "")]))
    assert response.status_code == 400
    assert "Choose a service type for Detox." in response.content.decode()
    assert not Provider.objects.exists()


def test_it_edits_a_provider_adding_a_service_and_keeping_the_old(client, ada):
    provider = factories.ProviderFactory(name="Harbor", service_type=ServiceType.SUBSTANCE_USE)
    client.force_login(ada)
    response = client.post(
        reverse("referrals:provider_edit", args=[provider.pk]),
        _provider_post([("", "mental_health")], name="Harbor Recovery", waitlist_weeks="5"),
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.waitlist_weeks) == ("Harbor Recovery", 5)
    assert set(provider.services.values_list("service_type", flat=True)) == {
        "substance_use",
        "mental_health",
    }


def test_it_shows_the_languages_comma_separated_on_the_edit_page(client, ada):
    provider = factories.ProviderFactory(languages=["English", "Spanish"])
    client.force_login(ada)
    response = client.get(reverse("referrals:provider_edit", args=[provider.pk]))
    assert b'value="English, Spanish"' in response.content


def test_it_refuses_a_case_managers_post_to_add_a_provider(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("referrals:provider_create"), _provider_post([("", "substance_use")])
    )
    assert response.status_code == 403
    assert not Provider.objects.exists()


# --- Agreements -------------------------------------------------------------------------------


def _agreement_post(**fields):
    return {
        "kind": "mou",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "note": "Shared intake.",
        **fields,
    }


def test_it_lets_an_administrator_add_an_agreement_with_a_document(client, ada, media_root):
    provider = factories.ProviderFactory()
    client.force_login(ada)
    document = SimpleUploadedFile("mou.pdf", b"%PDF-1.4 signed", "application/pdf")
    response = client.post(
        reverse("referrals:agreement_create", args=[provider.pk]),
        _agreement_post(document=document),
    )
    assert response.status_code == 302
    agreement = provider.agreements.get()
    assert (agreement.kind, agreement.ends_on) == ("mou", dt.date(2026, 12, 31))
    assert agreement.document.name.endswith(".pdf")


def test_it_refuses_an_agreement_that_ends_before_it_starts(client, ada):
    provider = factories.ProviderFactory()
    client.force_login(ada)
    response = client.post(
        reverse("referrals:agreement_create", args=[provider.pk]),
        _agreement_post(ends_on="2025-12-31"),
    )
    assert response.status_code == 400
    assert "An agreement cannot end before it starts." in response.content.decode()
    assert not InteragencyAgreement.objects.exists()


def test_it_refuses_a_document_of_another_kind(client, ada):
    provider = factories.ProviderFactory()
    client.force_login(ada)
    response = client.post(
        reverse("referrals:agreement_create", args=[provider.pk]),
        _agreement_post(document=SimpleUploadedFile("run.exe", b"MZ", "application/x-msdos")),
    )
    assert response.status_code == 400
    assert not InteragencyAgreement.objects.exists()


def test_it_edits_an_agreement_keeping_its_document(client, ada, media_root):
    provider = factories.ProviderFactory()
    agreement = services.agreement_save(
        actor=ada,
        provider=provider,
        kind="mou",
        starts_on=dt.date(2026, 1, 1),
        document=SimpleUploadedFile("mou.pdf", b"%PDF", "application/pdf"),
    )
    stored_name = agreement.document.name
    client.force_login(ada)
    response = client.post(
        reverse("referrals:agreement_edit", args=[agreement.pk]),
        _agreement_post(kind="contract"),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.kind, agreement.document.name) == ("contract", stored_name)


def test_it_links_the_current_document_through_the_download_view(client, ada, media_root):
    agreement = services.agreement_save(
        actor=ada,
        provider=factories.ProviderFactory(),
        kind="mou",
        starts_on=dt.date(2026, 1, 1),
        document=SimpleUploadedFile("mou.pdf", b"%PDF", "application/pdf"),
    )
    client.force_login(ada)
    response = client.get(reverse("referrals:agreement_edit", args=[agreement.pk]))
    download = reverse("referrals:agreement_document", args=[agreement.pk])
    assert f'href="{download}">mou'.encode() in response.content
    assert b"/agreements/" not in response.content.replace(download.encode(), b"")


def test_it_lets_a_case_manager_download_an_agreement(client, ada, alice, media_root):
    agreement = services.agreement_save(
        actor=ada,
        provider=factories.ProviderFactory(),
        kind="mou",
        starts_on=dt.date(2026, 1, 1),
        document=SimpleUploadedFile("mou.pdf", b"%PDF-1.4 signed", "application/pdf"),
    )
    client.force_login(alice)
    response = client.get(reverse("referrals:agreement_document", args=[agreement.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_sends_an_anonymous_visitor_to_log_in_for_a_document(client, ada, media_root):
    agreement = services.agreement_save(
        actor=ada,
        provider=factories.ProviderFactory(),
        kind="mou",
        starts_on=dt.date(2026, 1, 1),
        document=SimpleUploadedFile("mou.pdf", b"%PDF", "application/pdf"),
    )
    response = client.get(reverse("referrals:agreement_document", args=[agreement.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


# --- The Django admin -------------------------------------------------------------------------


def test_it_lists_providers_in_the_django_admin(client, ada):
    factories.ProviderFactory(name="Harbor Recovery")
    client.force_login(ada)
    response = client.get(reverse("admin:referrals_provider_changelist"))
    assert response.status_code == 200
    assert b"Harbor Recovery" in response.content
