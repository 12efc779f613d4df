"""Clients, their families, programs, enrollments (episodes of care) and the contact log.

Access to every model here goes through its manager's ``visible_to(user)`` (read) and
``writable_by(user)`` (change) querysets; nothing else in the project filters by team.
Nothing clinical is deleted: a database trigger refuses DELETE on each clinical table, and
django-pghistory keeps every insert and update (``QuerySet.update()`` included).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Lower, Upper
from django.db.models.lookups import GreaterThanOrEqual, Lookup
from django.utils import timezone

from accounts.selectors import team_ids_readable_by, team_ids_writable_by
from clients import contact_rules
from clients.encryption import EncryptedTextField, lookup_hash

if TYPE_CHECKING:
    from accounts.models import User


def _no_delete(table: str) -> pgtrigger.Protect:
    return pgtrigger.Protect(name=f"{table}_no_delete", operation=pgtrigger.Delete)


class ReversedDigits(models.Func):
    """The digits of a text, alone and reversed: "(208) 555-0101" is "1010555802".

    Phone numbers are compared by their digits whatever their punctuation, and a number typed
    without its area code is the end of the stored one; reversed, that end is a prefix, which
    a b-tree index (``client_phone_digits``) serves (clients.selectors.client_directory). The
    pattern is written into the SQL, not passed as a parameter, so that the index's
    expression and the query's are the same text."""

    template = "REVERSE(REGEXP_REPLACE(%(expressions)s, '[^0-9]', '', 'g'))"
    output_field = models.CharField()


class Program(models.Model):
    """A program and its standards, as data (edited in the admin).

    Defaults come from the Idaho children's mental health clinical case management standards
    7 and 8: a comprehensive assessment within 30 days of application, updated at least
    annually.
    """

    name = models.CharField(max_length=150, unique=True)
    code = models.SlugField(max_length=30, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    # 42 CFR 2.11: a federally assisted program that holds itself out as providing substance-use
    # disorder treatment. Its records are Part 2 records: a list or report exported with any
    # of them carries the 42 CFR 2.32 notice (exports.tables.holds_part2).
    is_part2 = models.BooleanField(
        "Substance-use treatment program under 42 CFR Part 2",
        default=False,
        help_text="Its records are Part 2 records: exports holding them carry the notice.",
    )
    initial_assessment_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days from the application date to the comprehensive assessment."
    )
    # Calendar months, not days: "at least annually" (standard 8) is the anniversary, also
    # across a 29 February (serviceplans.due_dates.assessment_update_due_on).
    reassessment_interval_months = models.PositiveSmallIntegerField(
        default=12, help_text="Months from the last comprehensive assessment to the update."
    )
    max_days_between_contacts = models.PositiveSmallIntegerField(
        default=30, help_text="Longest gap allowed between completed contacts (monitoring)."
    )
    plan_review_interval_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days from a service plan's approval to its review."
    )
    referral_follow_up_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days from sending a referral to following it up."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(initial_assessment_days__gt=0)
                & Q(reassessment_interval_months__gt=0)
                & Q(max_days_between_contacts__gt=0)
                & Q(plan_review_interval_days__gt=0)
                & Q(referral_follow_up_days__gt=0),
                name="program_standards_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Clients ----------------------------------------------------------------------------------


class AnyOf(Lookup):
    """``lhs = ANY(rhs)``, ``rhs`` an array (an ``ArraySubquery``): PostgreSQL evaluates an
    uncorrelated ``ARRAY(SELECT ...)`` once (an InitPlan) and compares with an index, also
    under an OR, where ``lhs IN (SELECT ...)`` becomes a filter run against every row."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def emergency_client_ids(user: User) -> models.QuerySet[Any, Any] | None:
    """The clients ``user`` reads under an emergency grant in force now (clients.emergency),
    as a ``client_id`` subquery for the ``visible_to`` querysets; None for a user who cannot
    hold one (signed out or inactive). Expiry is compared with the time the queryset is built,
    so a grant lapses at its ``expires_at`` with no task to end it."""
    if not user.is_authenticated or not user.is_active:
        return None
    return EmergencyAccess.objects.in_force().filter(user=user).order_by().values("client_id")


def emergency_access_arm(user: User, client_field: str) -> Q:
    """``client_field`` (a path to a client id) is one of the user's emergency clients, as a
    condition to OR with a team scope (``Q()`` matches nothing here when there is none):
    ``client_id = ANY(ARRAY(...))``, evaluated once per query from the ``emergencyaccess_user``
    index, so the team arm keeps its index."""
    granted = emergency_client_ids(user)
    if granted is None:
        return Q(pk__in=[])
    return Q(AnyOf(F(client_field), ArraySubquery(granted)))


class ClientQuerySet(models.QuerySet["Client"]):
    """A client belongs to the teams of their enrollments (open or closed: a team keeps
    reading the record of a client it served). Before any enrollment is opened, the client
    belongs to the team that registered them, so intake can go on to open one. A case manager
    or supervisor also reads, read-only, a client opened to them by an emergency grant in
    force (clients.emergency, "break the glass")."""

    def _of_teams(
        self,
        team_ids: frozenset[int],
        *,
        also: models.QuerySet[Any, Any] | None = None,
    ) -> ClientQuerySet:
        # Written as "id IN (the team's enrolled clients UNION ALL its registered clients not
        # yet enrolled)", not as "EXISTS (...) OR (... AND NOT EXISTS (...))": PostgreSQL
        # cannot drive an OR of EXISTS from an index and scans every client (at 100,000
        # clients: 30 ms, and a cost estimate high enough to JIT-compile the query, 100 ms
        # more). The union starts from the team's rows (indexes enrollment_team_client,
        # client_registered_team) and a lookup by id still reads one row of each.
        enrolled_in_team = Enrollment.objects.filter(team_id__in=team_ids).order_by()
        registered_not_enrolled = (
            Client.objects.filter(registered_team_id__in=team_ids)
            .filter(~Exists(Enrollment.objects.filter(client=OuterRef("pk"))))
            .order_by()
        )
        # An emergency grant (``also``) is one more arm of the union, read from the
        # emergencyaccess_user index: the user's few grants, not every client.
        arms: list[models.QuerySet[Any, Any]] = [registered_not_enrolled.values("pk")]
        if also is not None:
            arms.append(also)
        return self.filter(pk__in=enrolled_in_team.values("client_id").union(*arms, all=True))

    def in_scope_of(self, user: User) -> ClientQuerySet:
        """The clients of the user's teams, without those opened by an emergency grant: what
        decides whether a grant is needed at all, and who may open an enrollment."""
        team_ids = team_ids_readable_by(user)
        return self.all() if team_ids is None else self._of_teams(team_ids)

    def visible_to(self, user: User) -> ClientQuerySet:
        team_ids = team_ids_readable_by(user)
        if team_ids is None:
            return self.all()
        return self._of_teams(team_ids, also=emergency_client_ids(user))

    def writable_by(self, user: User) -> ClientQuerySet:
        """Clients on the user's own caseload (case managers: an open enrollment, or a client
        they registered and have not yet enrolled) or of their teams (supervisors)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_case_manager:
            # The same shape as _of_teams, for the same reason.
            own_open = Enrollment.objects.filter(
                case_manager=user, status=Enrollment.Status.OPEN
            ).order_by()
            registered_not_enrolled = (
                Client.objects.filter(created_by=user)
                .filter(~Exists(Enrollment.objects.filter(client=OuterRef("pk"))))
                .order_by()
            )
            return self.filter(
                pk__in=own_open.values("client_id").union(
                    registered_not_enrolled.values("pk"), all=True
                )
            )
        return self._of_teams(team_ids_writable_by(user))


# The client's numbers encrypted at rest (clients.encryption), each with its ``*_lookup`` hash.
ENCRYPTED_NUMBERS = ("ssn", "medicaid_number")


@pghistory.track()  # inserts and updates, with the request's user and URL
class Client(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNKNOWN = "unknown", "Unknown / not disclosed"

    record_number = models.CharField(max_length=20, unique=True)
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=100, blank=True)
    primary_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address_line = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    # Encrypted at rest (clients.encryption); found only by an exact search of the whole
    # number, through its keyed hash (``*_lookup``, kept by ``save``).
    ssn = EncryptedTextField(
        "Social Security number",
        blank=True,
        db_default="",
        validators=[RegexValidator(r"^\d{3}-?\d{2}-?\d{4}$", "Nine digits: 123-45-6789.")],
    )
    ssn_lookup = models.CharField(max_length=64, blank=True, editable=False, db_default="")
    medicaid_number = EncryptedTextField(
        blank=True,
        db_default="",
        validators=[
            RegexValidator(r"^[0-9A-Za-z-]{4,20}$", "Letters and digits, 4 to 20 of them.")
        ],
    )
    medicaid_number_lookup = models.CharField(
        max_length=64, blank=True, editable=False, db_default=""
    )
    # Immutable expression so PostgreSQL can index it for trigram (pg_trgm) duplicate search.
    search_name = models.GeneratedField(
        expression=Lower(models.functions.Concat("first_name", models.Value(" "), "last_name")),
        output_field=models.CharField(max_length=201),
        db_persist=True,
    )
    registered_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="registered_clients"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="client_name_trgm"),
            models.Index(fields=["date_of_birth"], name="client_dob"),
            # Client.objects.visible_to: a team's registered clients not yet enrolled, read
            # from the index alone (API client list, duplicate search, consent lists).
            models.Index(fields=["registered_team", "id"], name="client_registered_team_id"),
            # The record-number checks of registration and the caseload's search compare
            # case-insensitively (iexact: UPPER(record_number) = UPPER(...)).
            models.Index(Upper("record_number"), name="client_record_number_upper"),
            # The client directory (/clients/) unfiltered: a page in name order without
            # sorting every client the viewer may see.
            models.Index(fields=["last_name", "first_name", "id"], name="client_name_order"),
            # The directory's search by phone: the end of the number's digits.
            models.Index(
                OpClass(ReversedDigits("phone"), name="text_pattern_ops"),
                name="client_phone_digits",
            ),
            # An exact search of an encrypted number compares its keyed hash.
            models.Index(
                fields=["ssn_lookup"], condition=~Q(ssn_lookup=""), name="client_ssn_lookup"
            ),
            models.Index(
                fields=["medicaid_number_lookup"],
                condition=~Q(medicaid_number_lookup=""),
                name="client_medicaid_lookup",
            ),
        ]
        triggers = [_no_delete("client")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.record_number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the keyed hashes of the encrypted numbers in step with them."""
        for name in ENCRYPTED_NUMBERS:
            value = getattr(self, name)
            if isinstance(value, str):  # not the database's default of a new row: ""
                setattr(self, f"{name}_lookup", lookup_hash(value))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            hashed = [f"{name}_lookup" for name in ENCRYPTED_NUMBERS if name in update_fields]
            kwargs["update_fields"] = [*update_fields, *hashed]
        super().save(*args, **kwargs)

    @property
    def ssn_masked(self) -> str:
        """The last four digits only, as the client's page shows it."""
        return f"•••-••-{self.ssn[-4:]}" if self.ssn else ""

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class FamilyMemberQuerySet(models.QuerySet["FamilyMember"]):
    def visible_to(self, user: User) -> FamilyMemberQuerySet:
        return self.filter(client__in=Client.objects.visible_to(user))

    def writable_by(self, user: User) -> FamilyMemberQuerySet:
        return self.filter(client__in=Client.objects.writable_by(user))


@pghistory.track()  # inserts and updates, with the request's user and URL
class FamilyMember(models.Model):
    """A family or household member: children's services are child-centred and
    family-focused (Idaho standards, core values), so the family is part of the record."""

    class Relationship(models.TextChoices):
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        FOSTER_PARENT = "foster_parent", "Foster parent"
        GRANDPARENT = "grandparent", "Grandparent"
        SIBLING = "sibling", "Sibling"
        CHILD = "child", "Child"
        SPOUSE_PARTNER = "spouse_partner", "Spouse / partner"
        OTHER_RELATIVE = "other_relative", "Other relative"
        OTHER = "other", "Other household member"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="family_members")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    date_of_birth = models.DateField(null=True, blank=True)
    is_guardian = models.BooleanField("legal guardian", default=False)
    lives_in_household = models.BooleanField(default=True)
    takes_part_in_planning = models.BooleanField(default=False)
    phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FamilyMemberQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        triggers = [_no_delete("familymember")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.get_relationship_display()})"


# --- Enrollments ------------------------------------------------------------------------------


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
    def visible_to(self, user: User) -> EnrollmentQuerySet:
        """The enrollments of the user's teams, and every enrollment of a client opened to
        them by an emergency grant in force (its whole record, read-only: ``writable_by``
        leaves grants out)."""
        team_ids = team_ids_readable_by(user)
        if team_ids is None:
            return self.all()
        return self.filter(Q(team_id__in=team_ids) | emergency_access_arm(user, "client_id"))

    def writable_by(self, user: User) -> EnrollmentQuerySet:
        """Own caseload for case managers; the supervised teams' for supervisors."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_case_manager:
            return self.filter(case_manager=user)
        return self.filter(team_id__in=team_ids_writable_by(user))

    def open(self) -> EnrollmentQuerySet:
        return self.filter(status=Enrollment.Status.OPEN)


@pghistory.track()  # inserts and updates, with the request's user and URL
class Enrollment(models.Model):
    """An episode of care in a program, assigned to a case manager.

    Continuum stages and case management models are those of TIP 27 (ACCSA module 19).
    ``team`` is the assigned case manager's team at assignment; access follows it.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class ContinuumStage(models.TextChoices):
        CASE_FINDING = "case_finding", "Case finding"
        PRETREATMENT = "pretreatment", "Pretreatment"
        PRIMARY_TREATMENT = "primary_treatment", "Primary treatment"
        AFTERCARE = "aftercare", "Aftercare"

    class Model(models.TextChoices):
        BROKER_GENERALIST = "broker_generalist", "Broker / generalist"
        STRENGTHS_BASED = "strengths_based", "Strengths-based"
        ASSERTIVE_COMMUNITY_TREATMENT = "act", "Assertive community treatment"
        CLINICAL_REHABILITATION = "clinical_rehabilitation", "Clinical / rehabilitation"

    class CloseReason(models.TextChoices):
        GOALS_MET = "goals_met", "Goals met"
        TRANSFERRED_OUT = "transferred_out", "Transferred to another agency"
        DECLINED = "declined", "Client declined further services"
        LOST_CONTACT = "lost_contact", "Lost contact"
        MOVED = "moved", "Moved out of the service area"
        INELIGIBLE = "ineligible", "No longer eligible"
        DECEASED = "deceased", "Deceased"
        OTHER = "other", "Other"

    class DischargedFrom(models.TextChoices):
        """Where a client came to the program from: the service whose discharge starts the
        continuity-of-care clock (outcomes.selectors.continuity_report)."""

        DETOX = "detox", "Detoxification (withdrawal management)"
        INPATIENT = "inpatient", "Inpatient or residential treatment"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="enrollments")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    application_date = models.DateField()
    continuum_stage = models.CharField(max_length=20, choices=ContinuumStage.choices)
    case_management_model = models.CharField(max_length=30, choices=Model.choices)
    presenting_issue = models.TextField()
    eligibility_note = models.TextField(blank=True)
    prior_discharge_on = models.DateField(
        "Discharged from a detox or inpatient program on",
        null=True,
        blank=True,
        help_text="If the client came to the program from one: the continuity-of-care report "
        "counts the days from this discharge to the first contact.",
    )
    prior_discharge_from = models.CharField(
        "Discharged from", max_length=10, choices=DischargedFrom.choices, blank=True
    )
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-application_date"]
        indexes = [
            # The caseload page: one case manager's open enrollments.
            models.Index(fields=["case_manager", "status"], name="enrollment_caseload"),
            # A team's enrollments with what team lists join on, read from the index alone:
            # Client.objects.visible_to (API client list, duplicate search), the referral
            # list of a team, the supervisor's dashboard. A team's rows are spread over the
            # whole table (they arrive over years), so without it PostgreSQL reads one heap
            # page per row or scans the table.
            models.Index(
                fields=["team", "status", "client"],
                include=["id", "case_manager", "program"],
                name="enrollment_team_covering",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_on__isnull=True) & Q(close_reason=""))
                | (Q(status="closed") & Q(closed_on__isnull=False) & ~Q(close_reason="")),
                name="enrollment_closed_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(closed_on__gte=models.F("application_date")),
                name="enrollment_closed_after_application",
            ),
            # A discharge is its date and where from, or nothing.
            models.CheckConstraint(
                condition=(Q(prior_discharge_on__isnull=True) & Q(prior_discharge_from=""))
                | (Q(prior_discharge_on__isnull=False) & ~Q(prior_discharge_from="")),
                name="enrollment_prior_discharge_date_and_kind",
                violation_error_message="Give both the discharge date and where from, or neither.",
            ),
            # One open episode per client and program.
            models.UniqueConstraint(
                fields=["client", "program"],
                condition=Q(status="open"),
                name="enrollment_one_open_per_program",
            ),
        ]
        triggers = [_no_delete("enrollment")]

    def __str__(self) -> str:
        return f"{self.program} for {self.client.display_name}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


# --- Contacts ---------------------------------------------------------------------------------


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: User) -> ContactQuerySet:
        return self.filter(enrollment__in=Enrollment.objects.visible_to(user))

    def writable_by(self, user: User) -> ContactQuerySet:
        return self.filter(enrollment__in=Enrollment.objects.writable_by(user))


@pghistory.track()  # inserts and updates, with the request's user and URL
class Contact(models.Model):
    """One entry in the staff log (TIP 27, "staff log"; Idaho standard 10)."""

    class Type(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face-to-face"
        HOME_VISIT = "home_visit", "Home visit"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        COLLATERAL = "collateral", "Collateral"
        CASE_CONFERENCE = "case_conference", "Case conference"
        CRISIS_INTERVENTION = "crisis_intervention", "Crisis intervention"
        ATTEMPTED = "attempted", "Attempted (no contact made)"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="contacts")
    # The enrollment's client, kept here so the client timeline is one index range scan.
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contacts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    contact_type = models.CharField(max_length=20, choices=Type.choices)
    duration_minutes = models.PositiveSmallIntegerField()
    travel_minutes = models.PositiveSmallIntegerField(default=0)
    participants = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-occurred_at"], name="contact_client_timeline"),
            models.Index(fields=["enrollment", "-occurred_at"], name="contact_enrollment_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=24 * 60) & Q(travel_minutes__lte=24 * 60),
                name="contact_minutes_within_a_day",
            ),
        ]
        triggers = [_no_delete("contact")]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} on {self.occurred_at:%Y-%m-%d}"

    @property
    def billable_units(self) -> int:
        return contact_rules.billable_units(
            contact_type=self.contact_type,
            duration_minutes=self.duration_minutes,
            travel_minutes=self.travel_minutes,
        )


@pghistory.track()  # inserts and updates, with the request's user and URL
class ContactAddendum(models.Model):
    """A dated addition to a contact after its correction window has closed."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        triggers = [
            _no_delete("contactaddendum"),
            pgtrigger.Protect(name="contactaddendum_no_update", operation=pgtrigger.Update),
        ]

    def __str__(self) -> str:
        return f"Addendum to {self.contact_id} by {self.author_id}"


# --- Access log -------------------------------------------------------------------------------


class AccessLog(models.Model):
    """Who looked at (or tried to reach) which client record, when and from where, and how the
    request was answered (HIPAA 45 CFR 164.312(b), audit controls).

    Append-only: a trigger refuses UPDATE and DELETE.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        DENIED = "denied", "Denied (out of scope or not found)"
        # A report or list written to a CSV or XLSX file (reports.exports): ``path`` says
        # what (the page and its parameters), ``row_count`` how many rows left the agency.
        EXPORTED = "exported", "Exported"
        # An emergency ("break the glass") grant of a client outside the user's teams
        # (clients.emergency): the client's page then opens, and each read is "viewed".
        EMERGENCY = "emergency", "Emergency access granted"

    class Outcome(models.TextChoices):
        """How the request was answered: a view or an export was served (read); a denial was
        refused (403) or told there is no such record (404; clients.audit)."""

        READ = "read", "Read"
        REFUSED = "refused", "Refused"
        NOT_FOUND = "not_found", "Not found"
        # Denials recorded before the outcome was (clients migration 0008): 403 or 404,
        # which is no longer known.
        DENIED = "denied", "Refused or not found"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="access_log", null=True, blank=True
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.READ)
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)
    # Rows written by an export, or records returned by an API read; empty otherwise.
    row_count = models.PositiveIntegerField(null=True, blank=True)
    # An API read (casemgmt.api.ReadLoggedMixin): the ids of the records it returned (of the
    # model the path names), and the clients they belong to, so that a client's accounting of
    # accesses finds a list read too (clients.selectors.accesses_of_client). Empty otherwise.
    record_ids = ArrayField(models.BigIntegerField(), null=True, blank=True)
    client_ids = ArrayField(models.BigIntegerField(), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-occurred_at"], name="accesslog_client"),
            GinIndex(fields=["client_ids"], name="accesslog_client_ids"),
            # "Recent clients" on the client directory: one user's views, read from the index
            # alone (clients.selectors.recent_clients).
            models.Index(
                fields=["user", "client", "occurred_at"],
                condition=Q(action="viewed"),
                name="accesslog_user_viewed",
            ),
        ]
        constraints = [
            # A denial is refused or not found; a view or an export was served.
            models.CheckConstraint(
                condition=Q(
                    action="denied",
                    outcome__in=["refused", "not_found", "denied"],
                )
                | (~Q(action="denied") & Q(outcome="read")),
                name="accesslog_outcome_fits_action",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="accesslog_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.client_id} at {self.occurred_at:%Y-%m-%d %H:%M}"


# --- Emergency access ("break the glass") -----------------------------------------------------

# How long an emergency grant opens a client's record (the issue: "for 12 hours").
EMERGENCY_ACCESS_HOURS = 12
EMERGENCY_ACCESS_DURATION = dt.timedelta(hours=EMERGENCY_ACCESS_HOURS)
# A reason must say something: "emergency" alone is not an account of why.
EMERGENCY_REASON_MIN_LENGTH = 20


class EmergencyAccessQuerySet(models.QuerySet["EmergencyAccess"]):
    def in_force(self, *, at: dt.datetime | None = None) -> EmergencyAccessQuerySet:
        """Grants that open their client at ``at`` (now): granted, not yet expired, and not
        ended early (an EmergencyAccessEnd row)."""
        moment = at if at is not None else timezone.now()
        return self.filter(granted_at__lte=moment, expires_at__gt=moment, end__isnull=True)

    def visible_to(self, user: User) -> EmergencyAccessQuerySet:
        """Who reviews grants: administrators every one; a supervisor those on clients of the
        teams they read (the teams whose supervisors were told, ``client_team_ids``). The
        grantee sees their grant through the client's page, not here."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self.all()
        if user.is_supervisor:
            team_ids = team_ids_readable_by(user) or frozenset()
            return self.filter(client_team_ids__overlap=sorted(team_ids))
        return self.none()

    def writable_by(self, user: User) -> EmergencyAccessQuerySet:
        """Nobody changes a grant (append-only); a departure ends one with a new row."""
        return self.none()


class EmergencyAccess(models.Model):
    """An emergency ("break the glass") grant: a case manager or supervisor, stating why,
    opened one client outside their teams read-only for EMERGENCY_ACCESS_HOURS
    (clients.emergency.emergency_access_grant). HIPAA 45 CFR 164.312(a)(2)(ii), emergency
    access procedure; the grant is also in the access log (action "emergency") and the
    supervisors of the client's teams (``client_team_ids``, as they were at the grant) were
    told at once.

    Append-only like the access log: a trigger refuses UPDATE and DELETE, and the audit chain
    seals its rows (audit.coverage). A grant that ends early (its holder left the agency) is
    ended by an :class:`EmergencyAccessEnd` row, so no row here is ever rewritten.
    """

    class Category(models.TextChoices):
        MEDICAL_EMERGENCY = "medical_emergency", "Medical emergency"
        CRISIS = "crisis", "Crisis (suicidal ideation, violence, abuse allegation)"
        CLIENT_SAFETY = "client_safety", "Client safety"
        CONTINUITY_OF_CARE = "continuity_of_care", "Continuity of care (covering, after hours)"
        OTHER = "other", "Other"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="emergency_accesses")
    category = models.CharField("reason", max_length=20, choices=Category.choices)
    reason = models.TextField("why you need this record now")
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # The client's teams at the grant, whose supervisors were told (and who review it).
    client_team_ids = ArrayField(models.BigIntegerField())

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = "emergency access"
        verbose_name_plural = "emergency accesses"
        indexes = [
            # Every visible_to of a limited-scope user asks for their grants in force: a few
            # rows of this index, whatever the number of clients.
            models.Index(fields=["user", "expires_at"], name="emergencyaccess_user"),
            models.Index(fields=["client", "-granted_at"], name="emergencyaccess_client"),
            GinIndex(fields=["client_team_ids"], name="emergencyaccess_teams"),
        ]
        constraints = [
            # The rule once, in the database: a grant lasts EMERGENCY_ACCESS_HOURS exactly.
            models.CheckConstraint(
                condition=Q(expires_at=F("granted_at") + EMERGENCY_ACCESS_DURATION),
                name="emergencyaccess_lasts_its_hours",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("reason"), EMERGENCY_REASON_MIN_LENGTH),
                name="emergencyaccess_reason_given",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="emergencyaccess_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        when = f"{self.granted_at:%Y-%m-%d %H:%M}"
        return f"Emergency access of {self.user_id} to {self.client_id} at {when}"


class EmergencyAccessEnd(models.Model):
    """The early end of an emergency grant (its holder left the agency: clients.departures).
    A row of its own, append-only, because the grant's row is never updated."""

    class Cause(models.TextChoices):
        DEPARTURE = "departure", "The person left the agency"

    grant = models.OneToOneField(EmergencyAccess, on_delete=models.PROTECT, related_name="end")
    ended_at = models.DateTimeField()
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cause = models.CharField(max_length=20, choices=Cause.choices)

    class Meta:
        ordering = ["-ended_at", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="emergencyaccessend_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"End of emergency access {self.grant_id} at {self.ended_at:%Y-%m-%d %H:%M}"
