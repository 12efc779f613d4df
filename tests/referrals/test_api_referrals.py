"""/api/v1/referrals/: the referral lifecycle as actions, and the consent that gates every
disclosure (the accounting itself: test_api_disclosures.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Team, User
from clients.models import AccessLog, Client, Enrollment
from referrals.models import (
    Consent,
    Disclosure,
    Provider,
    Referral,
    ReferralStatus,
    ReferralStep,
    ServiceType,
)
from tests import factories
from tests.helpers import assert_list_queries_constant, days_ago, listed_ids, today

pytestmark = pytest.mark.django_db

REFERRALS_URL = reverse("referral-list")


def referral_url(referral: Referral) -> str:
    return reverse("referral-detail", args=[referral.pk])


def transition_url(referral: Referral) -> str:
    return reverse("referral-transition", args=[referral.pk])


def follow_up_url(referral: Referral) -> str:
    return reverse("referral-follow-up", args=[referral.pk])


def packet_url(referral: Referral) -> str:
    return reverse("referral-packet", args=[referral.pk])


def move(referral: Referral, to_status: str, *, by: User, on: dt.date) -> None:
    """A step taken earlier (a referral's steps are kept, never edited)."""
    ReferralStep.objects.create(
        referral=referral, from_status=referral.status, to_status=to_status, occurred_on=on, by=by
    )
    referral.status = to_status
    referral.follow_up_due_on = on + dt.timedelta(days=14)
    referral.save()


def transition(api: APIClient, referral: Referral, to_status: str, **body: object) -> Any:
    return api.post(transition_url(referral), {"to_status": to_status, **body}, format="json")


def referral_body(
    *, enrollment: Enrollment, provider: Provider, **overrides: object
) -> dict[str, object]:
    return {
        "enrollment": enrollment.pk,
        "provider": provider.pk,
        "reason": "Intensive outpatient treatment for alcohol use.",
        "urgency": Referral.Urgency.URGENT,
        "client_readiness": "Preparation: wants to start this month.",
        "barriers": "No car; works mornings.",
        "categories": ["identifying", "service_plan"],
        **overrides,
    }


@pytest.fixture
def provider(db: None) -> Provider:
    return factories.ProviderFactory(name="Harbor Recovery")


@pytest.fixture
def referral(enrollment: Enrollment, provider: Provider) -> Referral:
    """alice's draft referral, sharing identifying details and the service plan."""
    return factories.ReferralFactory(enrollment=enrollment, provider=provider)


@pytest.fixture
def consent(client_record: Client, provider: Provider) -> Consent:
    """A release to the provider covering the referral's categories, signed a month ago."""
    return factories.ConsentFactory(
        client=client_record, recipient_provider=provider, signed_on=days_ago(30)
    )


@pytest.fixture
def other_referral(other_enrollment: Enrollment, provider: Provider) -> Referral:
    return factories.ReferralFactory(enrollment=other_enrollment, provider=provider)


# --- List -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["alice", "bob", "sam"])
def test_it_lists_the_referrals_of_the_own_team(
    api: APIClient,
    request: pytest.FixtureRequest,
    role: str,
    referral: Referral,
    other_referral: Referral,
) -> None:
    api.force_login(request.getfixturevalue(role))
    response = api.get(REFERRALS_URL)
    assert response.status_code == 200
    assert listed_ids(response) == {referral.pk}


def test_it_hides_another_teams_referrals(
    api: APIClient, charlie: User, referral: Referral, other_referral: Referral
) -> None:
    api.force_login(charlie)
    response = api.get(REFERRALS_URL)
    assert listed_ids(response) == {other_referral.pk}


@pytest.mark.parametrize("role", ["ada", "quinn"])
def test_it_lists_every_referral_agency_wide(
    api: APIClient,
    request: pytest.FixtureRequest,
    role: str,
    referral: Referral,
    other_referral: Referral,
) -> None:
    api.force_login(request.getfixturevalue(role))
    response = api.get(REFERRALS_URL)
    assert listed_ids(response) == {referral.pk, other_referral.pk}


def test_it_filters_referrals_by_client(
    api: APIClient, alice: User, referral: Referral, provider: Provider
) -> None:
    elsewhere = factories.ReferralFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice), provider=provider
    )
    api.force_login(alice)
    response = api.get(REFERRALS_URL, {"client": elsewhere.enrollment.client_id})
    assert listed_ids(response) == {elsewhere.pk}


def test_it_filters_referrals_by_enrollment(
    api: APIClient, alice: User, referral: Referral, provider: Provider
) -> None:
    factories.ReferralFactory(
        enrollment=factories.EnrollmentFactory(case_manager=alice), provider=provider
    )
    api.force_login(alice)
    response = api.get(REFERRALS_URL, {"enrollment": referral.enrollment_id})
    assert listed_ids(response) == {referral.pk}


def test_it_filters_referrals_by_status(
    api: APIClient, alice: User, referral: Referral, enrollment: Enrollment, provider: Provider
) -> None:
    sent = factories.ReferralFactory(enrollment=enrollment, provider=provider)
    move(sent, ReferralStatus.SENT, by=alice, on=today())
    api.force_login(alice)
    response = api.get(REFERRALS_URL, {"status": ReferralStatus.SENT})
    assert listed_ids(response) == {sent.pk}


def test_it_filters_referrals_by_case_manager(
    api: APIClient, sam: User, bob: User, referral: Referral, provider: Provider
) -> None:
    bobs = factories.ReferralFactory(
        enrollment=factories.EnrollmentFactory(case_manager=bob), provider=provider
    )
    api.force_login(sam)
    response = api.get(REFERRALS_URL, {"case_manager": bob.pk})
    assert listed_ids(response) == {bobs.pk}


def test_it_filters_referrals_by_team(
    api: APIClient, ada: User, team: Team, referral: Referral, other_referral: Referral
) -> None:
    api.force_login(ada)
    response = api.get(REFERRALS_URL, {"team": team.pk})
    assert listed_ids(response) == {referral.pk}


def test_it_lists_the_referrals_due_for_follow_up(
    api: APIClient, alice: User, referral: Referral, enrollment: Enrollment, provider: Provider
) -> None:
    overdue = factories.ReferralFactory(enrollment=enrollment, provider=provider)
    move(overdue, ReferralStatus.SENT, by=alice, on=days_ago(20))  # due six days ago
    later = factories.ReferralFactory(enrollment=enrollment, provider=provider)
    move(later, ReferralStatus.SENT, by=alice, on=today())  # due in two weeks
    api.force_login(alice)
    response = api.get(REFERRALS_URL, {"due_before": today().isoformat()})
    assert listed_ids(response) == {overdue.pk}


def test_it_lists_the_soonest_follow_up_first(
    api: APIClient, alice: User, referral: Referral, enrollment: Enrollment, provider: Provider
) -> None:
    later = factories.ReferralFactory(enrollment=enrollment, provider=provider)
    move(later, ReferralStatus.SENT, by=alice, on=today())
    sooner = factories.ReferralFactory(enrollment=enrollment, provider=provider)
    move(sooner, ReferralStatus.SENT, by=alice, on=days_ago(3))
    api.force_login(alice)
    response = api.get(REFERRALS_URL)
    assert [row["id"] for row in response.json()["results"]] == [sooner.pk, later.pk, referral.pk]


def test_it_lists_a_goal_linked_referral(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    goal = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=enrollment, active=True)
    )
    linked = factories.ReferralFactory(enrollment=enrollment, provider=provider, goal=goal)
    api.force_login(alice)
    response = api.get(REFERRALS_URL)
    [row] = response.json()["results"]
    assert (row["id"], row["goal"]) == (linked.pk, goal.pk)


def test_it_lists_referrals_in_a_constant_number_of_queries(api: APIClient, alice: User) -> None:
    api.force_login(alice)

    def record(count: int) -> None:
        for _ in range(count):
            referral = factories.ReferralFactory(
                enrollment=factories.EnrollmentFactory(case_manager=alice)
            )
            move(referral, ReferralStatus.SENT, by=alice, on=days_ago(2))
            move(referral, ReferralStatus.ACCEPTED, by=alice, on=days_ago(1))

    assert_list_queries_constant(api, REFERRALS_URL, record)


# --- Retrieve ---------------------------------------------------------------------------------


def test_it_retrieves_a_referral_with_its_steps(
    api: APIClient, bob: User, alice: User, referral: Referral
) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    api.force_login(bob)
    response = api.get(referral_url(referral))
    assert response.status_code == 200
    [step] = response.json()["steps"]
    assert (step["from_status"], step["to_status"], step["occurred_on"], step["by"]) == (
        "draft",
        "sent",
        days_ago(3).isoformat(),
        alice.pk,
    )


def test_it_retrieves_a_referral_with_its_follow_up_date(
    api: APIClient, alice: User, referral: Referral
) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    api.force_login(alice)
    response = api.get(referral_url(referral))
    assert response.json()["follow_up_due_on"] == (days_ago(3) + dt.timedelta(days=14)).isoformat()


def test_it_offers_only_the_allowed_next_steps(
    api: APIClient, alice: User, referral: Referral
) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    move(referral, ReferralStatus.ACCEPTED, by=alice, on=days_ago(1))
    api.force_login(alice)
    response = api.get(referral_url(referral))
    assert response.json()["allowed_next"] == [
        "declined_by_client",
        "appointment_scheduled",
        "closed",
    ]


def test_it_offers_nothing_after_closing(api: APIClient, alice: User, referral: Referral) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    move(referral, ReferralStatus.DECLINED_BY_PROVIDER, by=alice, on=days_ago(2))
    move(referral, ReferralStatus.CLOSED, by=alice, on=days_ago(1))
    api.force_login(alice)
    response = api.get(referral_url(referral))
    assert response.json()["allowed_next"] == []


def test_it_logs_a_denied_row_with_the_client_for_another_teams_referral(
    api: APIClient, charlie: User, referral: Referral
) -> None:
    api.force_login(charlie)
    api.get(referral_url(referral))
    assert AccessLog.objects.filter(
        user=charlie,
        client=referral.enrollment.client,
        action=AccessLog.Action.DENIED,
        path=referral_url(referral),
    ).exists()


def test_it_does_not_delete_a_referral(api: APIClient, alice: User, referral: Referral) -> None:
    api.force_login(alice)
    response = api.delete(referral_url(referral))
    assert response.status_code == 405
    assert Referral.objects.filter(pk=referral.pk).exists()


# --- Create -----------------------------------------------------------------------------------


def test_it_makes_a_draft_referral(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL, referral_body(enrollment=enrollment, provider=provider), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["client"], body["allowed_next"]) == (
        "draft",
        enrollment.client_id,
        ["sent"],
    )
    referral = Referral.objects.get(pk=body["id"])
    assert (referral.created_by, referral.categories) == (alice, ["identifying", "service_plan"])


def test_it_makes_a_referral_from_a_goal_of_the_active_plan(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    goal = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=enrollment, active=True)
    )
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL,
        referral_body(enrollment=enrollment, provider=provider, goal=goal.pk),
        format="json",
    )
    assert response.status_code == 201
    assert Referral.objects.get().goal == goal


def test_it_makes_a_referral_that_shares_nothing(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL,
        referral_body(
            enrollment=enrollment, provider=provider, shares_information=False, categories=[]
        ),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["shares_information"] is False


def test_it_rejects_a_referral_to_an_inactive_provider(
    api: APIClient, alice: User, enrollment: Enrollment
) -> None:
    closed = factories.ProviderFactory(is_active=False)
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL, referral_body(enrollment=enrollment, provider=closed), format="json"
    )
    assert response.status_code == 400
    assert "provider" in response.json()
    assert not Referral.objects.exists()


def test_it_rejects_another_providers_service(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    elsewhere = factories.ProviderFactory(service_type=ServiceType.HOUSING)
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL,
        referral_body(
            enrollment=enrollment, provider=provider, service=elsewhere.services.get().pk
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "service" in response.json()
    assert not Referral.objects.exists()


def test_it_rejects_a_goal_outside_the_active_plan(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    draft_goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL,
        referral_body(enrollment=enrollment, provider=provider, goal=draft_goal.pk),
        format="json",
    )
    assert response.status_code == 400
    assert "goal" in response.json()
    assert not Referral.objects.exists()


def test_it_rejects_a_referral_sharing_unnamed_information(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL,
        referral_body(enrollment=enrollment, provider=provider, categories=[]),
        format="json",
    )
    assert response.status_code == 400
    assert "categories" in response.json()
    assert not Referral.objects.exists()


def test_it_rejects_a_referral_without_a_reason(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL,
        referral_body(enrollment=enrollment, provider=provider, reason=""),
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not Referral.objects.exists()


def test_it_rejects_a_referral_for_another_teams_enrollment(
    api: APIClient, alice: User, other_enrollment: Enrollment, provider: Provider
) -> None:
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL,
        referral_body(enrollment=other_enrollment, provider=provider),
        format="json",
    )
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert not Referral.objects.exists()


def test_it_rejects_another_teams_goal(
    api: APIClient,
    alice: User,
    enrollment: Enrollment,
    other_enrollment: Enrollment,
    provider: Provider,
) -> None:
    theirs = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=other_enrollment, active=True)
    )
    api.force_login(alice)
    response = api.post(
        REFERRALS_URL,
        referral_body(enrollment=enrollment, provider=provider, goal=theirs.pk),
        format="json",
    )
    assert response.status_code == 400
    assert "goal" in response.json()
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", ["bob", "ada", "quinn"])
def test_it_forbids_a_referral_off_the_caseload(
    api: APIClient,
    request: pytest.FixtureRequest,
    role: str,
    enrollment: Enrollment,
    provider: Provider,
) -> None:
    api.force_login(request.getfixturevalue(role))
    response = api.post(
        REFERRALS_URL, referral_body(enrollment=enrollment, provider=provider), format="json"
    )
    assert response.status_code == 403
    assert not Referral.objects.exists()


# --- Transitions ------------------------------------------------------------------------------


def test_it_sends_a_referral_under_a_covering_consent(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.SENT, note="Faxed the intake form.")
    assert response.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.consent, referral.follow_up_due_on) == (
        ReferralStatus.SENT,
        consent,
        today() + dt.timedelta(days=14),
    )
    step = referral.steps.get()
    assert (step.occurred_on, step.by, step.note) == (today(), alice, "Faxed the intake form.")


def test_it_follows_a_referral_to_its_first_appointment(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(alice)
    follow_up_days = referral.enrollment.program.referral_follow_up_days
    answers = [
        transition(api, referral, to_status, occurred_on=on.isoformat())
        for to_status, on in [
            (ReferralStatus.SENT, days_ago(10)),
            (ReferralStatus.ACCEPTED, days_ago(5)),
            (ReferralStatus.APPOINTMENT_SCHEDULED, days_ago(2)),
        ]
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.json()["follow_up_due_on"] for answer in answers] == [
        (days_ago(n) + dt.timedelta(days=follow_up_days)).isoformat() for n in (10, 5, 2)
    ]
    assert [step["to_status"] for step in answers[-1].json()["steps"]] == [
        "sent",
        "accepted",
        "appointment_scheduled",
    ]


def test_it_refuses_to_send_without_a_consent(
    api: APIClient, alice: User, referral: Referral
) -> None:
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.SENT)
    assert response.status_code == 400
    [message] = response.json()["consent"]
    assert "a signed release of information for this provider" in message


def test_it_changes_nothing_when_sending_is_refused(
    api: APIClient, alice: User, referral: Referral
) -> None:
    api.force_login(alice)
    transition(api, referral, ReferralStatus.SENT)
    referral.refresh_from_db()
    assert (referral.status, referral.consent, referral.follow_up_due_on) == (
        ReferralStatus.DRAFT,
        None,
        None,
    )
    assert not referral.steps.exists()


def test_it_names_the_category_a_consent_does_not_cover(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    Referral.objects.filter(pk=referral.pk).update(categories=["identifying", "assessment"])
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.SENT)
    assert response.status_code == 400
    [message] = response.json()["consent"]
    assert "consent to disclose: assessment" in message


def test_it_refuses_to_send_under_a_revoked_consent(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    Consent.objects.filter(pk=consent.pk).update(revoked_on=days_ago(1))
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.SENT)
    assert response.status_code == 400
    assert "revoked" in response.json()["consent"][0]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


def test_it_sends_under_a_consent_to_the_providers_class(
    api: APIClient, alice: User, referral: Referral, client_record: Client
) -> None:
    factories.ConsentFactory(
        client=client_record,
        recipient_provider=None,
        recipient_class=ServiceType.SUBSTANCE_USE,
        signed_on=days_ago(30),
    )
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.SENT)
    assert response.status_code == 200


def test_it_sends_a_referral_that_shares_nothing_without_a_consent(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider
) -> None:
    referral = factories.ReferralFactory(
        enrollment=enrollment, provider=provider, shares_information=False, categories=[]
    )
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.SENT)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["consent"]) == ("sent", None)


def test_it_refuses_an_illegal_transition(api: APIClient, alice: User, referral: Referral) -> None:
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.ATTENDED)
    assert response.status_code == 400
    assert "to_status" in response.json()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not referral.steps.exists()


def test_it_refuses_any_step_after_closing(api: APIClient, alice: User, referral: Referral) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    move(referral, ReferralStatus.DECLINED_BY_PROVIDER, by=alice, on=days_ago(2))
    move(referral, ReferralStatus.CLOSED, by=alice, on=days_ago(1))
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.ACCEPTED)
    assert response.status_code == 400
    assert "closed" in response.json()["to_status"][0]
    assert referral.steps.count() == 3


def test_it_refuses_an_unknown_status(api: APIClient, alice: User, referral: Referral) -> None:
    api.force_login(alice)
    response = transition(api, referral, "teleported")
    assert response.status_code == 400
    assert "to_status" in response.json()


def test_it_refuses_a_step_dated_in_the_future(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(alice)
    tomorrow = today() + dt.timedelta(days=1)
    response = transition(api, referral, ReferralStatus.SENT, occurred_on=tomorrow.isoformat())
    assert response.status_code == 400
    assert "occurred_on" in response.json()
    assert not referral.steps.exists()


def test_it_refuses_a_step_before_the_last_one(
    api: APIClient, alice: User, referral: Referral
) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    api.force_login(alice)
    response = transition(
        api, referral, ReferralStatus.ACCEPTED, occurred_on=days_ago(4).isoformat()
    )
    assert response.status_code == 400
    assert "occurred_on" in response.json()
    assert referral.steps.count() == 1


def test_it_requires_an_outcome_when_closing(
    api: APIClient, alice: User, referral: Referral
) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    move(referral, ReferralStatus.DECLINED_BY_CLIENT, by=alice, on=days_ago(2))
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.CLOSED)
    assert response.status_code == 400
    assert "note" in response.json()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED_BY_CLIENT


def test_it_closes_a_referral_with_its_outcome(
    api: APIClient, alice: User, referral: Referral
) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    move(referral, ReferralStatus.DECLINED_BY_CLIENT, by=alice, on=days_ago(2))
    api.force_login(alice)
    response = transition(api, referral, ReferralStatus.CLOSED, note="Chose a program nearer.")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["outcome"], body["follow_up_due_on"]) == (
        "closed",
        "Chose a program nearer.",
        None,
    )


def test_it_forbids_a_teammate_moving_a_referral(
    api: APIClient, bob: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(bob)
    response = transition(api, referral, ReferralStatus.SENT)
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


def test_it_lets_the_supervisor_move_a_referral(
    api: APIClient, sam: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(sam)
    response = transition(api, referral, ReferralStatus.SENT)
    assert response.status_code == 200


def test_it_answers_404_to_moving_another_teams_referral(
    api: APIClient, charlie: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(charlie)
    response = transition(api, referral, ReferralStatus.SENT)
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


# --- Follow-up --------------------------------------------------------------------------------


def test_it_sets_the_follow_up_date(api: APIClient, alice: User, referral: Referral) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    api.force_login(alice)
    in_a_week = today() + dt.timedelta(days=7)
    response = api.post(
        follow_up_url(referral), {"follow_up_due_on": in_a_week.isoformat()}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["follow_up_due_on"] == in_a_week.isoformat()
    referral.refresh_from_db()
    assert referral.follow_up_due_on == in_a_week


def test_it_rejects_a_follow_up_date_in_the_past(
    api: APIClient, alice: User, referral: Referral
) -> None:
    move(referral, ReferralStatus.SENT, by=alice, on=days_ago(3))
    due = referral.follow_up_due_on
    api.force_login(alice)
    response = api.post(
        follow_up_url(referral), {"follow_up_due_on": days_ago(1).isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert "follow_up_due_on" in response.json()
    referral.refresh_from_db()
    assert referral.follow_up_due_on == due


def test_it_rejects_a_follow_up_of_an_engaged_referral(
    api: APIClient, alice: User, referral: Referral
) -> None:
    for to_status, n in [
        (ReferralStatus.SENT, 5),
        (ReferralStatus.ACCEPTED, 4),
        (ReferralStatus.APPOINTMENT_SCHEDULED, 3),
        (ReferralStatus.ATTENDED, 2),
        (ReferralStatus.ENGAGED, 1),
    ]:
        move(referral, to_status, by=alice, on=days_ago(n))
    api.force_login(alice)
    response = api.post(
        follow_up_url(referral), {"follow_up_due_on": today().isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert "follow_up_due_on" in response.json()


def test_it_forbids_a_teammate_setting_a_follow_up(
    api: APIClient, bob: User, referral: Referral
) -> None:
    api.force_login(bob)
    response = api.post(
        follow_up_url(referral), {"follow_up_due_on": today().isoformat()}, format="json"
    )
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.follow_up_due_on is None


# --- Packet: the disclosure -------------------------------------------------------------------


def test_it_records_a_packet_as_one_disclosure(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(alice)
    response = api.post(packet_url(referral))
    assert response.status_code == 201
    disclosure = Disclosure.objects.get()
    assert (
        disclosure.client,
        disclosure.referral,
        disclosure.consent,
        disclosure.recipient,
        disclosure.categories,
        disclosure.by,
    ) == (
        referral.enrollment.client,
        referral,
        consent,
        referral.provider,
        ["identifying", "service_plan"],
        alice,
    )


def test_it_answers_a_packet_with_the_disclosure(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(alice)
    response = api.post(packet_url(referral))
    body = response.json()
    assert (body["recipient"], body["recipient_name"], body["categories"], body["consent"]) == (
        referral.provider_id,
        "Harbor Recovery",
        ["identifying", "service_plan"],
        consent.pk,
    )
    assert body["disclosed_at"]


def test_it_refuses_a_packet_without_a_covering_consent(
    api: APIClient, alice: User, referral: Referral
) -> None:
    api.force_login(alice)
    response = api.post(packet_url(referral))
    assert response.status_code == 400
    assert "consent" in response.json()
    assert not Disclosure.objects.exists()


def test_it_refuses_a_packet_under_an_expired_consent(
    api: APIClient, alice: User, referral: Referral, consent: Consent
) -> None:
    Consent.objects.filter(pk=consent.pk).update(expires_on=days_ago(1))
    api.force_login(alice)
    response = api.post(packet_url(referral))
    assert response.status_code == 400
    assert "expired" in response.json()["consent"][0]
    assert not Disclosure.objects.exists()


def test_it_refuses_a_packet_for_a_referral_that_shares_nothing(
    api: APIClient, alice: User, enrollment: Enrollment, provider: Provider, consent: Consent
) -> None:
    referral = factories.ReferralFactory(
        enrollment=enrollment, provider=provider, shares_information=False, categories=[]
    )
    api.force_login(alice)
    response = api.post(packet_url(referral))
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Disclosure.objects.exists()


def test_it_forbids_a_teammate_producing_a_packet(
    api: APIClient, bob: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(bob)
    response = api.post(packet_url(referral))
    assert response.status_code == 403
    assert not Disclosure.objects.exists()


def test_it_answers_404_to_a_packet_of_another_teams_referral(
    api: APIClient, charlie: User, referral: Referral, consent: Consent
) -> None:
    api.force_login(charlie)
    response = api.post(packet_url(referral))
    assert response.status_code == 404
    assert not Disclosure.objects.exists()
