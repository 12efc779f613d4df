import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from referrals import selectors, services
from referrals.models import InteragencyAgreement, Provider, ProviderService, ServiceType
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _provider_fields(**overrides):
    return {
        "name": "Harbor Recovery",
        "languages": ["English", "Spanish"],
        "accepts_medicaid": True,
        "waitlist_weeks": 1,
        **overrides,
    }


# --- provider_save ----------------------------------------------------------------------------


def test_it_creates_a_provider_with_its_services(ada):
    provider = services.provider_save(
        actor=ada,
        services=[("Intensive outpatient", ServiceType.SUBSTANCE_USE), ("", ServiceType.HOUSING)],
        **_provider_fields(),
    )
    assert provider.languages == ["English", "Spanish"]
    assert set(provider.services.values_list("name", "service_type")) == {
        ("Intensive outpatient", ServiceType.SUBSTANCE_USE),
        ("Housing", ServiceType.HOUSING),  # an unnamed service is named after its type
    }


def test_it_refuses_a_provider_without_a_service(ada):
    with pytest.raises(ValidationError) as refused:
        services.provider_save(actor=ada, services=[], **_provider_fields())
    assert "services" in refused.value.message_dict
    assert not Provider.objects.exists()


def test_it_refuses_a_service_without_a_type(ada):
    with pytest.raises(ValidationError) as refused:
        services.provider_save(actor=ada, services=[("Detox", "")], **_provider_fields())
    assert refused.value.message_dict["services"] == ["Choose a service type for Detox."]
    assert not Provider.objects.exists()


def test_it_refuses_a_second_provider_of_the_same_name(ada):
    factories.ProviderFactory(name="Harbor Recovery")
    with pytest.raises(ValidationError) as refused:
        services.provider_save(
            actor=ada, services=[("", ServiceType.HOUSING)], **_provider_fields()
        )
    assert "name" in refused.value.message_dict


def test_it_keeps_the_existing_services_when_adding_one(ada):
    provider = factories.ProviderFactory(service_type=ServiceType.MENTAL_HEALTH)
    services.provider_save(
        actor=ada,
        provider=provider,
        services=[("Outpatient", ServiceType.CO_OCCURRING)],
        waitlist_weeks=4,
    )
    assert set(provider.services.values_list("service_type", flat=True)) == {
        ServiceType.MENTAL_HEALTH,
        ServiceType.CO_OCCURRING,
    }
    assert Provider.objects.get(pk=provider.pk).waitlist_weeks == 4


def test_it_refuses_a_case_manager_changing_the_directory(alice):
    with pytest.raises(PermissionDenied):
        services.provider_save(
            actor=alice, services=[("", ServiceType.HOUSING)], **_provider_fields()
        )
    assert not ProviderService.objects.exists()


# --- agreement_save ---------------------------------------------------------------------------


def test_it_records_an_agreement_with_its_document(ada, media_root):
    provider = factories.ProviderFactory()
    agreement = services.agreement_save(
        actor=ada,
        provider=provider,
        kind=InteragencyAgreement.Kind.MOU,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=365),
        note="Shared intake for dual-diagnosis clients.",
        document=SimpleUploadedFile("mou.pdf", b"%PDF-1.4 signed", "application/pdf"),
    )
    agreement.refresh_from_db()
    assert agreement.provider == provider
    with agreement.document.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 signed"


def test_it_refuses_an_agreement_that_ends_before_it_starts(ada):
    provider = factories.ProviderFactory()
    with pytest.raises(ValidationError) as refused:
        services.agreement_save(
            actor=ada,
            provider=provider,
            kind=InteragencyAgreement.Kind.CONTRACT,
            starts_on=TODAY,
            ends_on=TODAY - dt.timedelta(days=1),
        )
    assert list(refused.value.message_dict) == ["ends_on"]
    assert not InteragencyAgreement.objects.exists()


def test_it_checks_a_new_end_date_against_the_stored_start(ada):
    agreement = InteragencyAgreement.objects.create(
        provider=factories.ProviderFactory(), kind="informal", starts_on=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        services.agreement_save(
            actor=ada,
            provider=agreement.provider,
            agreement=agreement,
            ends_on=TODAY - dt.timedelta(days=30),
        )
    assert "ends_on" in refused.value.message_dict


def test_it_keeps_the_document_when_none_is_uploaded(ada, media_root):
    provider = factories.ProviderFactory()
    agreement = services.agreement_save(
        actor=ada,
        provider=provider,
        kind="mou",
        starts_on=TODAY,
        document=SimpleUploadedFile("mou.pdf", b"%PDF", "application/pdf"),
    )
    stored_name = agreement.document.name
    services.agreement_save(
        actor=ada, provider=provider, agreement=agreement, note="Renewed.", document=None
    )
    agreement.refresh_from_db()
    assert (agreement.note, agreement.document.name) == ("Renewed.", stored_name)


def test_it_refuses_an_agreement_of_another_provider(ada):
    agreement = InteragencyAgreement.objects.create(
        provider=factories.ProviderFactory(), kind="informal", starts_on=TODAY
    )
    with pytest.raises(ValidationError):
        services.agreement_save(
            actor=ada, provider=factories.ProviderFactory(), agreement=agreement, note="x"
        )


def test_it_refuses_a_case_manager_recording_an_agreement(alice):
    with pytest.raises(PermissionDenied):
        services.agreement_save(
            actor=alice, provider=factories.ProviderFactory(), kind="mou", starts_on=TODAY
        )
    assert not InteragencyAgreement.objects.exists()


# --- pure rules of the directory --------------------------------------------------------------


@pytest.mark.parametrize(
    ("checked_on", "stale"),
    [(TODAY - dt.timedelta(days=30), False), (TODAY - dt.timedelta(days=31), True), (None, True)],
)
def test_it_calls_a_waitlist_stale_after_30_days(checked_on, stale):
    assert selectors.waitlist_is_stale(checked_on=checked_on, today=TODAY) is stale


@pytest.mark.parametrize(
    ("ends_on", "expired"),
    [(TODAY, False), (TODAY - dt.timedelta(days=1), True), (None, False)],
)
def test_it_expires_an_agreement_the_day_after_it_ends(ends_on, expired):
    assert selectors.agreement_is_expired(ends_on=ends_on, today=TODAY) is expired
