"""The referral services: creating a referral, moving it one allowed step at a time (dated, by
whom, with a note, the follow-up date moving with it), the consent gate on sending, the
follow-up date, and the packet's entry in the accounting of disclosures."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from referrals import services
from referrals.models import Disclosure, Referral, ReferralStep
from referrals.models import ReferralStatus as S
from referrals.transitions import ALLOWED
from serviceplans.models import ServicePlan
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 16, 12, 0), tick=False):
        yield


@pytest.fixture
def provider():
    return factories.ProviderFactory(name="Riverside Recovery")


@pytest.fixture
def referral(enrollment, provider):
    return factories.ReferralFactory(enrollment=enrollment, provider=provider)


@pytest.fixture
def consent(client_record, provider):
    return factories.ConsentFactory(
        client=client_record, recipient_provider=provider, signed_on=TODAY - dt.timedelta(30)
    )


def _create(**overrides):
    arguments = {"reason": "Intensive outpatient treatment.", "categories": ["identifying"]}
    return services.referral_create(**{**arguments, **overrides})


# --- referral_create --------------------------------------------------------------------------


def test_it_creates_a_draft_referral(alice, enrollment, provider):
    referral = _create(actor=alice, enrollment=enrollment, provider=provider)
    assert (referral.status, referral.created_by, referral.follow_up_due_on) == (
        S.DRAFT,
        alice,
        None,
    )
    assert not referral.steps.exists()


def test_it_links_a_referral_to_a_goal_of_the_active_plan(alice, enrollment, provider):
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    goal = factories.GoalFactory(plan=plan)
    referral = _create(actor=alice, enrollment=enrollment, provider=provider, goal=goal)
    assert referral.goal == goal


def test_it_refuses_a_goal_of_a_draft_plan(alice, enrollment, provider):
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    with pytest.raises(ValidationError) as refused:
        _create(actor=alice, enrollment=enrollment, provider=provider, goal=goal)
    assert "goal" in refused.value.message_dict
    assert not Referral.objects.exists()


def test_it_refuses_an_inactive_provider(alice, enrollment):
    closed = factories.ProviderFactory(is_active=False)
    with pytest.raises(ValidationError) as refused:
        _create(actor=alice, enrollment=enrollment, provider=closed)
    assert refused.value.message_dict["provider"] == ["This provider is inactive; choose another."]
    assert not Referral.objects.exists()


def test_it_refuses_a_service_of_another_provider(alice, enrollment, provider):
    elsewhere = factories.ProviderFactory().services.get()
    with pytest.raises(ValidationError) as refused:
        _create(actor=alice, enrollment=enrollment, provider=provider, service=elsewhere)
    assert "service" in refused.value.message_dict


def test_it_requires_categories_when_sharing_information(alice, enrollment, provider):
    with pytest.raises(ValidationError) as refused:
        _create(actor=alice, enrollment=enrollment, provider=provider, categories=[])
    assert "categories" in refused.value.message_dict


def test_it_keeps_no_categories_when_sharing_nothing(alice, enrollment, provider):
    referral = _create(
        actor=alice,
        enrollment=enrollment,
        provider=provider,
        shares_information=False,
        categories=["identifying"],
    )
    assert referral.categories == []


def test_it_refuses_a_closed_enrollment(alice, enrollment, provider):
    enrollment.status, enrollment.closed_on, enrollment.close_reason = "closed", TODAY, "moved"
    enrollment.save()
    with pytest.raises(ValidationError):
        _create(actor=alice, enrollment=enrollment, provider=provider)


def test_it_refuses_a_teammate(bob, enrollment, provider):
    with pytest.raises(PermissionDenied):
        _create(actor=bob, enrollment=enrollment, provider=provider)


def test_it_refuses_another_team(charlie, enrollment, provider):
    with pytest.raises(PermissionDenied):
        _create(actor=charlie, enrollment=enrollment, provider=provider)


def test_it_lets_the_supervisor_refer(sam, enrollment, provider):
    assert _create(actor=sam, enrollment=enrollment, provider=provider).created_by == sam


# --- referral_transition: the lifecycle -------------------------------------------------------

STATUSES = list(S)
ALLOWED_STEPS = [(a, b) for a in STATUSES for b in sorted(ALLOWED[a])]
ILLEGAL_STEPS = [(a, b) for a, b in itertools.product(STATUSES, STATUSES) if b not in ALLOWED[a]]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED_STEPS)
def test_it_takes_every_allowed_step(alice, referral, consent, from_status, to_status):
    referral.status = from_status
    referral.save()
    moved = services.referral_transition(
        actor=alice, referral=referral, to_status=to_status, occurred_on=TODAY, note="Done."
    )
    assert moved.status == to_status
    step = ReferralStep.objects.get(referral=referral)
    assert (step.from_status, step.to_status, step.occurred_on, step.by, step.note) == (
        from_status,
        to_status,
        TODAY,
        alice,
        "Done.",
    )


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL_STEPS)
def test_it_refuses_every_illegal_step(alice, referral, consent, from_status, to_status):
    referral.status = from_status
    referral.save()
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice, referral=referral, to_status=to_status, occurred_on=TODAY, note="x"
        )
    assert "to_status" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == from_status
    assert not referral.steps.exists()


def test_it_says_what_a_referral_can_move_to(alice, referral):
    referral.status = S.ACCEPTED
    referral.save()
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice, referral=referral, to_status=S.ATTENDED, occurred_on=TODAY
        )
    assert refused.value.message_dict["to_status"] == [
        "An accepted referral can move to: appointment scheduled, closed, declined by client."
    ]


def test_it_refuses_anything_after_closed(alice, referral):
    referral.status = S.CLOSED
    referral.save()
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice, referral=referral, to_status=S.SENT, occurred_on=TODAY
        )
    assert "nothing (it is closed)" in refused.value.message_dict["to_status"][0]


# --- The follow-up date -----------------------------------------------------------------------


def test_sending_sets_the_follow_up_from_the_programs_days(alice, referral, consent):
    assert referral.enrollment.program.referral_follow_up_days == 14
    sent = services.referral_transition(
        actor=alice, referral=referral, to_status=S.SENT, occurred_on=YESTERDAY
    )
    assert sent.follow_up_due_on == YESTERDAY + dt.timedelta(days=14)


def test_the_follow_up_moves_with_each_step(alice, referral, consent):
    services.referral_transition(
        actor=alice, referral=referral, to_status=S.SENT, occurred_on=TODAY - dt.timedelta(10)
    )
    accepted = services.referral_transition(
        actor=alice, referral=referral, to_status=S.ACCEPTED, occurred_on=YESTERDAY
    )
    assert accepted.follow_up_due_on == YESTERDAY + dt.timedelta(days=14)


def test_nothing_is_left_to_follow_up_once_engaged(alice, referral):
    referral.status = S.ATTENDED
    referral.follow_up_due_on = TODAY
    referral.save()
    engaged = services.referral_transition(
        actor=alice, referral=referral, to_status=S.ENGAGED, occurred_on=TODAY
    )
    assert engaged.follow_up_due_on is None


def test_it_refuses_a_date_in_the_future(alice, referral, consent):
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice,
            referral=referral,
            to_status=S.SENT,
            occurred_on=TODAY + dt.timedelta(days=1),
        )
    assert "occurred_on" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == S.DRAFT


def test_it_refuses_a_date_before_the_last_step(alice, referral, consent):
    services.referral_transition(
        actor=alice, referral=referral, to_status=S.SENT, occurred_on=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice, referral=referral, to_status=S.ACCEPTED, occurred_on=YESTERDAY
        )
    assert "occurred_on" in refused.value.message_dict


# --- The consent gate on sending --------------------------------------------------------------


def test_sending_without_a_consent_changes_nothing(alice, referral):
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice, referral=referral, to_status=S.SENT, occurred_on=TODAY
        )
    (message,) = refused.value.message_dict["consent"]
    assert message.startswith("Not sent: no release of information covers this referral.")
    assert "Missing: a signed release of information for this provider" in message
    referral.refresh_from_db()
    assert (referral.status, referral.consent, referral.follow_up_due_on) == (S.DRAFT, None, None)
    assert not referral.steps.exists()


def test_the_message_names_what_the_closest_consent_lacks(alice, referral, client_record):
    factories.ConsentFactory(
        client=client_record, recipient_provider=referral.provider, categories=["identifying"]
    )
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice, referral=referral, to_status=S.SENT, occurred_on=TODAY
        )
    assert "consent to disclose: service_plan" in refused.value.message_dict["consent"][0]


def test_sending_under_a_covering_consent_records_it(alice, referral, consent):
    sent = services.referral_transition(
        actor=alice, referral=referral, to_status=S.SENT, occurred_on=TODAY
    )
    assert (sent.status, sent.consent) == (S.SENT, consent)


def test_a_revoked_consent_does_not_cover_sending(alice, referral, consent):
    services.consent_revoke(actor=alice, consent=consent, revoked_on=YESTERDAY)
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice, referral=referral, to_status=S.SENT, occurred_on=TODAY
        )
    assert "revoked" in refused.value.message_dict["consent"][0]


def test_a_referral_that_shares_nothing_is_sent_without_a_consent(alice, enrollment, provider):
    referral = factories.ReferralFactory(
        enrollment=enrollment, provider=provider, shares_information=False, categories=[]
    )
    sent = services.referral_transition(
        actor=alice, referral=referral, to_status=S.SENT, occurred_on=TODAY
    )
    assert (sent.status, sent.shares_information, sent.consent) == (S.SENT, False, None)
    assert sent.follow_up_due_on == TODAY + dt.timedelta(days=14)


# --- Closing ----------------------------------------------------------------------------------


def test_closing_needs_an_outcome(alice, referral):
    referral.status = S.ATTENDED
    referral.save()
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=alice, referral=referral, to_status=S.CLOSED, occurred_on=TODAY, note="  "
        )
    assert "note" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == S.ATTENDED


def test_closing_records_the_outcome(alice, referral):
    referral.status = S.ATTENDED
    referral.save()
    closed = services.referral_transition(
        actor=alice,
        referral=referral,
        to_status=S.CLOSED,
        occurred_on=TODAY,
        note="Completed the intake; continuing with the group.",
    )
    assert closed.outcome == "Completed the intake; continuing with the group."
    assert closed.follow_up_due_on is None


# --- Who may move a referral ------------------------------------------------------------------


def test_another_team_is_refused(charlie, referral, consent):
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=charlie, referral=referral, to_status=S.SENT, occurred_on=TODAY
        )
    referral.refresh_from_db()
    assert referral.status == S.DRAFT


def test_a_teammate_is_refused(bob, referral, consent):
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=bob, referral=referral, to_status=S.SENT, occurred_on=TODAY
        )


def test_the_supervisor_may_move_it(sam, referral, consent):
    sent = services.referral_transition(
        actor=sam, referral=referral, to_status=S.SENT, occurred_on=TODAY
    )
    assert sent.steps.get().by == sam


@pytest.mark.parametrize("reader", ["ada", "quinn"])
def test_readers_are_refused(request, reader, referral, consent):
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=request.getfixturevalue(reader),
            referral=referral,
            to_status=S.SENT,
            occurred_on=TODAY,
        )


# --- referral_set_follow_up -------------------------------------------------------------------


def test_it_sets_the_follow_up_date(alice, referral):
    later = TODAY + dt.timedelta(days=3)
    assert (
        services.referral_set_follow_up(
            actor=alice, referral=referral, follow_up_due_on=later
        ).follow_up_due_on
        == later
    )


def test_it_accepts_today_as_the_follow_up_date(alice, referral):
    updated = services.referral_set_follow_up(
        actor=alice, referral=referral, follow_up_due_on=TODAY
    )
    assert updated.follow_up_due_on == TODAY


def test_it_refuses_a_follow_up_date_in_the_past(alice, referral):
    with pytest.raises(ValidationError) as refused:
        services.referral_set_follow_up(actor=alice, referral=referral, follow_up_due_on=YESTERDAY)
    assert refused.value.message_dict["follow_up_due_on"] == [
        "A follow-up date cannot be in the past."
    ]
    referral.refresh_from_db()
    assert referral.follow_up_due_on is None


def test_it_refuses_a_follow_up_of_a_finished_referral(alice, referral):
    referral.status = S.CLOSED
    referral.save()
    with pytest.raises(ValidationError):
        services.referral_set_follow_up(actor=alice, referral=referral, follow_up_due_on=TODAY)


def test_another_team_cannot_set_the_follow_up(charlie, referral):
    with pytest.raises(PermissionDenied):
        services.referral_set_follow_up(actor=charlie, referral=referral, follow_up_due_on=TODAY)


# --- referral_packet_disclose -----------------------------------------------------------------


def test_a_packet_is_entered_in_the_accounting_of_disclosures(alice, referral, consent):
    disclosure = services.referral_packet_disclose(actor=alice, referral=referral)
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


def test_a_packet_without_a_covering_consent_is_refused(alice, referral):
    with pytest.raises(ValidationError) as refused:
        services.referral_packet_disclose(actor=alice, referral=referral)
    assert refused.value.message_dict["consent"][0].startswith("No packet:")
    assert not Disclosure.objects.exists()


def test_a_packet_under_an_expired_consent_is_refused(alice, referral, consent):
    consent.expires_on = YESTERDAY
    consent.save()
    with pytest.raises(ValidationError) as refused:
        services.referral_packet_disclose(actor=alice, referral=referral)
    assert "expired" in refused.value.message_dict["consent"][0]
    assert not Disclosure.objects.exists()


def test_a_referral_that_shares_nothing_has_no_packet(alice, enrollment, provider):
    referral = factories.ReferralFactory(
        enrollment=enrollment, provider=provider, shares_information=False, categories=[]
    )
    with pytest.raises(ValidationError):
        services.referral_packet_disclose(actor=alice, referral=referral)


def test_another_team_cannot_produce_a_packet(charlie, referral, consent):
    with pytest.raises(PermissionDenied):
        services.referral_packet_disclose(actor=charlie, referral=referral)
    assert not Disclosure.objects.exists()


def test_an_active_plan_is_needed_for_the_goal_even_after_a_new_version(
    alice, enrollment, provider
):
    old = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    goal = factories.GoalFactory(plan=old)
    old.status = ServicePlan.Status.SUPERSEDED
    old.save()
    with pytest.raises(ValidationError):
        _create(actor=alice, enrollment=enrollment, provider=provider, goal=goal)
