"""Factories for every model, in one place."""

from __future__ import annotations

import datetime as dt
import functools

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Region, Role, Team, User
from clients.models import (
    EMERGENCY_ACCESS_DURATION,
    Client,
    Contact,
    EmergencyAccess,
    Enrollment,
    FamilyMember,
    Program,
)
from quality.models import CorrectiveAction, RecordReview, Sample
from referrals.models import Consent, Provider, ProviderService, Referral, ServiceType
from scheduling.models import Place, PlannedVisit
from serviceplans.models import (
    Assessment,
    Barrier,
    Goal,
    LifeDomain,
    PlanAction,
    RiskScreen,
    ServicePlan,
)
from supervision.models import (
    Flag,
    FlagRule,
    FollowUpTask,
    RegionalPlan,
    SupervisionNote,
    Variance,
)

# A password the validators accept: 12 characters or more, and no name Faker may give a user
# (not "correct horse battery staple": its "correct" holds the surname Orr).
PASSWORD = "pinecone lantern quilt"


@functools.cache
def _password_hash() -> str:
    """Argon2 is slow on purpose; hash the test password once, not once per user."""
    return make_password(PASSWORD)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Region {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@agency.example")
    role = Role.CASE_MANAGER
    team = factory.SubFactory(TeamFactory)
    password = factory.LazyFunction(_password_hash)


class CaseManagerFactory(UserFactory):
    role = Role.CASE_MANAGER


class SupervisorFactory(UserFactory):
    role = Role.SUPERVISOR

    @factory.post_generation
    def supervises(self, create: bool, extracted: list[Team] | None, **kwargs: object) -> None:
        """Supervises its own team unless given teams: SupervisorFactory(supervises=[t1, t2])."""
        if create:
            self.supervised_teams.set(extracted if extracted is not None else [self.team])


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    team = None
    is_staff = True


class QAReviewerFactory(UserFactory):
    role = Role.QA_REVIEWER
    team = None


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Program {n}")
    code = factory.Sequence(lambda n: f"program-{n}")
    max_days_between_contacts = 30
    plan_review_interval_days = 90
    referral_follow_up_days = 14


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    record_number = factory.Sequence(lambda n: f"T{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = dt.date(2012, 5, 17)
    created_by = factory.SubFactory(CaseManagerFactory)
    registered_team = factory.SelfAttribute("created_by.team")


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyMember

    client = factory.SubFactory(ClientFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.SelfAttribute("client.last_name")
    relationship = FamilyMember.Relationship.PARENT
    is_guardian = True


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    client = factory.SubFactory(ClientFactory, created_by=factory.SelfAttribute("..case_manager"))
    program = factory.SubFactory(ProgramFactory)
    case_manager = factory.SubFactory(CaseManagerFactory)
    team = factory.SelfAttribute("case_manager.team")
    application_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    continuum_stage = Enrollment.ContinuumStage.PRIMARY_TREATMENT
    case_management_model = Enrollment.Model.STRENGTHS_BASED
    presenting_issue = "Escalating school refusal and anxiety."


class EmergencyAccessFactory(factory.django.DjangoModelFactory):
    """A grant in force, made now, on a client of another team (tests of the service itself
    go through clients.emergency.emergency_access_grant)."""

    class Meta:
        model = EmergencyAccess

    user = factory.SubFactory(CaseManagerFactory)
    client = factory.SubFactory(ClientFactory)
    category = EmergencyAccess.Category.CRISIS
    reason = "Called by the crisis line: the client is in the emergency room."
    granted_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda g: g.granted_at + EMERGENCY_ACCESS_DURATION)
    client_team_ids = factory.LazyAttribute(lambda g: [g.client.registered_team_id])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    enrollment = factory.SubFactory(EnrollmentFactory)
    client = factory.SelfAttribute("enrollment.client")
    author = factory.SelfAttribute("enrollment.case_manager")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    contact_type = Contact.Type.PHONE
    duration_minutes = 20
    travel_minutes = 0
    note = "Checked in about the week; school attendance improving."


# --- Assessments and service plans ------------------------------------------------------------


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment; ``AssessmentFactory(completed=True)`` for a completed one."""

    class Meta:
        model = Assessment

    class Params:
        completed = factory.Trait(
            status=Assessment.Status.COMPLETED,
            completed_on=factory.LazyAttribute(lambda a: a.enrollment.application_date),
        )

    enrollment = factory.SubFactory(EnrollmentFactory)
    kind = Assessment.Kind.INITIAL
    author = factory.SelfAttribute("enrollment.case_manager")


class RiskScreenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskScreen

    enrollment = factory.SubFactory(EnrollmentFactory)
    author = factory.SelfAttribute("enrollment.case_manager")
    screened_on = factory.LazyFunction(timezone.localdate)


class ServicePlanFactory(factory.django.DjangoModelFactory):
    """A draft plan; ``ServicePlanFactory(active=True)`` for an approved one."""

    class Meta:
        model = ServicePlan

    class Params:
        active = factory.Trait(
            status=ServicePlan.Status.ACTIVE,
            approved_on=factory.SelfAttribute("start_date"),
            approved_by=factory.SubFactory(
                SupervisorFactory, team=factory.SelfAttribute("..enrollment.team")
            ),
            rationale_explained_on=factory.SelfAttribute("start_date"),
            client_signed_on=factory.SelfAttribute("start_date"),
        )

    enrollment = factory.SubFactory(EnrollmentFactory)
    version = factory.Sequence(lambda n: n + 1)
    author = factory.SelfAttribute("enrollment.case_manager")
    start_date = factory.LazyAttribute(lambda p: p.enrollment.application_date)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(ServicePlanFactory)
    client_words = "I want to go back to school every day."
    life_domain = LifeDomain.EDUCATION_EMPLOYMENT
    target_date = factory.LazyAttribute(lambda g: g.plan.start_date + dt.timedelta(days=90))


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    goal = factory.SubFactory(GoalFactory)
    kind = PlanAction.Kind.INTERVENTION
    responsible = PlanAction.Responsible.CASE_MANAGER
    what = "Meet the school counselor to plan a shortened timetable."
    when = "Weekly"
    where = "School"
    why = "So that attendance can build up gradually."
    due_date = factory.LazyAttribute(lambda a: a.goal.target_date)


class BarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Barrier

    plan = factory.SubFactory(ServicePlanFactory)
    kind = Barrier.Kind.TRANSPORT
    strategy = "Bus pass from the county; case manager drives to the first two appointments."


# --- Providers, consents and referrals --------------------------------------------------------


class ProviderFactory(factory.django.DjangoModelFactory):
    """A provider with one service: ProviderFactory(service_type=ServiceType.HOUSING)."""

    class Meta:
        model = Provider
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Provider {n}")
    languages = factory.LazyFunction(lambda: ["English"])
    accepts_medicaid = True
    waitlist_weeks = 2
    waitlist_checked_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def service_type(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create:
            kind = extracted or ServiceType.SUBSTANCE_USE
            ProviderService.objects.create(
                provider=self, name=ServiceType(kind).label, service_type=kind
            )


class ConsentFactory(factory.django.DjangoModelFactory):
    """A signed release to one provider covering identifying details and the service plan,
    valid for a year. Add ``categories=[..., "substance_use"]`` for Part 2 records."""

    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    discloser = "Casework agency"
    recipient_provider = factory.SubFactory(ProviderFactory)
    categories = factory.LazyFunction(lambda: ["identifying", "service_plan"])
    purpose = "Referral for treatment and coordination of care."
    signed_on = factory.LazyFunction(timezone.localdate)
    expires_on = factory.LazyAttribute(lambda c: c.signed_on + dt.timedelta(days=365))
    signer = Consent.Signer.CLIENT
    signer_name = factory.LazyAttribute(lambda c: f"{c.client.first_name} {c.client.last_name}")
    right_to_revoke_explained = True
    created_by = factory.SelfAttribute("client.created_by")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    enrollment = factory.SubFactory(EnrollmentFactory)
    provider = factory.SubFactory(ProviderFactory)
    reason = "Intensive outpatient treatment."
    categories = factory.LazyFunction(lambda: ["identifying", "service_plan"])
    created_by = factory.SelfAttribute("enrollment.case_manager")


# --- Supervision ------------------------------------------------------------------------------


class FlagFactory(factory.django.DjangoModelFactory):
    """An open flag, as the compliance evaluation raises them (tests of the pages that list
    flags; tests of the rules run the evaluation itself)."""

    class Meta:
        model = Flag

    enrollment = factory.SubFactory(EnrollmentFactory)
    rule = FlagRule.INITIAL_ASSESSMENT_OVERDUE
    due_on = factory.LazyAttribute(lambda f: f.enrollment.application_date + dt.timedelta(days=30))
    raised_on = factory.LazyFunction(timezone.localdate)
    raised_at = factory.LazyFunction(timezone.now)


class SupervisionNoteFactory(factory.django.DjangoModelFactory):
    """A case-specific note by a supervisor of the enrollment's team to its case manager."""

    class Meta:
        model = SupervisionNote

    enrollment = factory.SubFactory(EnrollmentFactory)
    kind = SupervisionNote.Kind.CASE_SPECIFIC
    team = factory.SelfAttribute("enrollment.team")
    staff_supervised = factory.SelfAttribute("enrollment.case_manager")
    author = factory.SubFactory(SupervisorFactory, team=factory.SelfAttribute("..team"))
    held_on = factory.LazyFunction(timezone.localdate)
    discussion = "Reviewed the week's contacts and the school plan."


class FollowUpTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpTask

    note = factory.SubFactory(SupervisionNoteFactory)
    description = "Call the school counselor about the timetable."
    due_on = factory.LazyAttribute(lambda t: t.note.held_on + dt.timedelta(days=14))


class VarianceFactory(factory.django.DjangoModelFactory):
    """A pending variance requested by the enrollment's case manager."""

    class Meta:
        model = Variance

    enrollment = factory.SubFactory(EnrollmentFactory)
    rule = FlagRule.INITIAL_ASSESSMENT_OVERDUE
    reason = "The family was out of state for three weeks."
    proposed_due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=21))
    requested_by = factory.SelfAttribute("enrollment.case_manager")


class RegionalPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan for this year, prepared by a supervisor in the region."""

    class Meta:
        model = RegionalPlan

    region = factory.SubFactory(RegionFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    summary = "Clinical case management service-delivery goals for the year."
    prepared_by = factory.SubFactory(
        SupervisorFactory,
        team=factory.SubFactory(TeamFactory, region=factory.SelfAttribute("...region")),
    )


# --- Scheduling -------------------------------------------------------------------------------


class PlannedVisitFactory(factory.django.DjangoModelFactory):
    """A home visit planned for tomorrow at 10:00 (agency time) on the enrollment's caseload."""

    class Meta:
        model = PlannedVisit

    enrollment = factory.SubFactory(EnrollmentFactory)
    case_manager = factory.SelfAttribute("enrollment.case_manager")
    scheduled_start = factory.LazyFunction(
        lambda: timezone.make_aware(
            dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(10))
        )
    )
    expected_minutes = 60
    place = Place.HOME
    location = "Back door, dog in the yard"
    contact_type = Contact.Type.HOME_VISIT
    with_whom = "Client and mother"
    purpose = "Review the school attendance plan."


# --- Quality: record reviews ------------------------------------------------------------------


class SampleFactory(factory.django.DjangoModelFactory):
    """A sample of a case manager's records over the last 90 days, drawn by a QA reviewer."""

    class Meta:
        model = Sample

    case_manager = factory.SubFactory(CaseManagerFactory)
    team = factory.SelfAttribute("case_manager.team")
    period_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))
    period_end = factory.LazyFunction(timezone.localdate)
    seed = 42
    sizes = factory.LazyFunction(dict)
    population = factory.LazyFunction(dict)
    drawn = factory.LazyFunction(dict)
    drawn_by = factory.SubFactory(QAReviewerFactory)


class RecordReviewFactory(factory.django.DjangoModelFactory):
    """A record drawn for review, still to review."""

    class Meta:
        model = RecordReview

    enrollment = factory.SubFactory(EnrollmentFactory)
    sample = factory.SubFactory(
        SampleFactory, case_manager=factory.SelfAttribute("..enrollment.case_manager")
    )
    case_manager = factory.SelfAttribute("enrollment.case_manager")
    team = factory.SelfAttribute("enrollment.team")


class ReturnedRecordReviewFactory(RecordReviewFactory):
    """A record reviewed (5 of 7 benchmarks met) and its findings returned."""

    status = RecordReview.Status.RETURNED
    reviewer = factory.SelfAttribute("sample.drawn_by")
    reviewed_on = factory.LazyFunction(timezone.localdate)
    met_count = 5
    applicable_count = 7
    returned_at = factory.LazyFunction(timezone.now)


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    """An open corrective action of a returned review, due in 14 days."""

    class Meta:
        model = CorrectiveAction

    review = factory.SubFactory(ReturnedRecordReviewFactory)
    description = "Document the follow-up of the housing referral."
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    assigned_to = factory.SelfAttribute("review.case_manager")
    created_by = factory.SelfAttribute("review.reviewer")


# --- Outcomes ---------------------------------------------------------------------------------


class OutcomeMeasurementFactory(factory.django.DjangoModelFactory):
    """The intake (baseline) measurement, five days after the application, with no values
    (tests of figures record theirs through outcomes.services)."""

    class Meta:
        model = "outcomes.OutcomeMeasurement"

    enrollment = factory.SubFactory(EnrollmentFactory)
    occasion = "intake"
    measured_on = factory.LazyAttribute(
        lambda m: m.enrollment.application_date + dt.timedelta(days=5)
    )
    recorded_by = factory.SelfAttribute("enrollment.case_manager")
    note = "Baseline taken at the first home visit."
