"""The referral packet: a PDF (WeasyPrint) of the referral with only the information the
client's release covers, the redisclosure notice of 42 CFR 2.32 with substance-use records,
and an entry in the accounting of disclosures. pypdf is not installed, so the text is checked
in the HTML the PDF is made from."""

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import packet
from referrals.models import Disclosure
from serviceplans import pdf
from serviceplans.models import AssessmentFinding
from tests import factories

pytestmark = pytest.mark.django_db

try:  # WeasyPrint loads Pango, a system library, when imported.
    import weasyprint  # noqa: F401
except OSError as missing:  # a fresh laptop; CI installs it and fails on any skipped test
    pytest.skip(
        f"WeasyPrint cannot load Pango ({missing}); apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0 to run the PDF tests",
        allow_module_level=True,
    )

GOAL_WORDS = "I want to stay sober for my kids."
HOUSING_FINDING = "Staying with her sister; lease ends in May."
HIV_FINDING = "HIV positive since 2019, undetectable."
SUBSTANCE_FINDING = "Daily methamphetamine use; two attempts at detox."


@pytest.fixture
def provider():
    return factories.ProviderFactory(name="Riverside Recovery")


@pytest.fixture
def goal(enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    goal = factories.GoalFactory(plan=plan, client_words=GOAL_WORDS)
    factories.PlanActionFactory(goal=goal, what="Drive her to the intake appointment.")
    return goal


@pytest.fixture
def assessment(enrollment):
    assessment = factories.AssessmentFactory(
        enrollment=enrollment, completed=True, summary="Motivated; needs housing first."
    )
    for domain, findings in (
        ("housing", HOUSING_FINDING),
        ("medical_hiv", HIV_FINDING),
        ("substance_use", SUBSTANCE_FINDING),
    ):
        AssessmentFinding.objects.create(
            assessment=assessment, domain=domain, findings=findings, need_level="high"
        )
    return assessment


def _referral_and_consent(enrollment, provider, goal, categories):
    referral = factories.ReferralFactory(
        enrollment=enrollment, provider=provider, goal=goal, categories=categories
    )
    consent = factories.ConsentFactory(
        client=enrollment.client, recipient_provider=provider, categories=categories
    )
    return referral, consent


@pytest.fixture
def rendered_html(monkeypatch) -> list[str]:
    """The HTML each PDF of the request was made from."""
    seen: list[str] = []
    make_pdf = pdf.html_to_pdf

    def keep_and_make(html: str) -> bytes:
        seen.append(html)
        return make_pdf(html)

    monkeypatch.setattr(pdf, "html_to_pdf", keep_and_make)
    return seen


def _download(client, referral):
    return client.post(reverse("referrals:referral_packet", args=[referral.pk]))


def test_it_answers_a_pdf_and_enters_a_disclosure(client, alice, enrollment, provider, goal):
    referral, consent = _referral_and_consent(
        enrollment, provider, goal, ["identifying", "service_plan"]
    )
    client.force_login(alice)
    response = _download(client, referral)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="referral-{referral.pk}-packet.pdf"'
    )
    disclosure = Disclosure.objects.get()
    assert (disclosure.referral, disclosure.consent, disclosure.recipient, disclosure.by) == (
        referral,
        consent,
        provider,
        alice,
    )
    assert disclosure.categories == ["identifying", "service_plan"]


def test_it_shows_the_referral_and_the_goal(
    client, alice, enrollment, provider, goal, rendered_html
):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["identifying", "service_plan"])
    client.force_login(alice)
    _download(client, referral)
    (html,) = rendered_html
    assert "Referral to Riverside Recovery" in html
    assert referral.reason in html
    assert GOAL_WORDS in html
    assert "Drive her to the intake appointment." in html
    assert enrollment.client.record_number in html


def test_it_leaves_out_what_the_consent_does_not_cover(
    client, alice, enrollment, provider, goal, assessment, rendered_html
):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["service_plan"])
    client.force_login(alice)
    _download(client, referral)
    (html,) = rendered_html
    assert GOAL_WORDS in html
    assert enrollment.client.record_number not in html
    client_record = enrollment.client
    assert f"{client_record.first_name} {client_record.last_name}" not in html
    assert "Identifying details are not disclosed" in html
    for finding in (HOUSING_FINDING, HIV_FINDING, SUBSTANCE_FINDING):
        assert finding not in html


def test_it_leaves_out_the_goal_without_service_plan_consent(
    client, alice, enrollment, provider, goal, rendered_html
):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["identifying"])
    client.force_login(alice)
    _download(client, referral)
    (html,) = rendered_html
    assert enrollment.client.record_number in html
    assert GOAL_WORDS not in html


def test_it_shows_the_latest_completed_assessment_without_protected_domains(
    client, alice, enrollment, provider, goal, assessment, rendered_html
):
    factories.AssessmentFactory(enrollment=enrollment, summary="A draft, not yet complete.")
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["assessment"])
    client.force_login(alice)
    _download(client, referral)
    (html,) = rendered_html
    assert "Motivated; needs housing first." in html
    assert HOUSING_FINDING in html
    assert "A draft, not yet complete." not in html
    assert HIV_FINDING not in html
    assert SUBSTANCE_FINDING not in html


def test_a_protected_domain_goes_out_with_its_own_category(
    client, alice, enrollment, provider, goal, assessment, rendered_html
):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["medical_hiv"])
    client.force_login(alice)
    _download(client, referral)
    (html,) = rendered_html
    assert HIV_FINDING in html
    assert HOUSING_FINDING not in html


def test_it_adds_the_redisclosure_notice_with_substance_use_records(
    client, alice, enrollment, provider, goal, assessment, rendered_html
):
    referral, _ = _referral_and_consent(
        enrollment, provider, goal, ["identifying", "substance_use"]
    )
    client.force_login(alice)
    _download(client, referral)
    (html,) = rendered_html
    assert SUBSTANCE_FINDING in html
    assert "42 CFR 2.32" in html
    assert "protected by Federal confidentiality rules (42 CFR part 2)" in html


def test_it_has_no_redisclosure_notice_without_substance_use_records(
    client, alice, enrollment, provider, goal, assessment, rendered_html
):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["identifying", "assessment"])
    client.force_login(alice)
    _download(client, referral)
    (html,) = rendered_html
    assert "42 CFR part 2" not in html
    assert 'id="redisclosure-notice"' not in html


def test_it_refuses_a_packet_without_a_covering_consent(
    client, alice, enrollment, provider, goal, rendered_html
):
    referral = factories.ReferralFactory(enrollment=enrollment, provider=provider)
    client.force_login(alice)
    response = _download(client, referral)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "No packet: no release of information covers it today. Missing:" in page
    assert reverse("referrals:consent_create", args=[enrollment.client_id]) in page
    assert not Disclosure.objects.exists()
    assert rendered_html == []


def test_it_refuses_a_packet_under_a_revoked_consent(client, alice, enrollment, provider, goal):
    referral, consent = _referral_and_consent(enrollment, provider, goal, ["identifying"])
    consent.revoked_on = timezone.localdate()
    consent.save()
    client.force_login(alice)
    assert _download(client, referral).status_code == 400
    assert not Disclosure.objects.exists()


def test_no_disclosure_is_entered_when_the_pdf_fails(
    client, alice, enrollment, provider, goal, monkeypatch
):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["identifying"])

    def broken(html: str) -> bytes:
        raise RuntimeError("Pango went away")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    client.force_login(alice)
    with pytest.raises(RuntimeError):
        _download(client, referral)
    assert not Disclosure.objects.exists()


def test_the_disclosure_shows_on_the_referral_page(client, alice, enrollment, provider, goal):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["identifying"])
    client.force_login(alice)
    _download(client, referral)
    response = client.get(reverse("referrals:referral_detail", args=[referral.pk]))
    assert [d.referral for d in response.context["disclosures"]] == [referral]


def test_a_teammate_cannot_produce_a_packet(client, bob, enrollment, provider, goal):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["identifying"])
    client.force_login(bob)
    assert _download(client, referral).status_code == 403
    assert not Disclosure.objects.exists()


def test_another_team_cannot_produce_a_packet(client, charlie, enrollment, provider, goal):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["identifying"])
    client.force_login(charlie)
    assert _download(client, referral).status_code == 404
    assert not Disclosure.objects.exists()


def test_a_packet_is_not_produced_by_a_get(client, alice, enrollment, provider, goal):
    referral, _ = _referral_and_consent(enrollment, provider, goal, ["identifying"])
    client.force_login(alice)
    response = client.get(reverse("referrals:referral_packet", args=[referral.pk]))
    assert response.status_code == 405
    assert not Disclosure.objects.exists()


def test_disclosed_categories_are_those_the_consent_covers(enrollment, provider, goal):
    referral, consent = _referral_and_consent(enrollment, provider, goal, ["identifying"])
    disclosure = Disclosure(
        client=enrollment.client,
        referral=referral,
        consent=consent,
        recipient=provider,
        categories=["service_plan", "identifying"],
    )
    assert packet.disclosed_categories(disclosure) == ["identifying"]
