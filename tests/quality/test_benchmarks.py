"""quality.benchmarks: which checklist items the record's data answers, one rule at a time,
each on its boundary day. Pure functions of plain values: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from quality.benchmarks import (
    ActionFacts,
    DisclosureFacts,
    GoalFacts,
    PlanFacts,
    RecordFacts,
    ReferralFacts,
    RiskScreenFacts,
    answer_from_data,
    assessment_updated_annually,
    consent_for_each_disclosure,
    contacts_documented,
    initial_assessment_on_time,
    plan_goals_complete,
    referrals_followed_up,
    risk_screen_reviewed,
)
from quality.models import Answer

APPLIED = dt.date(2026, 3, 1)
LATER = dt.date(2026, 12, 1)


def facts(**overrides) -> RecordFacts:
    return RecordFacts(application_date=APPLIED, **overrides)


# --- Initial assessment within 30 days (Idaho standard 7) -------------------------------------


def test_an_assessment_on_day_30_is_on_time() -> None:
    answer = initial_assessment_on_time(
        facts(assessments_completed_on=(dt.date(2026, 3, 31),)), LATER
    )
    assert answer.answer == Answer.MET
    assert "day 30" in answer.evidence


def test_an_assessment_on_day_31_is_late() -> None:
    answer = initial_assessment_on_time(
        facts(assessments_completed_on=(dt.date(2026, 4, 1),)), LATER
    )
    assert answer.answer == Answer.NOT_MET
    assert "day 31" in answer.evidence


def test_no_assessment_is_not_applicable_until_its_due_day() -> None:
    answer = initial_assessment_on_time(facts(), dt.date(2026, 3, 31))
    assert answer.answer == Answer.NOT_APPLICABLE


def test_no_assessment_the_day_after_its_due_day_is_not_met() -> None:
    answer = initial_assessment_on_time(facts(), dt.date(2026, 4, 1))
    assert answer.answer == Answer.NOT_MET


# --- Update at least annually (standard 8) ----------------------------------------------------


def test_an_update_on_the_anniversary_is_on_time() -> None:
    done = (dt.date(2025, 3, 20), dt.date(2026, 3, 20))
    assert assessment_updated_annually(facts(assessments_completed_on=done), LATER).answer == (
        Answer.MET
    )


def test_an_update_the_day_after_the_anniversary_is_late() -> None:
    done = (dt.date(2025, 3, 20), dt.date(2026, 3, 21))
    answer = assessment_updated_annually(facts(assessments_completed_on=done), dt.date(2026, 4, 1))
    assert answer.answer == Answer.NOT_MET


def test_no_update_is_not_applicable_on_the_anniversary() -> None:
    done = (dt.date(2025, 3, 20),)
    answer = assessment_updated_annually(facts(assessments_completed_on=done), dt.date(2026, 3, 20))
    assert answer.answer == Answer.NOT_APPLICABLE


def test_no_update_the_day_after_the_anniversary_is_not_met() -> None:
    done = (dt.date(2025, 3, 20),)
    answer = assessment_updated_annually(facts(assessments_completed_on=done), dt.date(2026, 3, 21))
    assert answer.answer == Answer.NOT_MET


# --- Plan goals: who, what, when, where, why, with the client (standard 9; IC&RC 28, 29) -----

COMPLETE_ACTION = ActionFacts(
    what="Apply for housing", when="By Friday", where="Office", why="Stable home"
)


def _plan(*actions: ActionFacts, participated: bool = True) -> PlanFacts:
    return PlanFacts(
        version=1,
        status="Active",
        client_participated=participated,
        goals=(GoalFacts(text="A safe place to live", actions=actions),),
    )


def test_a_plan_whose_goals_say_who_what_when_where_why_is_met() -> None:
    answer = plan_goals_complete(facts(plan=_plan(COMPLETE_ACTION)), LATER)
    assert answer.answer == Answer.MET


def test_a_goal_without_where_is_not_met() -> None:
    action = ActionFacts(what="Apply", when="Friday", where="", why="Stable home")
    answer = plan_goals_complete(facts(plan=_plan(action)), LATER)
    assert (answer.answer, "lacks where" in answer.evidence) == (Answer.NOT_MET, True)


def test_a_plan_made_without_the_client_is_not_met() -> None:
    answer = plan_goals_complete(facts(plan=_plan(COMPLETE_ACTION, participated=False)), LATER)
    assert answer.answer == Answer.NOT_MET


def test_no_plan_is_not_applicable_until_30_days_after_the_assessment() -> None:
    record = facts(assessments_completed_on=(dt.date(2026, 3, 10),))
    assert plan_goals_complete(record, dt.date(2026, 4, 9)).answer == Answer.NOT_APPLICABLE


def test_no_plan_the_day_after_it_was_due_is_not_met() -> None:
    record = facts(assessments_completed_on=(dt.date(2026, 3, 10),))
    assert plan_goals_complete(record, dt.date(2026, 4, 10)).answer == Answer.NOT_MET


# --- Referrals followed up (TIP 27 linkage) ---------------------------------------------------


def _referral(status: str = "sent", due: dt.date | None = dt.date(2026, 3, 15)) -> ReferralFacts:
    return ReferralFacts(
        provider="Hope Clinic", status=status, follow_up_due_on=due,
        shares_information=True, has_consent=True,
    )  # fmt: skip


def test_a_referral_due_for_follow_up_today_is_still_met() -> None:
    answer = referrals_followed_up(facts(referrals=(_referral(),)), dt.date(2026, 3, 15))
    assert answer.answer == Answer.MET


def test_a_referral_past_its_follow_up_day_is_not_met() -> None:
    answer = referrals_followed_up(facts(referrals=(_referral(),)), dt.date(2026, 3, 16))
    assert answer.answer == Answer.NOT_MET


def test_an_engaged_referral_is_followed_up() -> None:
    answer = referrals_followed_up(facts(referrals=(_referral("engaged"),)), LATER)
    assert answer.answer == Answer.MET


def test_no_referral_sent_is_not_applicable() -> None:
    answer = referrals_followed_up(facts(referrals=(_referral("draft"),)), LATER)
    assert answer.answer == Answer.NOT_APPLICABLE


# --- Contacts documented (standards 6 and 10) -------------------------------------------------


def test_a_gap_of_30_days_between_contacts_is_met() -> None:
    days = (dt.date(2026, 3, 31), dt.date(2026, 4, 30))
    answer = contacts_documented(facts(contact_days=days), dt.date(2026, 5, 30))
    assert answer.answer == Answer.MET


def test_a_gap_of_31_days_between_contacts_is_not_met() -> None:
    days = (dt.date(2026, 3, 31), dt.date(2026, 5, 1))
    answer = contacts_documented(facts(contact_days=days), dt.date(2026, 5, 2))
    assert (answer.answer, "longest gap 31 days" in answer.evidence) == (Answer.NOT_MET, True)


def test_31_days_since_the_last_contact_is_not_met() -> None:
    answer = contacts_documented(facts(contact_days=(dt.date(2026, 3, 20),)), dt.date(2026, 4, 20))
    assert answer.answer == Answer.NOT_MET


# --- A consent for each disclosure (IC&RC core function 7; 42 CFR 2.31) ------------------------


def _disclosure(on: dt.date) -> DisclosureFacts:
    return DisclosureFacts(
        disclosed_on=on, recipient="Hope Clinic", consent_signed_on=dt.date(2026, 3, 2),
        consent_expires_on=dt.date(2026, 6, 30), consent_revoked_on=None,
    )  # fmt: skip


def test_a_disclosure_on_the_consents_last_day_is_met() -> None:
    answer = consent_for_each_disclosure(
        facts(disclosures=(_disclosure(dt.date(2026, 6, 30)),)), LATER
    )
    assert answer.answer == Answer.MET


def test_a_disclosure_the_day_after_the_consent_expired_is_not_met() -> None:
    answer = consent_for_each_disclosure(
        facts(disclosures=(_disclosure(dt.date(2026, 7, 1)),)), LATER
    )
    assert answer.answer == Answer.NOT_MET


def test_a_referral_sharing_information_without_a_consent_is_not_met() -> None:
    referral = ReferralFacts(
        provider="Hope Clinic", status="sent", follow_up_due_on=None,
        shares_information=True, has_consent=False,
    )  # fmt: skip
    assert consent_for_each_disclosure(facts(referrals=(referral,)), LATER).answer == Answer.NOT_MET


def test_nothing_disclosed_is_not_applicable() -> None:
    assert consent_for_each_disclosure(facts(), LATER).answer == Answer.NOT_APPLICABLE


# --- A positive risk screen reviewed by a supervisor (CFP bulletin 18B-08) ---------------------


def test_a_reviewed_positive_screen_is_met() -> None:
    screen = RiskScreenFacts(screened_on=dt.date(2026, 3, 5), reviewed_on=dt.date(2026, 3, 6))
    assert risk_screen_reviewed(facts(positive_screens=(screen,)), LATER).answer == Answer.MET


def test_an_unreviewed_positive_screen_is_not_met() -> None:
    screen = RiskScreenFacts(screened_on=dt.date(2026, 3, 5), reviewed_on=None)
    assert risk_screen_reviewed(facts(positive_screens=(screen,)), LATER).answer == Answer.NOT_MET


def test_no_positive_screen_is_not_applicable() -> None:
    assert risk_screen_reviewed(facts(), LATER).answer == Answer.NOT_APPLICABLE


@pytest.mark.parametrize("rule", ["", "not_a_rule"])
def test_a_benchmark_without_a_known_rule_is_left_to_the_reviewer(rule: str) -> None:
    assert answer_from_data(rule, facts(), LATER) is None
