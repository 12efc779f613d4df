"""``manage.py seed_scale``: a synthetic agency, bulk-loaded, proportional and deterministic,
and never into a database with real clients.

The agency is loaded once for the module inside a transaction of its own that is rolled back
at the end (clinical tables refuse DELETE); each test runs in a savepoint within it. Tests
that need an empty database (determinism, refusals) load their own, small ones, and come
first: the module's agency is loaded when the first test asks for it and stays until the end.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import DjangoDbBlocker

from accounts.models import Role, Team, User
from clients.models import Client, Contact, Enrollment
from devtools.scale.agency import SeedRefused, agency_fingerprint, seed_scale
from devtools.scale.loader import LoadReport
from devtools.scale.size import (
    BENCHMARK_CONTACTS,
    SCALE_AUTHENTICATOR_KEY,
    SCALE_PASSWORD,
    AgencySize,
)
from devtools.scale.vocabulary import FEMALE_NAMES, MALE_NAMES, SURNAMES
from referrals.models import Referral
from serviceplans.models import Assessment, Goal, ServicePlan
from supervision.models import Flag, SupervisionNote, Variance
from tests import factories, migration_data

# seed_scale and the benchmark run as the tables' owner (casemgmt.database_roles).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("as_database_owner")]

CLIENTS = 200


@pytest.fixture(scope="module")
def agency(as_database_owner: None, django_db_blocker: DjangoDbBlocker) -> Iterator[LoadReport]:
    with django_db_blocker.unblock(), transaction.atomic():
        migration_data.restore()
        yield seed_scale(clients=CLIENTS, seed=7)
        transaction.set_rollback(True)


def _fingerprint_of_a_load(*, seed: int) -> dict[str, str]:
    """Load, fingerprint and roll the load back, leaving the database as it was."""
    with transaction.atomic():
        seed_scale(clients=60, contacts_per_client=5, seed=seed, evaluate=False)
        fingerprint = agency_fingerprint()
        transaction.set_rollback(True)
    return fingerprint


# --- Determinism ------------------------------------------------------------------------------


def test_it_loads_the_same_agency_for_the_same_seed() -> None:
    assert _fingerprint_of_a_load(seed=3) == _fingerprint_of_a_load(seed=3)


def test_it_loads_another_agency_for_another_seed() -> None:
    assert _fingerprint_of_a_load(seed=3)["all"] != _fingerprint_of_a_load(seed=4)["all"]


# --- Refusals and bad input -------------------------------------------------------------------


def test_it_refuses_a_database_with_real_clients() -> None:
    # The demo agency's clients have D- record numbers: real, as far as seed_scale knows.
    factories.ClientFactory(record_number="D-0001")
    with pytest.raises(SeedRefused, match="not synthetic"):
        seed_scale(clients=10)
    assert not Client.objects.filter(record_number__startswith="SYN-").exists()


def test_the_command_refuses_a_database_with_real_clients() -> None:
    factories.ClientFactory(record_number="D-0001")
    with pytest.raises(CommandError, match="not synthetic"):
        call_command("seed_scale", "--clients", "10", stdout=io.StringIO())


def test_it_refuses_no_clients() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_scale", "--clients", "0", stdout=io.StringIO())


def test_it_refuses_a_negative_number_of_contacts() -> None:
    with pytest.raises(CommandError, match="cannot be negative"):
        call_command(
            "seed_scale", "--clients", "5", "--contacts-per-client", "-1", stdout=io.StringIO()
        )


def test_the_command_prints_the_counts_and_the_load_time() -> None:
    out = io.StringIO()
    call_command("seed_scale", "--clients", "30", "--no-evaluate", stdout=out)
    assert "clients: 30" in out.getvalue()
    assert "Loaded in" in out.getvalue()


def test_it_bypasses_the_triggers_only_during_the_load() -> None:
    seed_scale(clients=20, evaluate=False)
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


# --- Proportions ------------------------------------------------------------------------------


def test_it_loads_the_clients_asked_for(agency: LoadReport) -> None:
    assert Client.objects.count() == CLIENTS
    assert not Client.objects.exclude(record_number__startswith="SYN-").exists()


def test_it_sizes_the_staff_in_teams_of_ten(agency: LoadReport) -> None:
    assert User.objects.filter(role=Role.CASE_MANAGER).count() == 10
    assert Team.objects.count() == 1
    assert not Team.objects.filter(supervisors=None).exists()
    assert User.objects.filter(role=Role.ADMINISTRATOR).exists()


def test_it_scales_the_staff_like_the_issue_says() -> None:
    size = AgencySize.for_clients(100_000, 20)
    assert (size.case_managers, size.teams, size.regions) == (1_700, 170, 10)


def test_it_keeps_about_four_in_five_enrollments_open(agency: LoadReport) -> None:
    open_share = Enrollment.objects.open().count() / Enrollment.objects.count()
    assert 0.7 <= open_share <= 0.9


def test_it_has_some_substance_use_clients_come_from_detox(agency: LoadReport) -> None:
    after_detox = Enrollment.objects.filter(prior_discharge_on__isnull=False)
    assert set(after_detox.values_list("program__code", "prior_discharge_from")) == {
        ("syn-sud", "detox")
    }
    assert 0 < after_detox.count() < Enrollment.objects.filter(program__code="syn-sud").count()
    assert not after_detox.filter(prior_discharge_on__gte=F("application_date")).exists()


def test_it_loads_about_twenty_contacts_per_client(agency: LoadReport) -> None:
    assert 15 * CLIENTS <= Contact.objects.count() <= 25 * CLIENTS
    assert agency.counts["contacts"] == Contact.objects.count()


def test_it_gives_the_first_case_manager_a_client_with_two_hundred_contacts(
    agency: LoadReport,
) -> None:
    client = Client.objects.get(pk=agency.benchmark_client_id)
    assert client.contacts.count() == BENCHMARK_CONTACTS
    assert client.enrollments.get().case_manager.username == "syn-cm-0001"


def test_it_loads_the_clinical_record_in_proportion(agency: LoadReport) -> None:
    assert 1.2 * CLIENTS <= Assessment.objects.count() <= 2.0 * CLIENTS
    assert 1.5 * CLIENTS <= Referral.objects.count() <= 2.5 * CLIENTS
    assert ServicePlan.objects.filter(status=ServicePlan.Status.ACTIVE).count() > CLIENTS / 2
    assert Goal.objects.count() > ServicePlan.objects.count()
    assert SupervisionNote.objects.exists()


def test_it_leaves_some_variances_pending_for_the_administrators(agency: LoadReport) -> None:
    assert Variance.objects.pending().exists()
    assert Variance.objects.exclude(status=Variance.Status.PENDING).exists()


def test_it_raises_the_flags_with_the_compliance_engine(agency: LoadReport) -> None:
    assert Flag.objects.open().count() == agency.counts["flags raised"] > 0


def test_it_gives_every_login_the_scale_password(agency: LoadReport) -> None:
    assert User.objects.get(username="syn-cm-0001").check_password(SCALE_PASSWORD)


def test_it_gives_every_login_an_authenticator_with_the_scale_key(agency: LoadReport) -> None:
    devices = TOTPDevice.objects.filter(user__username__startswith="syn-", confirmed=True)
    assert set(devices.values_list("key", flat=True)) == {SCALE_AUTHENTICATOR_KEY}
    assert devices.count() == User.objects.filter(username__startswith="syn-").count()


def test_the_scale_password_passes_the_validators_whatever_the_names_drawn() -> None:
    for name in (*FEMALE_NAMES, *MALE_NAMES, *SURNAMES):
        validate_password(SCALE_PASSWORD, user=User(username="syn-cm-0001", first_name=name))


# --- The database after the load -------------------------------------------------------------


def test_it_moves_the_id_sequences_past_the_loaded_rows(agency: LoadReport) -> None:
    contact = factories.ContactFactory()
    assert contact.pk > Contact.objects.exclude(pk=contact.pk).order_by("-pk").first().pk


def _events() -> models.QuerySet[models.Model]:
    return Client.pgh_event_model.objects.all()  # type: ignore[attr-defined]


def test_it_writes_no_history_for_the_loaded_rows(agency: LoadReport) -> None:
    assert not _events().exists()


def test_it_turns_the_history_triggers_back_on_after_the_load(agency: LoadReport) -> None:
    client = Client.objects.first()
    Client.objects.filter(pk=client.pk).update(first_name="Changed")
    assert _events().filter(pgh_obj=client, first_name="Changed").exists()


def test_it_keeps_the_protection_triggers_after_the_load(agency: LoadReport) -> None:
    with (
        pytest.raises(DatabaseError, match="pgtrigger"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM clients_contact WHERE id = %s", [Contact.objects.first().pk])


def test_it_refuses_a_database_already_seeded(agency: LoadReport) -> None:
    with pytest.raises(SeedRefused, match="already holds a synthetic agency"):
        seed_scale(clients=10)


def test_it_leaves_a_record_to_review_per_case_manager_for_the_queue(agency: LoadReport) -> None:
    from quality.models import RecordReview

    pending = RecordReview.objects.filter(status="pending")
    case_managers = User.objects.filter(role="case_manager", caseload__status="open").distinct()
    assert pending.values("case_manager").distinct().count() == case_managers.count()
    assert RecordReview.objects.filter(status="returned", items__isnull=False).exists()
