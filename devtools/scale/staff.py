"""The staff: regions, teams of case managers with their supervisors, administrators
and QA reviewers, every login sharing SCALE_PASSWORD and an authenticator keyed with
SCALE_AUTHENTICATOR_KEY (the second factor)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Region, Role, Team, User
from accounts.second_factor import AUTHENTICATOR_NAME
from devtools.scale.copy import copy_batch
from devtools.scale.loader import Loader, rng_for
from devtools.scale.size import (
    SCALE_AUTHENTICATOR_KEY,
    SCALE_PASSWORD,
    SYNTHETIC_USERNAME_PREFIX,
    TEAM_SIZE,
    TEAMS_PER_REGION,
)
from devtools.scale.vocabulary import FEMALE_NAMES, MALE_NAMES, SURNAMES


def load_staff(loader: Loader) -> None:
    size, staff, days = loader.size, loader.staff, loader.days
    rng = rng_for(loader.seed, "staff")
    password = make_password(SCALE_PASSWORD)
    joined = days.ts(days.start - 30)
    with copy_batch() as batch:
        regions = batch.table(Region, ["id", "name"])
        for r in range(size.regions):
            staff.region_ids.append(loader.take(Region))
            regions.row(staff.region_ids[-1], f"Synthetic Region {r + 1:02d}")
    with copy_batch() as batch:
        teams = batch.table(Team, ["id", "name", "region_id"])
        for t in range(size.teams):
            staff.team_ids.append(loader.take(Team))
            teams.row(
                staff.team_ids[-1],
                f"Synthetic Team {t + 1:03d}",
                staff.region_ids[t // TEAMS_PER_REGION],
            )
    columns = [
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "role",
        "team_id",
        "credentials",
    ]
    with copy_batch() as batch:
        users = batch.table(User, columns)

        def user(username: str, role: str, team: int | None, credentials: str = "") -> int:
            pk = loader.take(User)
            first = rng.choice(FEMALE_NAMES if rng.random() < 0.7 else MALE_NAMES)
            last = rng.choice(SURNAMES)
            users.row(
                pk,
                password,
                None,
                False,
                username,
                first,
                last,
                f"{username}@example.org",
                role == Role.ADMINISTRATOR,
                True,
                joined,
                role,
                team,
                credentials,
            )
            return pk

        for t in range(size.teams):
            staff.supervisors.append(
                user(f"syn-sup-{t + 1:03d}", Role.SUPERVISOR, staff.team_ids[t], "LCSW")
            )
        for c in range(size.case_managers):
            team = c // TEAM_SIZE
            staff.case_managers.append(
                user(
                    f"syn-cm-{c + 1:04d}",
                    Role.CASE_MANAGER,
                    staff.team_ids[team],
                    rng.choice(("LSW", "LMSW", "BSW", "CADC")),
                )
            )
            staff.cm_team.append(team)
        for a in range(size.administrators):
            staff.administrators.append(user(f"syn-admin-{a + 1}", Role.ADMINISTRATOR, None))
        for q in range(size.qa_reviewers):
            user(f"syn-qa-{q + 1}", Role.QA_REVIEWER, None)
        loader.report.counts["users"] = users.rows
    through = Team.supervisors.through
    with copy_batch() as batch:
        rows = batch.table(through, ["id", "team_id", "user_id"])
        for t in range(size.teams):
            rows.row(loader.take(through), staff.team_ids[t], staff.supervisors[t])
    synthetic = User.objects.filter(username__startswith=SYNTHETIC_USERNAME_PREFIX).values_list(
        "pk", flat=True
    )
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user_id=pk, name=AUTHENTICATOR_NAME, key=SCALE_AUTHENTICATOR_KEY, confirmed=True)
        for pk in synthetic
    )
