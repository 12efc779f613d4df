"""The referral packet: what the agency sends a provider with a referral, as a PDF rendered
by WeasyPrint from templates/referrals/referral_packet.html (with serviceplans.pdf, which
fetches nothing).

A packet discloses only the information categories of its Disclosure that the consent
covers (referrals.services.referral_packet_disclose): the referral itself is always in it;
the client's identity, the service plan, the assessment and the protected kinds of record
(mental health, medical/HIV, legal, substance-use treatment) only when covered. An assessment
finding in one of those protected domains goes out only with its own category, so a release
of "assessment findings" does not carry HIV status or Part 2 records with it. Substance-use
treatment records carry the redisclosure notice of 42 CFR 2.32.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string

from exports.formats import REDISCLOSURE_NOTICE
from referrals.models import Disclosure, InformationCategory, Referral
from serviceplans.models import Assessment, AssessmentFinding, Domain, Goal, ServicePlan

PACKET_TEMPLATE = "referrals/referral_packet.html"

# Assessment domains whose findings are a protected category of their own.
PROTECTED_DOMAINS: dict[str, str] = {
    Domain.MENTAL_HEALTH: InformationCategory.MENTAL_HEALTH,
    Domain.SUBSTANCE_USE: InformationCategory.SUBSTANCE_USE,
    Domain.MEDICAL_HIV: InformationCategory.MEDICAL_HIV,
    Domain.LEGAL: InformationCategory.LEGAL,
}


def disclosed_categories(disclosure: Disclosure) -> list[str]:
    """The categories the packet shows: those of the disclosure that its consent covers, in
    the order of InformationCategory."""
    covered = set(disclosure.categories) & set(disclosure.consent.categories)
    return [c for c in InformationCategory.values if c in covered]


def _latest_completed_assessment(referral: Referral) -> Assessment | None:
    findings = AssessmentFinding.objects.order_by("id")
    return (
        Assessment.objects.filter(
            enrollment_id=referral.enrollment_id, status=Assessment.Status.COMPLETED
        )
        .prefetch_related(Prefetch("findings", queryset=findings))
        .order_by("-completed_on", "-id")
        .first()
    )


def _plan_goals(referral: Referral) -> tuple[ServicePlan | None, list[Goal]]:
    """The active plan's goals being worked on (or, without an active plan, the plan of the
    referral's goal), with their objectives and interventions."""
    plans = ServicePlan.objects.prefetch_related("goals__actions")
    plan = plans.filter(
        enrollment_id=referral.enrollment_id, status=ServicePlan.Status.ACTIVE
    ).first()
    if plan is None and referral.goal_id is not None:
        plan = plans.filter(goals=referral.goal_id).first()
    if plan is None:
        return None, []
    goals = [
        g for g in plan.goals.all() if g.status == Goal.Status.ACTIVE or g.pk == referral.goal_id
    ]
    return plan, goals


def _assessment_parts(
    referral: Referral, *, shown: list[str], labels: dict[str, str]
) -> dict[str, Any]:
    """The latest completed assessment's findings the packet may show: the assessment with
    its ordinary findings when ``assessment`` is disclosed, and the findings of each protected
    domain (substance use, HIV, ...) only under its own category."""
    protected = [c for c in PROTECTED_DOMAINS.values() if c in shown]
    if InformationCategory.ASSESSMENT not in shown and not protected:
        return {}
    assessment = _latest_completed_assessment(referral)
    findings = list(assessment.findings.all()) if assessment is not None else []
    parts: dict[str, Any] = {
        "protected_findings": [
            {
                "category": category,
                "label": labels[category],
                "findings": [f for f in findings if PROTECTED_DOMAINS.get(f.domain) == category],
                "completed_on": assessment.completed_on if assessment is not None else None,
            }
            for category in protected
        ]
    }
    if InformationCategory.ASSESSMENT in shown:
        parts["assessment"] = assessment
        parts["assessment_findings"] = [f for f in findings if f.domain not in PROTECTED_DOMAINS]
    return parts


def packet_context(*, referral: Referral, disclosure: Disclosure) -> dict[str, Any]:
    """What the packet shows. ``referral`` with its enrollment (client, program, case
    manager), provider, service and goal; ``disclosure`` with its consent and author."""
    shown = disclosed_categories(disclosure)
    labels = dict(InformationCategory.choices)
    context: dict[str, Any] = {
        "referral": referral,
        "disclosure": disclosure,
        "consent": disclosure.consent,
        "enrollment": referral.enrollment,
        "categories": shown,
        "category_labels": [labels[c] for c in shown],
        "client": None,
        "goal": None,
        "plan": None,
        "goals": [],
        "assessment": None,
        "assessment_findings": [],
        "protected_findings": [],
        "redisclosure_notice": None,
    }
    if InformationCategory.IDENTIFYING in shown:
        context["client"] = referral.enrollment.client
    if InformationCategory.SERVICE_PLAN in shown:
        context["goal"] = referral.goal
        context["plan"], context["goals"] = _plan_goals(referral)
    context.update(_assessment_parts(referral, shown=shown, labels=labels))
    if InformationCategory.SUBSTANCE_USE in shown:
        context["redisclosure_notice"] = REDISCLOSURE_NOTICE
    return context


def packet_html(context: dict[str, Any]) -> str:
    """The HTML the PDF is made from."""
    return render_to_string(PACKET_TEMPLATE, context)


def packet_filename(referral: Referral) -> str:
    """``referral-<id>-packet.pdf``: the name carries nothing about the client."""
    return f"referral-{referral.pk}-packet.pdf"
