"""``manage.py seed_demo``: a demo agency to click through, the same every time.

Two regions, three teams, their supervisors, eight case managers, an administrator and a QA
reviewer; three programs with their standards; 80 clients with families, enrollments at every
continuum stage and in every case management model (some closed, two transferred), about
four months of contacts ending a few days before today, and the clinical record: completed
initial assessments (a few still due or overdue), readiness and risk screens (positive ones
after a crisis) and approved service plans with goals, interventions and barriers; and a
walk-in registered at intake but never enrolled (the client directory's "No enrollment"); and
an emergency access that expired (devtools.demo.emergency).

Idempotent: staff are keyed on usernames, programs on codes, clients on fixed legacy record
numbers (``D-0001`` ...; ``CW-`` numbers are reserved for generated ones). The whole agency
is planned first from ``random.Random(2026)``, whatever the database holds, and only what is
missing is created, so a second run changes nothing. Clinical records go through
``clients.services`` like any other writer's, inside one transaction and a pghistory context
``source="seed_demo"``.
"""

from __future__ import annotations

import pghistory
from django.db import transaction

from casemgmt.dates import today
from clients.models import Client, Program
from devtools.demo.api_tokens import write_api_tokens
from devtools.demo.clients import Agency, write_client
from devtools.demo.drafts import write_drafts
from devtools.demo.emergency import write_emergency_access
from devtools.demo.outcomes import write_outcomes
from devtools.demo.planner import AgencyPlanner
from devtools.demo.referrals import ensure_providers
from devtools.demo.reviews import write_reviews
from devtools.demo.staff import Created, ensure_agency
from devtools.demo.supervision import write_supervision
from devtools.demo.visits import write_visits


def seed_demo_agency() -> Created:
    """Create whatever part of the demo agency is missing; return what was created."""
    plans = AgencyPlanner(today=today()).plan()
    with transaction.atomic(), pghistory.context(source="seed_demo"):
        users, created = ensure_agency()
        existing = set(
            Client.objects.filter(record_number__in=[p.record_number for p in plans]).values_list(
                "record_number", flat=True
            )
        )
        agency = Agency(
            users=users,
            programs={p.code: p for p in Program.objects.all()},
            providers=ensure_providers(administrator=users["diana"]),
        )
        for plan in plans:
            if plan.record_number not in existing:
                write_client(plan, agency=agency, created=created)
        write_outcomes(today=today())
        write_visits(users=users, today=today())
        write_supervision(users=users, today=today())
        write_drafts(users=users)
        write_reviews(users=users, today=today())
        write_emergency_access(users=users)
        write_api_tokens(users=users)
    return created
