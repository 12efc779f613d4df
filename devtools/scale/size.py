"""How big the synthetic agency is for a number of clients: the proportions of issue 6."""

from __future__ import annotations

import math
from dataclasses import dataclass

SYNTHETIC_RECORD_PREFIX = "SYN-"
SYNTHETIC_USERNAME_PREFIX = "syn-"
# Every synthetic login shares this password (hashed once: Argon2 is slow on purpose), a
# passphrase the validators accept: no name from the vocabulary and no "Casework" in it.
SCALE_PASSWORD = "tundra-sparrow-quilt"
# And one authenticator key (hex, as django-otp stores it), so that the load test computes each
# login's second-factor code (loadtest/locustfile.py). Synthetic data only, like the password.
SCALE_AUTHENTICATOR_KEY = "5ca1ab1e" * 5

# Proportions, per 100,000 clients (issue 6).
CLIENTS_PER_CASE_MANAGER = 100_000 / 1_700
TEAM_SIZE = 10
TEAMS_PER_REGION = 17
DEFAULT_CONTACTS_PER_CLIENT = 20
HISTORY_DAYS = 4 * 365 + 1
OPEN_SHARE = 0.80
# Application dates lean recent: a day ``HISTORY_DAYS * u ** APPLICATION_SKEW`` ago.
APPLICATION_SKEW = 1.5
# The benchmark's client page: a client of the first case manager with exactly this many.
BENCHMARK_CONTACTS = 200


@dataclass(frozen=True)
class AgencySize:
    clients: int
    contacts_per_client: int
    case_managers: int
    teams: int
    regions: int
    administrators: int
    qa_reviewers: int
    providers: int

    @classmethod
    def for_clients(cls, clients: int, contacts_per_client: int) -> AgencySize:
        """Teams of ten case managers, about 59 clients each, 17 teams to a region."""
        teams = max(1, round(clients / CLIENTS_PER_CASE_MANAGER / TEAM_SIZE))
        return cls(
            clients=clients,
            contacts_per_client=contacts_per_client,
            case_managers=teams * TEAM_SIZE,
            teams=teams,
            regions=max(1, math.ceil(teams / TEAMS_PER_REGION)),
            administrators=1 + clients // 50_000,
            qa_reviewers=1 + clients // 100_000,
            providers=max(20, clients // 500),
        )
