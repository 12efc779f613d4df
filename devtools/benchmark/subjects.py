"""Who and what the benchmark's pages are requested for."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, models

from accounts.models import Role, User
from clients.models import Client
from devtools.scale.size import BENCHMARK_CONTACTS, SYNTHETIC_USERNAME_PREFIX


class BenchmarkError(Exception):
    """The database holds no synthetic agency to measure."""


@dataclass
class Subjects:
    """Who and what the pages are requested for: the first synthetic case manager, their
    client with BENCHMARK_CONTACTS contacts, their team and its supervisor, an administrator."""

    case_manager: User
    supervisor: User
    administrator: User
    team_id: int
    client: Client
    team_ids: list[int]
    # Intake's search: a client of the team with the agency's commonest surname, their first
    # name misspelt (the hard case: a common surname matches a thousand people).
    searched: Client

    @classmethod
    def find(cls) -> Subjects:
        case_manager = (
            User.objects.filter(
                username__startswith=SYNTHETIC_USERNAME_PREFIX, role=Role.CASE_MANAGER
            )
            .order_by("username")
            .first()
        )
        if case_manager is None or case_manager.team_id is None:
            raise BenchmarkError(
                "No synthetic agency here: run `manage.py seed_scale --clients N` first."
            )
        supervisor = (
            User.objects.filter(role=Role.SUPERVISOR, supervised_teams=case_manager.team_id)
            .order_by("username")
            .first()
        )
        administrator = (
            User.objects.filter(role=Role.ADMINISTRATOR, is_active=True)
            .order_by("-username")  # syn-admin-1 before any other
            .first()
        )
        if supervisor is None or administrator is None:
            raise BenchmarkError("The synthetic agency has no supervisor or administrator.")
        with connection.cursor() as cursor:
            # The client of the case manager with exactly BENCHMARK_CONTACTS contacts (the
            # seed makes one), or else the one with the most.
            cursor.execute(
                "SELECT k.client_id FROM clients_contact k JOIN clients_enrollment e"
                " ON e.id = k.enrollment_id WHERE e.case_manager_id = %s AND e.status = 'open'"
                " GROUP BY k.client_id ORDER BY count(*) = %s DESC, count(*) DESC, k.client_id"
                " LIMIT 1",
                [case_manager.pk, BENCHMARK_CONTACTS],
            )
            row = cursor.fetchone()
        if row is None:
            raise BenchmarkError("The first synthetic case manager has no client with contacts.")
        client = Client.objects.get(pk=row[0])
        team_clients = Client.objects.filter(enrollments__team_id=case_manager.team_id)
        commonest = (
            team_clients.values("last_name")
            .annotate(n=models.Count("pk"))
            .order_by("-n", "last_name")
            .values_list("last_name", flat=True)
            .first()
        )
        searched = team_clients.filter(last_name=commonest).order_by("pk").first() or client
        return cls(
            case_manager=case_manager,
            supervisor=supervisor,
            administrator=administrator,
            team_id=case_manager.team_id,
            client=client,
            team_ids=[case_manager.team_id],
            searched=searched,
        )
