"""Releases of information: consent_record (42 CFR 2.31 for substance-use records), who may
record one, consent_revoke, and consent_find_covering (the gate on disclosure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals import consent_rules, services
from referrals.models import Consent, InformationCategory, ServiceType
from tests import factories

pytestmark = pytest.mark.django_db


def _fields(provider, **overrides: Any) -> dict[str, Any]:
    """What the consent form sends for a complete release to ``provider``."""
    today = timezone.localdate()
    fields = {
        "discloser": "North Team Adult Program",
        "recipient_provider": provider,
        "recipient_class": "",
        "categories": ["identifying", "service_plan"],
        "purpose": "Referral for outpatient treatment.",
        "expires_on": today + dt.timedelta(days=180),
        "expiry_event": "",
        "signer": Consent.Signer.CLIENT,
        "signer_name": "Dana Reyes",
        "signed_on": today,
        "right_to_revoke_explained": True,
    }
    return {**fields, **overrides}


@pytest.fixture
def provider():
    return factories.ProviderFactory(name="Riverside Recovery")


# --- consent_record ---------------------------------------------------------------------------


def test_it_records_a_release_to_a_provider(alice, client_record, provider):
    consent = services.consent_record(actor=alice, client=client_record, **_fields(provider))
    consent.refresh_from_db()
    assert consent.client == client_record
    assert consent.recipient_provider == provider
    assert consent.categories == ["identifying", "service_plan"]
    assert consent.created_by == alice
    assert consent.revoked_on is None


def test_it_records_a_release_to_a_class_of_recipient(alice, client_record):
    fields = _fields(None, recipient_class=ServiceType.HOUSING)
    consent = services.consent_record(actor=alice, client=client_record, **fields)
    assert (consent.recipient_provider, consent.recipient_class) == (None, "housing")


def test_it_records_a_release_that_expires_on_an_event(alice, client_record, provider):
    fields = _fields(provider, expires_on=None, expiry_event="Discharge from the program")
    consent = services.consent_record(actor=alice, client=client_record, **fields)
    assert consent.expiry_event == "Discharge from the program"


def test_it_stores_the_signed_copy(alice, client_record, provider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    consent = services.consent_record(
        actor=alice, client=client_record, signed_copy=scan, **_fields(provider)
    )
    assert consent.signed_copy.name.startswith("consents/")
    with consent.signed_copy.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 signed"


def test_it_records_a_part2_release_with_every_element(alice, client_record, provider):
    fields = _fields(provider, categories=["identifying", InformationCategory.SUBSTANCE_USE])
    consent = services.consent_record(actor=alice, client=client_record, **fields)
    assert "substance_use" in consent.categories


def test_a_supervisor_of_the_team_records_one(sam, client_record, provider):
    consent = services.consent_record(actor=sam, client=client_record, **_fields(provider))
    assert consent.created_by == sam


def _refused(actor, client, error=ValidationError, **fields: Any):
    with pytest.raises(error) as raised:
        services.consent_record(actor=actor, client=client, **fields)
    assert not Consent.objects.exists()
    return raised.value


def test_it_refuses_an_expiry_before_the_signature(alice, client_record, provider):
    today = timezone.localdate()
    fields = _fields(provider, expires_on=today - dt.timedelta(days=1))
    error = _refused(alice, client_record, **fields)
    assert error.message_dict == {"expires_on": ["The consent cannot expire before it was signed."]}


def test_it_refuses_a_signature_in_the_future(alice, client_record, provider):
    fields = _fields(provider, signed_on=timezone.localdate() + dt.timedelta(days=1))
    error = _refused(alice, client_record, **fields)
    assert "signed_on" in error.message_dict


def test_it_refuses_a_release_without_a_recipient(alice, client_record):
    error = _refused(alice, client_record, **_fields(None))
    assert error.message_dict == {
        "recipient_provider": ["Name the provider, or a class of recipient."]
    }


def test_it_refuses_a_release_naming_both_a_provider_and_a_class(alice, client_record, provider):
    """42 CFR 2.31: the recipient is a named provider or a class, not both (read as covering
    either, it would disclose more widely than the person signed for)."""
    fields = _fields(provider, recipient_class=ServiceType.HOUSING)
    error = _refused(alice, client_record, **fields)
    assert error.message_dict == {
        "recipient_class": ["Name either a provider or a class of recipient, not both."]
    }


def test_the_database_refuses_a_consent_naming_both_a_provider_and_a_class(client_record, provider):
    """The CHECK holds where the service is bypassed (a raw save, a bulk load)."""
    consent = factories.ConsentFactory.build(
        client=client_record, recipient_provider=provider, recipient_class=ServiceType.HOUSING
    )
    with pytest.raises(IntegrityError, match="consent_names_one_recipient"), transaction.atomic():
        consent.save()
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("names_the_provider", "recipient_class"),
    [(True, ""), (False, ServiceType.HOUSING), (True, ServiceType.HOUSING), (False, "")],
    ids=["provider", "class", "both", "neither"],
)
def test_the_recipient_rule_and_the_database_agree(
    client_record, provider, names_the_provider, recipient_class
):
    """One rule in two places (consent_rules.recipient_errors and the CHECKs): each accepts
    exactly what the other accepts."""
    recipient = provider if names_the_provider else None
    accepted_by_the_rule = not consent_rules.recipient_errors(
        recipient_provider_id=recipient.pk if recipient else None, recipient_class=recipient_class
    )
    consent = factories.ConsentFactory.build(
        client=client_record, recipient_provider=recipient, recipient_class=recipient_class
    )
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError:
        accepted_by_the_database = False
    else:
        accepted_by_the_database = True
    assert accepted_by_the_rule == accepted_by_the_database


def test_it_refuses_a_release_without_categories(alice, client_record, provider):
    error = _refused(alice, client_record, **_fields(provider, categories=[]))
    assert error.message_dict == {"categories": ["Choose what information may be disclosed."]}


def test_it_refuses_a_release_without_a_purpose(alice, client_record, provider):
    error = _refused(alice, client_record, **_fields(provider, purpose=""))
    assert "purpose" in error.message_dict


@pytest.mark.parametrize(
    ("changes", "element"),
    [
        ({"right_to_revoke_explained": False}, "that the client was told of the right to revoke"),
        ({"expires_on": None, "expiry_event": ""}, "an expiry date or event"),
        ({"purpose": " "}, "the purpose"),
        ({"discloser": ""}, "who may disclose"),
        ({"signer_name": ""}, "the signature"),
    ],
)
def test_it_refuses_a_part2_release_lacking_an_element(
    alice, client_record, provider, changes, element
):
    fields = _fields(provider, categories=["substance_use"], **changes)
    error = _refused(alice, client_record, **fields)
    [message] = error.message_dict["categories"]
    assert "42 CFR 2.31" in message
    assert message.endswith(f"missing: {element}.")


def test_it_refuses_an_administrator(ada, client_record, provider):
    _refused(ada, client_record, PermissionDenied, **_fields(provider))


def test_it_refuses_a_qa_reviewer(quinn, client_record, provider):
    _refused(quinn, client_record, PermissionDenied, **_fields(provider))


def test_it_refuses_a_case_manager_of_another_team(charlie, client_record, provider):
    _refused(charlie, client_record, PermissionDenied, **_fields(provider))


def test_it_refuses_a_teammate_whose_caseload_the_client_is_not_on(bob, client_record, provider):
    _refused(bob, client_record, PermissionDenied, **_fields(provider))


# --- consent_revoke ---------------------------------------------------------------------------


@pytest.fixture
def consent(client_record, provider):
    return factories.ConsentFactory(
        client=client_record,
        recipient_provider=provider,
        signed_on=timezone.localdate() - dt.timedelta(days=30),
    )


def test_it_revokes_from_a_date(alice, consent):
    today = timezone.localdate()
    services.consent_revoke(actor=alice, consent=consent, revoked_on=today, note="By phone.")
    consent.refresh_from_db()
    assert (consent.revoked_on, consent.revocation_note) == (today, "By phone.")


def test_revocation_keeps_the_consent_and_its_history(alice, consent):
    services.consent_revoke(actor=alice, consent=consent, revoked_on=timezone.localdate())
    events = list(consent.events.order_by("pgh_id").values_list("revoked_on", flat=True))
    assert events == [None, timezone.localdate()]
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_it_refuses_a_revocation_before_the_signature(alice, consent):
    with pytest.raises(ValidationError) as error:
        services.consent_revoke(
            actor=alice, consent=consent, revoked_on=consent.signed_on - dt.timedelta(days=1)
        )
    assert error.value.message_dict == {
        "revoked_on": ["A consent cannot be revoked before it was signed."]
    }
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_it_refuses_a_revocation_in_the_future(alice, consent):
    with pytest.raises(ValidationError):
        services.consent_revoke(
            actor=alice, consent=consent, revoked_on=timezone.localdate() + dt.timedelta(days=1)
        )


def test_it_refuses_to_revoke_twice(alice, consent):
    first = timezone.localdate() - dt.timedelta(days=2)
    services.consent_revoke(actor=alice, consent=consent, revoked_on=first)
    with pytest.raises(ValidationError):
        services.consent_revoke(actor=alice, consent=consent, revoked_on=timezone.localdate())
    consent.refresh_from_db()
    assert consent.revoked_on == first


@pytest.mark.parametrize("actor", ["bob", "charlie", "ada", "quinn"])
def test_it_refuses_a_revocation_by_anyone_but_the_writers(request, consent, actor):
    with pytest.raises(PermissionDenied):
        services.consent_revoke(
            actor=request.getfixturevalue(actor), consent=consent, revoked_on=timezone.localdate()
        )
    consent.refresh_from_db()
    assert consent.revoked_on is None


# --- consent_find_covering --------------------------------------------------------------------


def _find(client, provider, categories=("identifying",), on=None):
    return services.consent_find_covering(
        client=client, provider=provider, categories=categories, on=on or timezone.localdate()
    )


def test_it_finds_the_consent_that_covers_among_others(client_record, provider):
    today = timezone.localdate()
    factories.ConsentFactory(
        client=client_record,
        recipient_provider=provider,
        signed_on=today - dt.timedelta(days=400),
        expires_on=today - dt.timedelta(days=35),
    )
    factories.ConsentFactory(client=client_record)  # to another provider
    covering = factories.ConsentFactory(client=client_record, recipient_provider=provider)
    assert _find(client_record, provider) == (covering, [])


def test_a_class_of_recipient_consent_covers_a_provider_of_that_type(client_record):
    housing = factories.ProviderFactory(service_type=ServiceType.HOUSING)
    consent = factories.ConsentFactory(
        client=client_record, recipient_provider=None, recipient_class=ServiceType.HOUSING
    )
    assert _find(client_record, housing) == (consent, [])


def test_it_reports_what_the_closest_consent_is_missing(client_record, provider):
    factories.ConsentFactory(client=client_record)  # another provider, other categories
    factories.ConsentFactory(client=client_record, recipient_provider=provider)
    consent, missing = _find(client_record, provider, categories=("identifying", "legal"))
    assert consent is None
    assert missing == ["consent to disclose: legal"]


def test_it_reports_a_revoked_consent(alice, client_record, provider):
    today = timezone.localdate()
    revoked = factories.ConsentFactory(
        client=client_record, recipient_provider=provider, signed_on=today - dt.timedelta(days=9)
    )
    yesterday = today - dt.timedelta(days=1)
    services.consent_revoke(actor=alice, consent=revoked, revoked_on=yesterday)
    consent, missing = _find(client_record, provider)
    assert consent is None
    assert missing == [f"an unrevoked consent (it was revoked on {yesterday:%Y-%m-%d})"]


def test_it_says_a_release_is_needed_when_the_client_has_none(client_record, provider):
    assert _find(client_record, provider) == (
        None,
        ["a signed release of information for this provider"],
    )


def test_it_ignores_another_clients_consent(client_record, provider):
    factories.ConsentFactory(recipient_provider=provider)
    consent, _ = _find(client_record, provider)
    assert consent is None
