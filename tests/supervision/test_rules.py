"""The registry of compliance rules (supervision.rules): a rule registered from outside
supervision, as an app above it registers its own, is evaluated, flagged, explained, listed
and can be asked a variance for, with no change to supervision."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db.models import DateField, ExpressionWrapper, F, IntegerField, QuerySet, Value
from django.urls import reverse

from clients.models import Enrollment
from supervision import rules
from supervision.compliance import BUILT_IN_RULES, compliance_evaluate
from supervision.models import Flag, FlagRule, Variance
from supervision.rules import Rule, register
from tests import factories
from tests.helpers import days_ago, in_days, today

pytestmark = pytest.mark.django_db


def _applied_over_a_week_ago(as_of: dt.date, enrollments: QuerySet[Enrollment]) -> QuerySet:
    """A stand-in for a higher app's rule: due a week after the application."""
    return (
        enrollments.filter(application_date__lte=as_of - dt.timedelta(days=8))
        .annotate(
            due_on=ExpressionWrapper(F("application_date") + 7, output_field=DateField()),
            subject_id=Value(None, output_field=IntegerField()),
        )
        .filter(due_on__lt=as_of)
    )


OUTCOMES_DUE = Rule(
    code="outcome_measures_due",
    label="Outcome measures due",
    name="Outcome measures not recorded",
    standard="A standard of an app above supervision",
    satisfied_by="Record the outcome measures.",
    resolution="Outcome measures recorded.",
    due=_applied_over_a_week_ago,
)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry with supervision's own rules only (the outcomes app registers its real
    rule under the stand-in's code), restored after the test."""
    monkeypatch.setattr(rules, "_registry", {rule.code: rule for rule in BUILT_IN_RULES})


@pytest.fixture
def outcomes_due(registry: None) -> Rule:
    return register(OUTCOMES_DUE)


def test_supervision_registers_its_own_rules_first_in_order():
    assert rules.registered_rules()[: len(BUILT_IN_RULES)] == BUILT_IN_RULES
    assert [rule.code for rule in BUILT_IN_RULES] == list(FlagRule.values)


def test_it_evaluates_a_rule_registered_from_outside(outcomes_due, alice):
    enrollment = factories.EnrollmentFactory(case_manager=alice, application_date=days_ago(10))
    report = compliance_evaluate(as_of=today(), enrollment_ids=[enrollment.pk])
    flag = Flag.objects.open().get(enrollment=enrollment, rule=outcomes_due.code)
    assert report.counts[outcomes_due.code].raised == 1
    assert flag.due_on == days_ago(3)
    assert flag.get_rule_display() == "Outcome measures due"
    assert flag.explain(as_of=today())["standard"] == outcomes_due.standard


def test_it_resolves_its_flag_with_its_own_words(outcomes_due, alice):
    enrollment = factories.EnrollmentFactory(case_manager=alice, application_date=days_ago(10))
    compliance_evaluate(as_of=today(), enrollment_ids=[enrollment.pk])
    Enrollment.objects.filter(pk=enrollment.pk).update(application_date=days_ago(1))
    compliance_evaluate(as_of=today(), enrollment_ids=[enrollment.pk])
    assert Flag.objects.get(rule=outcomes_due.code).resolution == "Outcome measures recorded."


def test_a_flag_and_a_variance_accept_a_registered_code(outcomes_due, alice, enrollment):
    flag = factories.FlagFactory(enrollment=enrollment, rule=outcomes_due.code)
    flag.full_clean()
    variance = Variance(
        enrollment=enrollment,
        rule=outcomes_due.code,
        reason="Waiting for the scale.",
        proposed_due_on=today(),
        requested_by=alice,
    )
    variance.full_clean()


def test_a_flag_refuses_a_code_nobody_registered(enrollment):
    flag = factories.FlagFactory.build(enrollment=enrollment, rule="authorizations_exhausted")
    with pytest.raises(Exception, match="not a valid choice"):
        flag.full_clean()


def test_the_flag_list_narrows_to_a_registered_rule(client, outcomes_due, alice, enrollment):
    factories.FlagFactory(enrollment=enrollment, rule=outcomes_due.code)
    factories.FlagFactory(enrollment=enrollment, rule=FlagRule.MONITORING_GAP)
    client.force_login(alice)
    response = client.get(reverse("supervision:flag_list"), {"rule": outcomes_due.code})
    assert [row["flag"].rule for row in response.context["rows"]] == [outcomes_due.code]
    assert (outcomes_due.code, "Outcome measures due") in response.context["rule_choices"]


def test_registering_the_same_rule_again_changes_nothing(outcomes_due):
    count = len(rules.registered_rules())
    register(OUTCOMES_DUE)
    assert len(rules.registered_rules()) == count


def test_it_refuses_another_rule_with_a_code_taken(outcomes_due):
    with pytest.raises(ValueError, match="already registered"):
        register(dataclasses.replace(OUTCOMES_DUE, label="Something else"))


def test_it_refuses_a_code_too_long_for_a_flag(registry):
    with pytest.raises(ValueError, match="over 40 characters"):
        register(dataclasses.replace(OUTCOMES_DUE, code="x" * 41))


def test_the_api_asks_a_variance_of_a_registered_rule(api, outcomes_due, alice, enrollment):
    api.force_authenticate(alice)
    response = api.post(
        reverse("variance-list"),
        {
            "enrollment": enrollment.pk,
            "rule": outcomes_due.code,
            "reason": "Waiting for the scale.",
            "proposed_due_on": in_days(10).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201
    assert Variance.objects.get().rule == outcomes_due.code
