"""serviceplans.services.contact_goals_check: a contact serves goals of its enrollment's active
plan, and a clinical contact names at least one once a plan is active (DESIGN.md step 5)."""

import pytest
from django.core.exceptions import ValidationError

from clients.models import Contact
from serviceplans.services import CLINICAL_CONTACT_TYPES, contact_goals_check
from tests import factories

pytestmark = pytest.mark.django_db

NOT_CLINICAL = sorted(set(Contact.Type.values) - set(CLINICAL_CONTACT_TYPES))


@pytest.fixture
def active_plan(enrollment):
    return factories.ServicePlanFactory(enrollment=enrollment, active=True)


@pytest.fixture
def goal(active_plan):
    return factories.GoalFactory(plan=active_plan)


def _refusal(excinfo) -> list[str]:
    return excinfo.value.message_dict["goals"]


def test_it_names_the_clinical_contact_types() -> None:
    assert set(CLINICAL_CONTACT_TYPES) == {
        Contact.Type.FACE_TO_FACE,
        Contact.Type.HOME_VISIT,
        Contact.Type.PHONE,
        Contact.Type.VIDEO,
        Contact.Type.CRISIS_INTERVENTION,
    }


@pytest.mark.parametrize("contact_type", Contact.Type.values)
def test_it_needs_no_goal_without_an_active_plan(enrollment, contact_type) -> None:
    factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))  # a draft
    assert contact_goals_check(enrollment=enrollment, contact_type=contact_type, goals=[]) == []


def test_it_refuses_goals_when_no_plan_is_active(enrollment) -> None:
    draft_goal = factories.GoalFactory(plan=factories.ServicePlanFactory(enrollment=enrollment))
    with pytest.raises(ValidationError) as excinfo:
        contact_goals_check(enrollment=enrollment, contact_type="phone", goals=[draft_goal])
    assert _refusal(excinfo) == ["This enrollment has no active plan."]


@pytest.mark.parametrize("contact_type", sorted(CLINICAL_CONTACT_TYPES))
def test_it_requires_a_goal_for_a_clinical_contact_once_a_plan_is_active(
    enrollment, goal, contact_type
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        contact_goals_check(enrollment=enrollment, contact_type=contact_type, goals=[])
    assert _refusal(excinfo) == ["Name at least one goal of the active plan this contact served."]


@pytest.mark.parametrize("contact_type", NOT_CLINICAL)
def test_it_needs_no_goal_for_other_contact_types(enrollment, goal, contact_type) -> None:
    assert contact_goals_check(enrollment=enrollment, contact_type=contact_type, goals=[]) == []


def test_it_accepts_goals_of_the_active_plan(enrollment, active_plan, goal) -> None:
    second = factories.GoalFactory(plan=active_plan)
    chosen = contact_goals_check(
        enrollment=enrollment, contact_type="home_visit", goals=iter([goal, second])
    )
    assert chosen == [goal, second]


def test_it_refuses_a_goal_of_a_superseded_plan(enrollment, goal) -> None:
    old_plan = factories.ServicePlanFactory(enrollment=enrollment, active=True, status="superseded")
    old_goal = factories.GoalFactory(plan=old_plan)
    with pytest.raises(ValidationError) as excinfo:
        contact_goals_check(enrollment=enrollment, contact_type="phone", goals=[goal, old_goal])
    assert _refusal(excinfo) == ["Choose goals of the active plan."]


def test_it_refuses_a_goal_of_the_next_draft_version(enrollment, active_plan, goal) -> None:
    draft = factories.ServicePlanFactory(enrollment=enrollment, previous=active_plan)
    draft_goal = factories.GoalFactory(plan=draft, carried_from=goal)
    with pytest.raises(ValidationError) as excinfo:
        contact_goals_check(enrollment=enrollment, contact_type="phone", goals=[draft_goal])
    assert _refusal(excinfo) == ["Choose goals of the active plan."]


def test_it_refuses_a_goal_of_another_enrollments_plan(enrollment, goal, alice) -> None:
    other = factories.EnrollmentFactory(case_manager=alice, client=enrollment.client)
    other_goal = factories.GoalFactory(
        plan=factories.ServicePlanFactory(enrollment=other, active=True)
    )
    with pytest.raises(ValidationError) as excinfo:
        contact_goals_check(enrollment=enrollment, contact_type="collateral", goals=[other_goal])
    assert _refusal(excinfo) == ["Choose goals of the active plan."]


def test_it_uses_one_query(enrollment, goal, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        contact_goals_check(enrollment=enrollment, contact_type="phone", goals=[goal])
