"""``manage.py api_fuzz_setup --output FILE``: ready the seeded demo agency for the schemathesis
run (``.ci/schemathesis``): stage the demo case manager's open work (devtools.api_fuzz.staging),
mint a one-day API token for the case manager and one for the administrator, and write each
role's token and pools (devtools.api_fuzz.pools) to FILE as JSON.

The tokens are minted by ``accounts.api_tokens.token_mint`` as their owners would, from a
session past the second factor (devtools.sessions.api_token_mint_for): this command stands in
for the demo users on a scratch database, and is never run against real data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.models import User
from devtools.api_fuzz.pools import role_pools
from devtools.api_fuzz.staging import stage_open_work
from devtools.sessions import api_token_mint_for


def _token_for(user: User) -> str:
    _, secret = api_token_mint_for(user, name="schemathesis run", days=1)
    return secret


class Command(BaseCommand):
    help = "Stage open work, mint API tokens and write the schemathesis run's pools as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--case-manager", default="alex")
        parser.add_argument("--supervisor", default="sofia")
        parser.add_argument("--administrator", default="diana")

    def handle(self, *args: Any, **options: Any) -> None:
        case_manager = User.objects.get(username=options["case_manager"])
        administrator = User.objects.get(username=options["administrator"])
        stage_open_work(
            case_manager=case_manager,
            supervisor=User.objects.get(username=options["supervisor"]),
            administrator=administrator,
        )
        roles = {
            "case_manager": case_manager,
            "administrator": administrator,
        }
        setup = {
            role: {"username": user.username, "token": _token_for(user), **role_pools(user)}
            for role, user in roles.items()
        }
        output: Path = options["output"]
        output.write_text(json.dumps(setup, indent=1))
        for role, data in setup.items():
            self.stdout.write(
                f"{role} ({data['username']}): {len(data['paths'])} operations on chosen "
                f"records, {len(data['bodies'])} creations with chosen references"
            )
