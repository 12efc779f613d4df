"""Plain words (issue 11): each term of art is explained where a page shows it, in a disclosure
that opens on touch and reads to a screen reader (casemgmt.glossary, `{% term %}`), and the
standard a compliance flag cites sits behind "Why?", not in its first line."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape

from casemgmt.glossary import GLOSSARY
from serviceplans.models import Assessment
from supervision.models import FlagRule
from tests import factories

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 13:00 on 2 March in America/Boise


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _render(source: str, **context: object) -> str:
    return Template("{% load glossary %}" + source).render(Context(context))


def _explains(html: str, key: str) -> bool:
    """The page holds the term's disclosure: a <details> with its explanation."""
    found = re.search(rf'<details class="term" data-term="{key}">(.*?)</details>', html, re.S)
    return found is not None and escape(GLOSSARY[key].explanation) in found.group(1)


def _get(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The tags ----------------------------------------------------------------------------------


def test_it_renders_a_term_as_a_disclosure_with_its_explanation() -> None:
    html = _render('{% term "units" %}')
    assert html == (
        '<details class="term" data-term="units"><summary>Units</summary>'
        f'<span class="term-text">{escape(GLOSSARY["units"].explanation)}</span></details>'
    )


def test_it_names_the_term_in_the_explanation_when_the_summary_shows_a_value() -> None:
    html = _render('{% term "continuum_stage" "Aftercare" %}')
    assert "<summary>Aftercare</summary>" in html
    assert '<span class="term-text"><strong>Continuum stage:</strong> Where' in html


def test_it_escapes_the_summary() -> None:
    assert "<summary>&lt;b&gt;</summary>" in _render('{% term "units" label %}', label="<b>")


def test_it_refuses_a_term_the_glossary_does_not_hold() -> None:
    with pytest.raises(KeyError):
        _render('{% term "no_such_term" %}')


def test_it_asks_what_a_term_means_in_the_hint() -> None:
    assert "<summary>What does “Monitoring gap” mean?</summary>" in _render(
        '{% term_hint "monitoring_gap" %}'
    )


def test_it_leaves_out_the_hint_for_a_rule_that_needs_no_explanation() -> None:
    assert _render('{% term_hint "no_service_plan" %}') == ""


def test_it_opens_a_rules_badge_on_its_explanation() -> None:
    html = _render('{% rule_badge "monitoring_gap" "Monitoring gap" "text-bg-warning" %}')
    assert html.startswith(
        '<details class="term" data-term="monitoring_gap"><summary>'
        '<span class="badge text-bg-warning" data-rule="monitoring_gap">Monitoring gap</span>'
    )
    assert _explains(html, "monitoring_gap")


def test_it_shows_a_plain_badge_for_a_rule_that_needs_no_explanation() -> None:
    html = _render('{% rule_badge "no_service_plan" "No service plan" "text-bg-warning" %}')
    assert (
        html
        == '<span class="badge text-bg-warning" data-rule="no_service_plan">No service plan</span>'
    )


# --- Where the terms are shown -----------------------------------------------------------------


def test_it_explains_the_continuum_stage_on_the_caseload(client, alice, enrollment) -> None:
    assert _explains(_get(client, alice, reverse("workspace:caseload")), "continuum_stage")


def test_it_explains_the_continuum_stage_on_the_client_page(client, alice, enrollment) -> None:
    html = _get(client, alice, reverse("workspace:client", args=[enrollment.client_id]))
    assert _explains(html, "continuum_stage")


def test_it_explains_the_case_management_model_on_the_client_page(
    client, alice, enrollment
) -> None:
    html = _get(client, alice, reverse("workspace:client", args=[enrollment.client_id]))
    assert _explains(html, "case_management_model")


def test_it_explains_units_on_each_contact(client, alice, enrollment) -> None:
    factories.ContactFactory(enrollment=enrollment, duration_minutes=30)
    html = _get(client, alice, reverse("workspace:client", args=[enrollment.client_id]))
    assert "<summary>2 units</summary>" in html
    assert _explains(html, "units")


def test_it_explains_a_contacts_addendum(client, alice, enrollment) -> None:
    contact = factories.ContactFactory(enrollment=enrollment)
    contact.addenda.create(author=alice, note="Later: called back.")
    html = _get(client, alice, reverse("workspace:client", args=[enrollment.client_id]))
    assert _explains(html, "addendum")


def test_it_explains_the_addenda_of_an_assessment(client, alice, enrollment) -> None:
    assessment = factories.AssessmentFactory(enrollment=enrollment, completed=True)
    assert assessment.status == Assessment.Status.COMPLETED
    html = _get(client, alice, reverse("serviceplans:assessment_detail", args=[assessment.pk]))
    assert _explains(html, "addendum")


def test_it_explains_the_accounting_of_disclosures(client, alice, enrollment) -> None:
    html = _get(client, alice, reverse("workspace:releases_card", args=[enrollment.client_id]))
    assert _explains(html, "accounting_of_disclosures")


def test_it_explains_a_monitoring_gap_on_the_client_pages_compliance_card(
    frozen, client, alice, enrollment
) -> None:
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    html = _get(client, alice, reverse("workspace:client", args=[enrollment.client_id]))
    assert _explains(html, "monitoring_gap")


def test_it_explains_a_monitoring_gap_on_the_caseload(frozen, client, alice, enrollment) -> None:
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    assert _explains(_get(client, alice, reverse("workspace:caseload")), "monitoring_gap")


def test_it_explains_a_monitoring_gap_in_the_dashboards_review_queue(
    frozen, client, sam, enrollment
) -> None:
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    assert _explains(_get(client, sam, reverse("workspace:dashboard")), "monitoring_gap")


def test_it_explains_a_monitoring_gap_on_the_flag_list(frozen, client, alice, enrollment) -> None:
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    assert _explains(_get(client, alice, reverse("supervision:flag_list")), "monitoring_gap")


# --- "Why?": the standard a flag cites, one step away ------------------------------------------

WHY = re.compile(
    r'<details class="why[^"]*"><summary>Why\?</summary>'
    r'<span class="text-muted standard">Idaho CMH clinical case management standard 7'
)


def test_it_keeps_the_standard_of_a_flag_behind_why_on_the_compliance_card(
    frozen, client, alice, enrollment
) -> None:
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)
    html = _get(client, alice, reverse("workspace:client", args=[enrollment.client_id]))
    assert WHY.search(html)


def test_it_keeps_the_standard_of_a_rule_behind_why_on_the_flag_list(
    frozen, client, alice, enrollment
) -> None:
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE)
    assert WHY.search(_get(client, alice, reverse("supervision:flag_list")))
