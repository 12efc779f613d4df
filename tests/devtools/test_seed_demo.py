"""``manage.py seed_demo``: the demo agency, and that a second run changes nothing.

Seeding goes through the services (about ten thousand queries), so the module seeds once
inside a transaction of its own that is rolled back at the end; each test runs in a
savepoint within it. Clinical tables refuse DELETE, so rolling back is the only clean-up.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.test import Client as HttpClient
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from accounts.models import ApiToken, Region, Role, Team, User
from clients.models import Client, Contact, EmergencyAccess, Enrollment, FamilyMember, Program
from devtools.demo.staff import DEMO_PASSWORD, STAFF
from referrals.models import Referral, ReferralStatus
from serviceplans.models import Assessment, PlanAction, RiskAlert, RiskScreen, ServicePlan
from supervision.models import (
    Flag,
    FlagRule,
    PastProgramStandards,
    RegionalPlan,
    SupervisionNote,
    Variance,
)
from tests import migration_data

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seed_output(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        migration_data.restore()
        yield _seed()
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Region,
            Team,
            User,
            Program,
            Client,
            FamilyMember,
            Enrollment,
            Contact,
            Flag,
            SupervisionNote,
            Variance,
            RegionalPlan,
        )
    }


def test_it_creates_two_regions_and_three_teams(seed_output: str) -> None:
    assert Region.objects.count() == 2
    assert Team.objects.count() == 3
    assert not Team.objects.filter(supervisors=None).exists()


def test_it_creates_the_staff(seed_output: str) -> None:
    roles = list(User.objects.values_list("role", flat=True))
    assert roles.count(Role.CASE_MANAGER) == 8
    assert roles.count(Role.ADMINISTRATOR) == 1
    assert roles.count(Role.QA_REVIEWER) == 1
    assert User.objects.get(role=Role.ADMINISTRATOR).is_staff


def test_it_spreads_case_managers_across_the_teams(seed_output: str) -> None:
    for team in Team.objects.all():
        assert team.members.filter(role=Role.CASE_MANAGER).count() >= 2


def test_it_creates_the_three_programs_with_their_standards(seed_output: str) -> None:
    assert set(Program.objects.values_list("code", flat=True)) == {"cmh-sed", "hiv-cfp", "sud-op"}
    sed = Program.objects.get(code="cmh-sed")
    assert (
        sed.initial_assessment_days,
        sed.reassessment_interval_months,
        sed.max_days_between_contacts,
        sed.plan_review_interval_days,
        sed.referral_follow_up_days,
    ) == (30, 12, 30, 90, 14)


def test_only_the_substance_use_program_is_under_42_cfr_part_2(seed_output: str) -> None:
    assert list(Program.objects.filter(is_part2=True).values_list("code", flat=True)) == ["sud-op"]


def test_the_substance_use_program_changed_its_monitoring_standard_150_days_ago(
    seed_output: str,
) -> None:
    program = Program.objects.get(code="sud-op")
    past = PastProgramStandards.objects.get(program=program)
    assert (past.max_days_between_contacts, program.max_days_between_contacts) == (30, 14)
    assert past.in_force_until == timezone.localdate() - dt.timedelta(days=150)


def test_it_creates_about_eighty_clients_with_families(seed_output: str) -> None:
    assert 75 <= Client.objects.count() <= 85
    assert FamilyMember.objects.filter(is_guardian=True).exists()
    assert not Client.objects.filter(record_number__startswith="CW-").exists()


def test_it_opens_enrollments_at_every_stage_and_in_every_model(seed_output: str) -> None:
    stages = set(Enrollment.objects.values_list("continuum_stage", flat=True))
    models = set(Enrollment.objects.values_list("case_management_model", flat=True))
    assert stages == set(Enrollment.ContinuumStage.values)
    assert models == set(Enrollment.Model.values)


def test_it_closes_a_few_enrollments_with_reasons(seed_output: str) -> None:
    closed = Enrollment.objects.filter(status=Enrollment.Status.CLOSED)
    assert 3 <= closed.count() <= 15
    assert not closed.filter(close_reason="").exists()


def test_it_records_contacts_of_every_type(seed_output: str) -> None:
    types = set(Contact.objects.values_list("contact_type", flat=True))
    assert types == set(Contact.Type.values)
    crises = Contact.objects.filter(contact_type=Contact.Type.CRISIS_INTERVENTION)
    assert crises.exclude(note="").count() == crises.count() > 0


def test_it_includes_john_smith_for_the_duplicate_search_demo(seed_output: str) -> None:
    assert Client.objects.filter(
        first_name="John", last_name="Smith", date_of_birth="1985-03-14"
    ).exists()


def test_it_includes_a_former_client_for_the_client_directory(seed_output: str) -> None:
    former = Client.objects.filter(enrollments__status=Enrollment.Status.CLOSED).exclude(
        enrollments__status=Enrollment.Status.OPEN
    )
    assert former.exists()


def test_it_includes_a_client_never_enrolled_with_every_field_filled(seed_output: str) -> None:
    walk_in = Client.objects.get(enrollments=None)
    assert walk_in.registered_team.name == "Canyon County Adult Team"
    fields = Client._meta.concrete_fields
    assert all(getattr(walk_in, field.attname) not in ("", None) for field in fields)


def test_it_changes_nothing_when_run_again(seed_output: str) -> None:
    before = _counts()
    output = _seed()
    assert _counts() == before
    assert "nothing to create" in output


# One login per role: every demo user has the same password hash, and Argon2 is slow.
ONE_USER_PER_ROLE = sorted({spec.role: spec.username for spec in reversed(STAFF)}.values())


@pytest.mark.parametrize("username", ONE_USER_PER_ROLE)
def test_it_lets_each_role_log_in_with_the_demo_password(
    seed_output: str, client: HttpClient, username: str
) -> None:
    # django-axes needs the request to count failures against (username, IP).
    assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)


def test_the_demo_password_passes_the_validators_for_every_demo_login(seed_output: str) -> None:
    for user in User.objects.filter(username__in=[spec.username for spec in STAFF]):
        validate_password(DEMO_PASSWORD, user=user)


def test_it_prints_the_demo_logins_and_password(seed_output: str) -> None:
    assert DEMO_PASSWORD in seed_output
    for spec in STAFF:
        assert spec.username in seed_output


def test_it_assesses_most_enrollments_and_leaves_some_due(seed_output: str) -> None:
    assessed = Assessment.objects.filter(status=Assessment.Status.COMPLETED).count()
    assert 0 < assessed < Enrollment.objects.count()


def test_it_raises_a_risk_alert_for_each_positive_screen(seed_output: str) -> None:
    positive = RiskScreen.objects.filter(positive=True).count()
    assert positive > 0
    assert RiskAlert.objects.count() == positive


def test_it_approves_plans_with_goals_and_interventions(seed_output: str) -> None:
    active = ServicePlan.objects.filter(status=ServicePlan.Status.ACTIVE)
    assert active.exists()
    assert not active.filter(goals=None).exists()
    assert PlanAction.objects.filter(goal__plan__in=active).exists()


def test_it_links_clients_to_providers_under_a_consent(seed_output: str) -> None:
    sent = Referral.objects.exclude(status=ReferralStatus.DRAFT)
    assert sent.exists()
    assert not sent.filter(shares_information=True, consent=None).exists()


def test_it_raises_todays_compliance_flags(seed_output: str) -> None:
    assert Flag.objects.open().filter(rule=FlagRule.INITIAL_ASSESSMENT_OVERDUE).exists()
    # The positive screens are left for the supervisors' review queues.
    assert Flag.objects.open().filter(rule=FlagRule.RISK_SCREEN_UNREVIEWED).count() == (
        RiskAlert.objects.filter(reviewed_at=None, risk_screen__enrollment__status="open").count()
    )


def test_it_leaves_alex_a_supervision_note_to_acknowledge(seed_output: str) -> None:
    note = SupervisionNote.objects.get(staff_supervised__username="alex")
    assert (note.kind, note.acknowledged_on) == (SupervisionNote.Kind.CASE_SPECIFIC, None)
    assert note.tasks.exists()


def test_it_leaves_a_variance_for_the_administrator(seed_output: str) -> None:
    variance = Variance.objects.get(status=Variance.Status.PENDING)
    assert (variance.status, variance.requested_by.username) == (Variance.Status.PENDING, "maria")
    assert variance.flag is not None and variance.flag.is_open


def test_it_submits_the_southwest_service_delivery_plan(seed_output: str) -> None:
    plan = RegionalPlan.objects.get()
    assert (plan.region.name, plan.status) == ("Southwest Idaho", RegionalPlan.Status.SUBMITTED)
    assert plan.goals.count() == 2


def test_it_leaves_alex_an_unsaved_contact_with_every_field_filled(seed_output: str) -> None:
    from workspace.models import ContactDraft

    draft = ContactDraft.objects.get(author__username="alex")
    assert draft.enrollment is not None
    assert all(draft.data.values()), draft.data


def test_it_gives_the_case_managers_my_work_of_every_kind(seed_output: str) -> None:
    from casemgmt import dates
    from workspace.my_work import KIND_ORDER, my_work_items

    kinds = {
        item.kind
        for case_manager in User.objects.filter(role=Role.CASE_MANAGER)
        for item in my_work_items(
            viewer=case_manager, case_manager=case_manager, today=dates.today()
        )
    }
    assert kinds == set(KIND_ORDER)


def test_it_leaves_one_record_review_with_findings_and_an_open_action(seed_output: str) -> None:
    from quality.models import CorrectiveAction, RecordReview, Sample

    reviewed = RecordReview.objects.exclude(status="pending").get()
    open_action = CorrectiveAction.objects.get(review=reviewed, done_on__isnull=True)
    assert Sample.objects.count() == 1
    assert (reviewed.status, reviewed.items.count(), open_action.assigned_to.username) == (
        "acknowledged",
        7,
        "alex",
    )
    assert RecordReview.objects.filter(previous=reviewed).exists()


def test_it_leaves_an_expired_emergency_access_for_the_boise_supervisor(seed_output: str) -> None:
    grant = EmergencyAccess.objects.get()
    sofia = User.objects.get(username="sofia")
    assert (grant.user.username, grant.expires_at < timezone.now()) == ("ben", True)
    assert list(EmergencyAccess.objects.visible_to(sofia)) == [grant]
    assert not EmergencyAccess.objects.in_force().exists()


def test_it_gives_the_administrator_a_live_api_token_and_a_revoked_one(seed_output: str) -> None:
    tokens = ApiToken.objects.filter(user__username="diana").order_by("created_at", "pk")
    assert [(t.name, t.revoked_at is None, t.last_used_at is not None) for t in tokens] == [
        ("Quarterly outcomes report script", True, True),
        ("Old export script", False, False),
    ]
