"""The referral pages: a new referral from the client page or a plan goal, the referral page
with its steps, next steps and follow-up date, the referral list, and the client page's
referral card."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral, ReferralStep
from referrals.models import ReferralStatus as S
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return factories.ProviderFactory(name="Riverside Recovery", languages=["English", "Spanish"])


@pytest.fixture
def active_goal(enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    return factories.GoalFactory(plan=plan, client_words="I want to stay sober for my kids.")


@pytest.fixture
def referral(enrollment, provider):
    return factories.ReferralFactory(enrollment=enrollment, provider=provider)


@pytest.fixture
def consent(client_record, provider):
    return factories.ConsentFactory(client=client_record, recipient_provider=provider)


def _new_url(client_record, **query):
    url = reverse("referrals:referral_create", args=[client_record.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _referral_data(enrollment, provider, **overrides):
    data = {
        "enrollment": enrollment.pk,
        "provider": provider.pk,
        "service": provider.services.get().pk,
        "reason": "Outpatient treatment close to home.",
        "urgency": "routine",
        "client_readiness": "Preparation",
        "barriers": "No car.",
        "shares_information": "on",
        "categories": ["identifying", "service_plan"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- New referral -----------------------------------------------------------------------------


def test_it_shows_the_new_referral_form(client, alice, client_record, provider):
    client.force_login(alice)
    response = client.get(_new_url(client_record))
    assert response.status_code == 200
    assert "Riverside Recovery" in response.content.decode()


def test_it_offers_only_active_providers(client, alice, client_record, provider):
    factories.ProviderFactory(name="Closed Clinic", is_active=False)
    client.force_login(alice)
    response = client.get(_new_url(client_record))
    assert "Closed Clinic" not in response.content.decode()


def test_the_directory_filters_narrow_the_providers(client, alice, client_record, provider):
    factories.ProviderFactory(name="Northside Housing", service_type="housing")
    client.force_login(alice)
    response = client.get(_new_url(client_record, language="spanish", service_type="substance_use"))
    page = response.content.decode()
    assert "Riverside Recovery" in page
    assert "Northside Housing" not in page


def test_it_opens_for_a_client_whose_screen_records_a_stage_of_change(
    client, alice, client_record, enrollment, provider
):
    # Issue 11: the form used to read the stage's label through a field attribute that does
    # not exist, and answered 500 for any client screened with a stage of change.
    factories.RiskScreenFactory(
        enrollment=enrollment,
        screened_on=dt.date(2026, 3, 2),
        substance_use_stage="preparation",
        mental_health_stage="contemplation",
    )
    client.force_login(alice)
    response = client.get(_new_url(client_record))
    assert response.status_code == 200
    assert response.context["form"].initial["client_readiness"] == (
        "Stage of change (2026-03-02): substance use: Preparation; mental health: Contemplation"
    )


def test_it_leaves_the_readiness_blank_when_the_screen_records_no_stage(
    client, alice, client_record, enrollment, provider
):
    factories.RiskScreenFactory(enrollment=enrollment)
    client.force_login(alice)
    response = client.get(_new_url(client_record))
    assert "client_readiness" not in response.context["form"].initial


def test_it_preselects_the_goal_it_was_opened_from(client, alice, client_record, active_goal):
    client.force_login(alice)
    response = client.get(_new_url(client_record, goal=active_goal.pk))
    form = response.context["form"]
    assert form.initial["goal"] == active_goal.pk
    assert form.initial["enrollment"] == active_goal.plan.enrollment_id
    assert "I want to stay sober for my kids." in response.content.decode()


def test_it_ignores_a_goal_of_a_draft_plan(client, alice, client_record, enrollment):
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    client.force_login(alice)
    response = client.get(_new_url(client_record, goal=goal.pk))
    assert response.context["form"].initial["goal"] is None


def test_it_drafts_a_referral_linked_to_the_goal(
    client, alice, client_record, enrollment, provider, active_goal
):
    client.force_login(alice)
    response = client.post(
        _new_url(client_record, goal=active_goal.pk),
        _referral_data(enrollment, provider, goal=active_goal.pk),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    assert (referral.goal, referral.provider, referral.status, referral.created_by) == (
        active_goal,
        provider,
        S.DRAFT,
        alice,
    )
    assert referral.categories == ["identifying", "service_plan"]


def test_it_drafts_a_referral_that_shares_nothing(
    client, alice, client_record, enrollment, provider
):
    client.force_login(alice)
    client.post(
        _new_url(client_record),
        _referral_data(enrollment, provider, shares_information=None, categories=None),
    )
    referral = Referral.objects.get()
    assert (referral.shares_information, referral.categories) == (False, [])


def test_it_refuses_an_inactive_provider_with_a_message(client, alice, client_record, enrollment):
    closed = factories.ProviderFactory(name="Closed Clinic", is_active=False)
    client.force_login(alice)
    response = client.post(
        _new_url(client_record), _referral_data(enrollment, closed, service=None)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["provider"] == [
        "This provider is inactive; choose another."
    ]
    assert not Referral.objects.exists()


def test_it_refuses_a_service_of_another_provider(
    client, alice, client_record, enrollment, provider
):
    other = factories.ProviderFactory()
    client.force_login(alice)
    response = client.post(
        _new_url(client_record),
        _referral_data(enrollment, provider, service=other.services.get().pk),
    )
    assert response.status_code == 400
    assert "service" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_it_answers_400_without_a_reason(client, alice, client_record, enrollment, provider):
    client.force_login(alice)
    response = client.post(_new_url(client_record), _referral_data(enrollment, provider, reason=""))
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_it_answers_400_when_sharing_without_categories(
    client, alice, client_record, enrollment, provider
):
    client.force_login(alice)
    response = client.post(
        _new_url(client_record), _referral_data(enrollment, provider, categories=None)
    )
    assert response.status_code == 400
    assert "categories" in response.context["form"].errors


def test_it_answers_403_to_a_teammate(client, bob, client_record, enrollment, provider):
    client.force_login(bob)
    response = client.post(_new_url(client_record), _referral_data(enrollment, provider))
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_it_answers_404_to_another_team(client, charlie, client_record, enrollment, provider):
    client.force_login(charlie)
    response = client.post(_new_url(client_record), _referral_data(enrollment, provider))
    assert response.status_code == 404
    assert not Referral.objects.exists()


# --- The referral page ------------------------------------------------------------------------


def _detail(client, referral):
    return client.get(reverse("referrals:referral_detail", args=[referral.pk]))


def test_it_shows_every_step_with_date_author_and_note(client, alice, sam, referral):
    ReferralStep.objects.create(
        referral=referral,
        from_status=S.DRAFT,
        to_status=S.SENT,
        occurred_on=dt.date(2026, 3, 2),
        by=sam,
        note="Faxed the packet.",
    )
    client.force_login(alice)
    page = _detail(client, referral).content.decode()
    assert "2026-03-02" in page
    assert "Faxed the packet." in page
    assert "Sam" in page


def test_it_shows_the_follow_up_due(client, alice, referral):
    referral.status, referral.follow_up_due_on = S.SENT, timezone.localdate() + dt.timedelta(3)
    referral.save()
    client.force_login(alice)
    response = _detail(client, referral)
    assert response.context["follow_up"].label == "due in 3 days"
    assert "due in 3 days" in response.content.decode()


@pytest.mark.parametrize(("days", "tone"), [(3, "warning"), (4, "light"), (-1, "danger")])
def test_it_marks_a_follow_up_due_within_three_days(client, alice, referral, days, tone):
    referral.status = S.SENT
    referral.follow_up_due_on = timezone.localdate() + dt.timedelta(days)
    referral.save()
    client.force_login(alice)
    assert (
        f'class="badge text-bg-{tone} follow-up-label"'
        in _detail(client, referral).content.decode()
    )


def test_it_shows_an_overdue_follow_up(client, alice, referral):
    referral.status, referral.follow_up_due_on = S.SENT, timezone.localdate() - dt.timedelta(2)
    referral.save()
    client.force_login(alice)
    assert "overdue by 2 days" in _detail(client, referral).content.decode()


def test_it_offers_only_the_allowed_next_steps(client, alice, referral):
    referral.status = S.ACCEPTED
    referral.save()
    client.force_login(alice)
    form = _detail(client, referral).context["transition_form"]
    assert [value for value, _ in form.fields["to_status"].choices] == [
        S.DECLINED_BY_CLIENT,
        S.APPOINTMENT_SCHEDULED,
        S.CLOSED,
    ]


def test_it_offers_no_step_after_closed(client, alice, referral):
    referral.status = S.CLOSED
    referral.save()
    client.force_login(alice)
    response = _detail(client, referral)
    assert response.context["transition_form"] is None
    assert response.context["follow_up_form"] is None


def test_it_offers_a_teammate_no_forms(client, bob, referral):
    client.force_login(bob)
    response = _detail(client, referral)
    assert response.status_code == 200
    assert response.context["transition_form"] is None
    assert response.context["follow_up_form"] is None


def test_it_marks_a_referral_that_shares_nothing(client, alice, enrollment, provider):
    referral = factories.ReferralFactory(
        enrollment=enrollment, provider=provider, shares_information=False, categories=[]
    )
    client.force_login(alice)
    assert "Shares no information" in _detail(client, referral).content.decode()


# --- Transitions ------------------------------------------------------------------------------


def _step(client, referral, to_status, *, occurred_on=None, note=""):
    return client.post(
        reverse("referrals:referral_transition", args=[referral.pk]),
        {
            "to_status": to_status,
            "occurred_on": (occurred_on or timezone.localdate()).isoformat(),
            "note": note,
        },
    )


def test_it_sends_a_referral_under_a_consent(client, alice, referral, consent):
    client.force_login(alice)
    response = _step(client, referral, S.SENT, note="Called the intake line.")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.consent) == (S.SENT, consent)
    step = referral.steps.get()
    assert (step.by, step.note) == (alice, "Called the intake line.")


def test_sending_without_a_consent_says_what_is_missing_and_links_to_a_consent(
    client, alice, referral
):
    client.force_login(alice)
    response = _step(client, referral, S.SENT)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not sent: no release of information covers this referral. Missing:" in page
    consent_url = reverse("referrals:consent_create", args=[referral.enrollment.client_id])
    assert f"{consent_url}?provider={referral.provider_id}" in page
    assert response.context["consent_missing"] is True
    referral.refresh_from_db()
    assert referral.status == S.DRAFT
    assert not referral.steps.exists()


def test_it_refuses_a_step_that_is_not_offered(client, alice, referral):
    client.force_login(alice)
    response = _step(client, referral, S.ATTENDED)
    assert response.status_code == 400
    assert "to_status" in response.context["transition_form"].errors
    assert not referral.steps.exists()


def test_closing_without_an_outcome_answers_400(client, alice, referral):
    referral.status = S.ATTENDED
    referral.save()
    client.force_login(alice)
    response = _step(client, referral, S.CLOSED)
    assert response.status_code == 400
    assert response.context["transition_form"].errors["note"] == [
        "Record the outcome when closing a referral."
    ]


def test_a_future_step_date_answers_400(client, alice, referral, consent):
    client.force_login(alice)
    response = _step(
        client, referral, S.SENT, occurred_on=timezone.localdate() + dt.timedelta(days=1)
    )
    assert response.status_code == 400
    assert "occurred_on" in response.context["transition_form"].errors


def test_a_teammate_cannot_move_a_referral(client, bob, referral, consent):
    client.force_login(bob)
    assert _step(client, referral, S.SENT).status_code == 403
    assert not referral.steps.exists()


def test_another_team_cannot_move_a_referral(client, charlie, referral, consent):
    client.force_login(charlie)
    assert _step(client, referral, S.SENT).status_code == 404
    assert not referral.steps.exists()


# --- Follow-up date ---------------------------------------------------------------------------


def _follow_up(client, referral, day):
    return client.post(
        reverse("referrals:referral_follow_up", args=[referral.pk]),
        {"follow_up_due_on": day.isoformat()},
    )


def test_it_sets_the_follow_up_date(client, alice, referral):
    later = timezone.localdate() + dt.timedelta(days=5)
    client.force_login(alice)
    assert _follow_up(client, referral, later).status_code == 302
    referral.refresh_from_db()
    assert referral.follow_up_due_on == later


def test_it_refuses_a_follow_up_date_in_the_past(client, alice, referral):
    client.force_login(alice)
    response = _follow_up(client, referral, timezone.localdate() - dt.timedelta(days=1))
    assert response.status_code == 400
    assert response.context["follow_up_form"].errors["follow_up_due_on"] == [
        "A follow-up date cannot be in the past."
    ]
    referral.refresh_from_db()
    assert referral.follow_up_due_on is None


# --- The referral list ------------------------------------------------------------------------


def _due(enrollment, provider, days, status=S.SENT):
    return factories.ReferralFactory(
        enrollment=enrollment,
        provider=provider,
        status=status,
        follow_up_due_on=timezone.localdate() + dt.timedelta(days=days)
        if days is not None
        else None,
    )


def test_it_lists_a_case_managers_referrals_soonest_due_first(client, alice, enrollment, provider):
    later = _due(enrollment, provider, 10)
    overdue = _due(enrollment, provider, -3)
    draft = _due(enrollment, provider, None, status=S.DRAFT)
    _due(enrollment, provider, None, status=S.CLOSED)
    client.force_login(alice)
    response = client.get(reverse("referrals:referral_list"))
    assert [row.referral for row in response.context["rows"]] == [overdue, later, draft]
    assert 'class="referral-row table-danger overdue"' in response.content.decode()
    assert "overdue by 3 days" in response.content.decode()


def test_it_adds_finished_referrals_when_asked(client, alice, enrollment, provider):
    closed = _due(enrollment, provider, None, status=S.CLOSED)
    client.force_login(alice)
    response = client.get(reverse("referrals:referral_list"), {"show": "all"})
    assert closed in [row.referral for row in response.context["rows"]]


def test_a_case_manager_sees_only_their_own_referrals(client, alice, bob, enrollment, provider):
    _due(factories.EnrollmentFactory(case_manager=bob), provider, 1)
    mine = _due(enrollment, provider, 2)
    client.force_login(alice)
    response = client.get(reverse("referrals:referral_list"), {"case_manager": bob.pk})
    assert [row.referral for row in response.context["rows"]] == [mine]


def test_a_supervisor_sees_the_team_and_switches_to_a_case_manager(
    client, alice, bob, sam, enrollment, provider
):
    hers = _due(enrollment, provider, 2)
    his = _due(factories.EnrollmentFactory(case_manager=bob), provider, 1)
    client.force_login(sam)
    team = client.get(reverse("referrals:referral_list"))
    assert [row.referral for row in team.context["rows"]] == [his, hers]
    one = client.get(reverse("referrals:referral_list"), {"case_manager": alice.pk})
    assert [row.referral for row in one.context["rows"]] == [hers]


def test_a_supervisor_cannot_pick_a_case_manager_of_another_team(client, sam, charlie):
    client.force_login(sam)
    response = client.get(reverse("referrals:referral_list"), {"case_manager": charlie.pk})
    assert response.status_code == 404


def test_an_administrator_picks_any_team(client, ada, charlie, other_enrollment, provider):
    theirs = _due(other_enrollment, provider, 1)
    client.force_login(ada)
    response = client.get(reverse("referrals:referral_list"), {"team": other_enrollment.team_id})
    assert [row.referral for row in response.context["rows"]] == [theirs]


def _queries_for_the_list(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("referrals:referral_list"))
    assert response.status_code == 200
    return len(queries)


def test_the_list_uses_the_same_number_of_queries_at_5_and_50_referrals(client, alice, enrollment):
    def add(n):
        for i in range(n):
            other = factories.EnrollmentFactory(case_manager=alice)
            provider = factories.ProviderFactory()
            service = provider.services.get()
            factories.ReferralFactory(
                enrollment=other if i % 2 else enrollment,
                provider=provider,
                service=service,
                status=S.SENT,
                follow_up_due_on=timezone.localdate() + dt.timedelta(days=i - 3),
            )

    add(5)
    at_five = _queries_for_the_list(client, alice)
    add(45)
    assert _queries_for_the_list(client, alice) == at_five


# --- The client page and the plan -------------------------------------------------------------


def test_the_client_page_lists_the_clients_referrals(client, alice, client_record, referral):
    referral.status, referral.follow_up_due_on = S.SENT, timezone.localdate() + dt.timedelta(1)
    referral.save()
    client.force_login(alice)
    response = client.get(reverse("workspace:client", args=[client_record.pk]))
    page = response.content.decode()
    assert [row.referral for row in response.context["referral_rows"]] == [referral]
    assert reverse("referrals:referral_detail", args=[referral.pk]) in page
    assert "due in 1 day" in page
    assert _new_url(client_record) in page


def test_the_client_page_offers_a_teammate_no_new_referral(client, bob, client_record, referral):
    client.force_login(bob)
    page = client.get(reverse("workspace:client", args=[client_record.pk])).content.decode()
    assert reverse("referrals:referral_detail", args=[referral.pk]) in page
    assert _new_url(client_record) not in page


def test_an_active_plans_goal_offers_a_referral(client, alice, client_record, active_goal):
    client.force_login(alice)
    page = client.get(
        reverse("serviceplans:plan_detail", args=[active_goal.plan_id])
    ).content.decode()
    assert f"{_new_url(client_record)}?goal={active_goal.pk}" in page


def test_a_draft_plans_goal_offers_no_referral(client, alice, client_record, enrollment):
    goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    client.force_login(alice)
    page = client.get(reverse("serviceplans:plan_detail", args=[goal.plan_id])).content.decode()
    assert _new_url(client_record) not in page


def test_a_teammate_is_not_offered_a_referral_from_a_goal(client, bob, client_record, active_goal):
    client.force_login(bob)
    page = client.get(
        reverse("serviceplans:plan_detail", args=[active_goal.plan_id])
    ).content.decode()
    assert _new_url(client_record) not in page
