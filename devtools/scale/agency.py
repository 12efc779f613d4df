"""A synthetic agency proportional to a number of clients, bulk-loaded with COPY.

For 100,000 clients: 10 regions, 170 teams of 10 case managers (1,700) each with a
supervisor, about 80% of the enrollments open, about 2,000,000 contacts over four years,
about 150,000 comprehensive assessments, risk screens (some positive, a few not yet reviewed),
service plans with goals, interventions, barriers and reviews, about 200,000 referrals with
their steps, consents and disclosures, family members, supervision notes with follow-up
tasks, variances (some pending for the administrators' queue) and regional plans. Flags are
raised at the end by the compliance engine itself (supervision.compliance.compliance_evaluate),
as the first nightly run would.

**Synthetic only.** Every synthetic client has a legacy record number starting ``SYN-`` and
every synthetic login a username starting ``syn-``. The loader refuses a database that holds
any other client (the demo agency's included): it is for an empty database made to be
measured, never for one with real records.

**Deterministic.** Everything is drawn from ``random.Random`` seeded with the seed and the
name of the part (``f"{seed}-contacts"``), relative to today's date, so a seed gives the same
agency (see :func:`agency_fingerprint`) and one part's draws do not shift another's.

**History and protection triggers are bypassed, on purpose.** The load runs in one transaction
with ``SET LOCAL session_replication_role = replica`` (where the role may: the owner role that
the embedded database and CI create may, casemgmt.database_roles): django-pghistory's insert
triggers would write a second copy of every row (doubling the work) and the synthetic rows have
no history to keep; the pgtrigger protections only refuse UPDATE and DELETE, which the loader
never does; and foreign-key checks (also triggers) are skipped because the loader makes every
key itself, from ids it allocates past each table's current maximum. The setting is reset as
soon as the rows are written (SET LOCAL would end with the transaction anyway), so everything
written afterwards (the flags of the compliance run, every request of the benchmark) has its
history and checks as usual. Without that right the triggers fire and the history is written:
slower, not different. The id sequences are moved past the loaded rows (``setval``) before the
transaction commits, so the app's own inserts go on from there; the ``CW-`` record-number
sequence is untouched (synthetic numbers are legacy ``SYN-`` ones). Nothing else needs a
trigger's effect: ``Client.search_name`` is a generated column that PostgreSQL computes during
COPY.

Each part (one module a record kind: devtools.scale.staff, .clients, .contacts, ...; run
in order by :data:`PARTS`) plans its rows in Python first and then copies them table by
table, parents before children (devtools.scale.copy): 100,000 clients and 2,000,000 contacts
load in about 100 s on the two cores here, the compliance run that raises the flags taking
10 s more.

Left out, as no page measured shows them: assessment findings, goal progress ratings and the
history (event) tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable

from django.db import connection, transaction

from casemgmt.dates import today as agency_today
from clients.models import Client, Contact, Enrollment
from devtools.postgres import bypass_triggers, may_bypass_triggers
from devtools.scale.assessments import load_assessments
from devtools.scale.clients import load_clients, load_families, synthetic_clients
from devtools.scale.contacts import load_contacts
from devtools.scale.loader import Loader, LoadReport
from devtools.scale.outcomes import load_outcomes
from devtools.scale.plans import load_plans
from devtools.scale.providers import load_programs_and_providers
from devtools.scale.referrals import load_referrals
from devtools.scale.reviews import load_reviews
from devtools.scale.size import DEFAULT_CONTACTS_PER_CLIENT, SYNTHETIC_RECORD_PREFIX, AgencySize
from devtools.scale.staff import load_staff
from devtools.scale.supervision import load_supervision
from devtools.scale.variances import load_variances_and_regional_plans
from devtools.scale.visits import load_visits
from referrals.models import Referral
from serviceplans.models import Assessment, RiskScreen
from supervision.compliance import compliance_evaluate

# The parts of the load, in order: each reads what the earlier ones planned.
PARTS: tuple[tuple[str, Callable[[Loader], None]], ...] = (
    ("staff", load_staff),
    ("programs and providers", load_programs_and_providers),
    ("clients and enrollments", load_clients),
    ("family members", load_families),
    ("assessments and risk screens", load_assessments),
    ("service plans", load_plans),
    ("contacts", load_contacts),
    ("consents and referrals", load_referrals),
    ("supervision notes", load_supervision),
    ("variances and regional plans", load_variances_and_regional_plans),
    ("planned visits", load_visits),
    ("outcome measures", load_outcomes),
    ("record reviews", load_reviews),
)
HISTORY_BYPASSED = (
    "bypassed: session_replication_role = replica during the load (no history "
    "rows, no trigger or foreign-key checks for the loaded rows)"
)
HISTORY_WRITTEN = "written: the role may not bypass the triggers, so they fired"


class SeedRefused(Exception):
    """The database is not one seed_scale may write to."""


def refuse_unless_empty_of_real_clients() -> None:
    """seed_scale writes only to a database without real clients: any client whose record
    number does not start with ``SYN-`` (the demo agency's ``D-`` clients included) is
    real to it. A database already seeded is refused too (drop and migrate it again)."""
    real = Client.objects.exclude(record_number__startswith=SYNTHETIC_RECORD_PREFIX).count()
    if real:
        raise SeedRefused(
            f"The database holds {real} client(s) that are not synthetic; seed_scale only "
            "loads into a database without real clients. Use a database of its own, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_db."
        )
    if synthetic_clients().exists():
        raise SeedRefused(
            "The database already holds a synthetic agency; drop and migrate it to seed again."
        )


def load(loader: Loader) -> None:
    """Plan and COPY the whole agency in the current transaction, part by part, then move
    the sequences on and refresh the statistics."""
    for name, part in PARTS:
        started = time.monotonic()
        part(loader)
        loader.step(name, started)
    started = time.monotonic()
    loader.finish()
    loader.step("sequences and statistics", started)


def _vacuum(loader: Loader) -> None:
    """Outside a transaction (not in tests): the visibility map, for index-only scans."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        for model in (Contact, Enrollment, Client, Referral, Assessment, RiskScreen):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    loader.step("vacuum", started)


def _raise_flags(loader: Loader, *, today: dt.date) -> None:
    """The compliance engine's first nightly run, which raises the flags (with history)."""
    started = time.monotonic()
    evaluation = compliance_evaluate(as_of=today)
    with connection.cursor() as cursor:
        # Tens of thousands of flags where the statistics saw none: without this the
        # navigation bar's count of a user's open flags reads every open flag.
        cursor.execute("ANALYZE supervision_flag")
    loader.report.counts["flags raised"] = evaluation.raised
    loader.step("compliance evaluation (flags)", started, evaluation.raised)


def seed_scale(
    *,
    clients: int,
    contacts_per_client: int = DEFAULT_CONTACTS_PER_CLIENT,
    seed: int = 1,
    today: dt.date | None = None,
    evaluate: bool = True,
    log: Callable[[str], None] = lambda message: None,
) -> LoadReport:
    """Load a synthetic agency of ``clients`` clients (see the module docstring): one
    transaction, triggers bypassed when allowed, sequences moved on, statistics refreshed;
    then (``evaluate``) the compliance engine raises the flags, with their history."""
    if clients < 1:
        raise SeedRefused("--clients must be at least 1.")
    if contacts_per_client < 0:
        raise SeedRefused("--contacts-per-client cannot be negative.")
    today = today or agency_today()
    size = AgencySize.for_clients(clients, contacts_per_client)
    started = time.monotonic()
    with transaction.atomic():
        refuse_unless_empty_of_real_clients()
        loader = Loader(size=size, seed=seed, today=today, log=log)
        bypass = may_bypass_triggers()
        loader.report.history = HISTORY_BYPASSED if bypass else HISTORY_WRITTEN
        if bypass:
            bypass_triggers(True)
        load(loader)
        if bypass:
            # Back to normal before anything else is written in this transaction (the
            # caller's, in tests): triggers, history and foreign-key checks fire again.
            bypass_triggers(False)
    loader.report.seconds["load"] = round(time.monotonic() - started, 2)
    if not connection.in_atomic_block:
        _vacuum(loader)
    if evaluate:
        _raise_flags(loader, today=today)
    return loader.report


# --- Fingerprint ------------------------------------------------------------------------------

# Content, not ids (ids depend on what the database held before): enough columns of each
# table to tell two agencies apart.
_FINGERPRINT_SQL: tuple[tuple[str, str], ...] = (
    (
        "clients",
        "SELECT c.record_number || c.first_name || c.last_name || c.date_of_birth"
        " FROM clients_client c WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
    (
        "enrollments",
        "SELECT c.record_number || p.code || u.username || e.status || e.application_date"
        " || COALESCE(e.closed_on::text, '') FROM clients_enrollment e"
        " JOIN clients_client c ON c.id = e.client_id JOIN clients_program p ON p.id ="
        " e.program_id JOIN accounts_user u ON u.id = e.case_manager_id"
        " WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
    (
        "contacts",
        "SELECT c.record_number || k.occurred_at || k.contact_type || k.duration_minutes"
        " FROM clients_contact k JOIN clients_client c ON c.id = k.client_id"
        " WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
    (
        "assessments",
        "SELECT c.record_number || a.kind || a.status || COALESCE(a.completed_on::text, '')"
        " FROM serviceplans_assessment a JOIN clients_enrollment e ON e.id = a.enrollment_id"
        " JOIN clients_client c ON c.id = e.client_id"
        " WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
    (
        "referrals",
        "SELECT c.record_number || pr.name || r.status || COALESCE(r.follow_up_due_on::text, '')"
        " FROM referrals_referral r JOIN clients_enrollment e ON e.id = r.enrollment_id"
        " JOIN clients_client c ON c.id = e.client_id JOIN referrals_provider pr"
        " ON pr.id = r.provider_id WHERE c.record_number LIKE 'SYN-%%' ORDER BY 1",
    ),
)


def agency_fingerprint() -> dict[str, str]:
    """Per table, the number of synthetic rows and an MD5 of their content: the same seed
    (on the same day) gives the same fingerprint."""
    result: dict[str, str] = {}
    with connection.cursor() as cursor:
        for name, sql in _FINGERPRINT_SQL:
            cursor.execute(f"SELECT count(*), md5(string_agg(x, ',')) FROM ({sql}) AS t(x)")  # nosec B608  # table names from the models; values as parameters
            count, digest = cursor.fetchone()
            result[name] = f"{count}:{digest}"
    # A fingerprint to compare two loads, not a secret.
    digest = hashlib.md5(repr(sorted(result.items())).encode(), usedforsecurity=False)
    result["all"] = digest.hexdigest()
    return result
