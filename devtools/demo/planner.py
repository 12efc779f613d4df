"""Plans the whole demo agency from one seeded generator, in passes: clients and their
enrollments, then closures, transfers, contacts and crises."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from accounts.models import Role
from clients.models import Client, Enrollment
from clients.services import DEMO_RECORD_PREFIX
from devtools.demo.contacts import ContactPlanner
from devtools.demo.families import FamilyPlanner
from devtools.demo.plan import SEED, ClientPlan, EnrollmentPlan
from devtools.demo.staff import BOISE, CANYON, POCATELLO, STAFF, TEAMS
from devtools.demo.words import (
    ARABIC,
    BOYS,
    CITIES,
    ELIGIBILITY,
    GIRLS,
    HISPANIC,
    JOHN_SMITH,
    JOHN_SMITH_RECORD,
    MEN,
    MIDDLE_NAMES,
    MODEL_WEIGHTS,
    NICKNAMES,
    PRESENTING_ISSUES,
    SCHOOLS,
    STAGE_AGES,
    STAGE_WEIGHTS,
    STREETS,
    VIETNAMESE,
    WALK_IN,
    WALK_IN_RECORD,
    WALK_IN_REGISTRAR,
    WOMEN,
)

Stage = Enrollment.ContinuumStage


# Legacy record numbers: ``CW-`` ones are reserved for those the app generates; ``D-`` marks
# a demo client (compliance_replay_history_for_demo writes only where every client has one).
RECORD_PREFIX = DEMO_RECORD_PREFIX
# Who takes which clients: (program codes, team, how many clients).
CASELOAD_MIX: tuple[tuple[tuple[str, ...], str, int], ...] = (
    (("cmh-sed",), BOISE, 24),
    (("cmh-sed",), POCATELLO, 6),
    (("sud-op",), CANYON, 18),
    (("sud-op",), POCATELLO, 8),
    (("hiv-cfp",), CANYON, 12),
    (("hiv-cfp",), POCATELLO, 6),
    (("hiv-cfp", "sud-op"), CANYON, 4),
    (("hiv-cfp", "sud-op"), POCATELLO, 2),
)
CLOSE_REASONS = (
    (Enrollment.CloseReason.GOALS_MET, "Service plan goals met; family agreed to close."),
    (Enrollment.CloseReason.GOALS_MET, "Stable for three months; goals met."),
    (Enrollment.CloseReason.GOALS_MET, "Goals met; linked to ongoing outpatient care."),
    (Enrollment.CloseReason.LOST_CONTACT, "No response to calls, visits or letters for 30 days."),
    (Enrollment.CloseReason.LOST_CONTACT, "Unable to reach after repeated attempts."),
    (Enrollment.CloseReason.MOVED, "Moved out of state to live with family."),
    (Enrollment.CloseReason.DECLINED, "Client declined further case management."),
    (Enrollment.CloseReason.TRANSFERRED_OUT, "Transferred to the tribal health program."),
)


# Substance-use episodes that follow a discharge from detox (all but one) or from inpatient
# treatment (one).
PRIOR_DISCHARGES = 6


class AgencyPlanner(FamilyPlanner, ContactPlanner):
    """Plans the demo agency from a seeded random generator; touches no database."""

    def __init__(self, *, today: dt.date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.used_names: set[tuple[str, str]] = set()
        self.case_managers = {
            team: [s.username for s in STAFF if s.team == team and s.role == Role.CASE_MANAGER]
            for team in TEAMS
        }
        # Caseloads dealt round the team in turn, from a seeded shuffle.
        self.next_case_manager = {
            team: itertools.cycle(self.rng.sample(names, len(names)))
            for team, names in self.case_managers.items()
        }

    # Planned in passes, so that closures, transfers and crises are chosen
    # across all enrollments before contacts are laid out.
    def plan(self) -> list[ClientPlan]:
        clients = self._plan_clients()
        episodes = [(c, e) for c in clients for e in c.enrollments]
        self._plan_prior_discharges(episodes)
        self._plan_closures(episodes)
        self._plan_transfers(episodes)
        for client, enrollment in episodes:
            self._plan_contacts(client, enrollment)
        self._plan_crises(episodes)
        return clients

    # -- clients and families --

    def _plan_clients(self) -> list[ClientPlan]:
        clients: list[ClientPlan] = []
        number = 0
        for programs, team, count in CASELOAD_MIX:
            for _ in range(count):
                number += 1
                record_number = f"{RECORD_PREFIX}{number:04d}"
                child = programs == ("cmh-sed",)
                kind = "child" if child else programs[-1]
                # D-0031 is the duplicate-search demo: "Jon Smyth" finds him.
                fixed = JOHN_SMITH if record_number == JOHN_SMITH_RECORD else None
                client = self._plan_client(record_number, team, kind=kind, fixed=fixed)
                case_manager = next(self.next_case_manager[team])
                for code in programs:
                    client.enrollments.append(self._plan_enrollment(client, code, case_manager))
                clients.append(client)
        self._plan_returning_clients(clients)
        # Fixed, drawing nothing from the generator: no other client changes with it.
        clients.append(
            ClientPlan(
                record_number=WALK_IN_RECORD,
                team=CANYON,
                fields={**WALK_IN, **_identifiers(WALK_IN_RECORD)},
                kind="sud-op",
                registered_by=WALK_IN_REGISTRAR,
            )
        )
        return clients

    def _language(self, surname: str) -> tuple[str, bool]:
        rng = self.rng
        if surname in HISPANIC and rng.random() < 0.35:
            return "Spanish", rng.random() < 0.6
        if surname in VIETNAMESE and rng.random() < 0.5:
            return "Vietnamese", rng.random() < 0.6
        if surname in ARABIC and rng.random() < 0.5:
            return rng.choice(("Arabic", "Somali")), rng.random() < 0.6
        return "English", False

    def _plan_client(
        self, record_number: str, team: str, *, kind: str, fixed: dict[str, Any] | None
    ) -> ClientPlan:
        rng = self.rng
        child = kind == "child"
        female, first, last, age_days = self._person(child)
        city, postal_code = rng.choice(CITIES[team])
        language, interpreter = self._language(last)
        gender_identity = ""
        if kind == "hiv-cfp" and rng.random() < 0.15:
            gender_identity = rng.choice(("Transgender woman", "Non-binary"))
        fields: dict[str, Any] = {
            "first_name": first,
            "middle_name": rng.choice(MIDDLE_NAMES) if rng.random() < 0.3 else "",
            "last_name": last,
            "preferred_name": NICKNAMES.get(first, "") if rng.random() < 0.5 else "",
            "date_of_birth": self.today - dt.timedelta(days=age_days),
            "sex": Client.Sex.FEMALE if female else Client.Sex.MALE,
            "gender_identity": gender_identity,
            "primary_language": language,
            "interpreter_needed": interpreter and not child,
            "phone": "" if child else self._phone(),
            "email": "",
            "address_line": f"{rng.randint(100, 4999)} {rng.choice(STREETS)}",
            "city": city,
            "state": "ID",
            "postal_code": postal_code,
        }
        fields.update(_identifiers(record_number))
        if fixed:
            fields.update(fixed)
            first, last = fields["first_name"], fields["last_name"]
        if not child and rng.random() < 0.3:
            fields["email"] = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower()
        client = ClientPlan(record_number=record_number, team=team, fields=fields, kind=kind)
        if child:
            client.school = rng.choice(SCHOOLS)
            self._plan_child_family(client)
        else:
            self._plan_adult_family(client)
        return client

    def _person(self, child: bool) -> tuple[bool, str, str, int]:
        """Whether female, first and last name, and age in days: a child of 6 to 17 (the
        children's program) or an adult of 20 to 68."""
        rng = self.rng
        female = rng.random() < (0.45 if child else 0.5)
        firsts: tuple[str, ...]
        if child:
            firsts, age_days = (GIRLS if female else BOYS), rng.randint(6 * 365, 17 * 365)
        else:
            firsts, age_days = (WOMEN if female else MEN), rng.randint(20 * 365, 68 * 365)
        first, last = self._unique_name(firsts)
        return female, first, last, age_days

    def _plan_enrollment(
        self, client: ClientPlan, program: str, case_manager: str
    ) -> EnrollmentPlan:
        rng = self.rng
        stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
        fewest, most = STAGE_AGES[stage]
        # Never before the client was six: the program's youngest.
        oldest_allowed = (self.today - client.fields["date_of_birth"]).days - 6 * 365
        applied_days_ago = max(fewest, min(rng.randint(fewest, most), oldest_allowed))
        weights = MODEL_WEIGHTS[program]
        model = rng.choices(list(weights), weights=list(weights.values()))[0]
        eligibility = rng.choice(ELIGIBILITY[program]).format(
            n=rng.choice(range(90, 180, 10)), year=rng.randint(2008, 2025)
        )
        return EnrollmentPlan(
            program=program,
            case_manager=case_manager,
            application_date=self.today - dt.timedelta(days=applied_days_ago),
            continuum_stage=stage,
            case_management_model=model,
            presenting_issue=rng.choice(PRESENTING_ISSUES[program]),
            eligibility_note=eligibility,
        )

    def _plan_returning_clients(self, clients: list[ClientPlan]) -> None:
        """Two children came back: an earlier episode closed with goals met, then a new one."""
        ten_years_ago = self.today - dt.timedelta(days=10 * 365)
        children = [
            c
            for c in clients
            if c.kind == "child" and c.team == BOISE and c.fields["date_of_birth"] < ten_years_ago
        ]
        for client in self.rng.sample(children, 2):
            current = client.enrollments[0]
            applied = self.today - dt.timedelta(days=self.rng.randint(800, 1000))
            closed_on = applied + dt.timedelta(days=self.rng.randint(240, 400))
            earlier = EnrollmentPlan(
                program="cmh-sed",
                case_manager=current.case_manager,
                application_date=applied,
                continuum_stage=Stage.AFTERCARE,
                case_management_model=current.case_management_model,
                presenting_issue="Anxiety and school refusal after a family move.",
                eligibility_note=current.eligibility_note,
                closed_on=closed_on,
                close_reason=Enrollment.CloseReason.GOALS_MET,
                close_note="Attending school full time; family confident with the plan.",
            )
            client.enrollments.insert(0, earlier)
            # The new episode starts after the earlier one closed.
            current.application_date = max(
                current.application_date, closed_on + dt.timedelta(days=90)
            )

    def _plan_prior_discharges(self, episodes: list[tuple[ClientPlan, EnrollmentPlan]]) -> None:
        """A few substance-use clients came from detox a few days before applying, one from
        residential treatment a week before, all within the continuity report's default year.
        Drawn from a generator of their own: no other episode changes with them."""
        rng = random.Random(f"{SEED}-prior-discharges")
        candidates = [
            e
            for _, e in episodes
            if e.program == "sud-op" and (self.today - e.application_date).days < 300
        ]
        chosen = rng.sample(candidates, min(len(candidates), PRIOR_DISCHARGES))
        for n, enrollment in enumerate(chosen):
            if n == 0:
                enrollment.prior_discharge_from = Enrollment.DischargedFrom.INPATIENT
                days_before = rng.randint(6, 9)
            else:
                enrollment.prior_discharge_from = Enrollment.DischargedFrom.DETOX
                days_before = rng.randint(1, 5)
            enrollment.prior_discharge_on = enrollment.application_date - dt.timedelta(
                days=days_before
            )

    def _plan_closures(self, episodes: list[tuple[ClientPlan, EnrollmentPlan]]) -> None:
        eligible = [
            e
            for _, e in episodes
            if e.closed_on is None
            and (self.today - e.application_date).days > 75
            and e.continuum_stage in (Stage.PRIMARY_TREATMENT, Stage.AFTERCARE)
        ]
        for enrollment, (reason, note) in zip(
            self.rng.sample(eligible, len(CLOSE_REASONS)), CLOSE_REASONS, strict=True
        ):
            enrollment.closed_on = self.today - dt.timedelta(days=self.rng.randint(6, 60))
            enrollment.close_reason = reason
            enrollment.close_note = note

    def _plan_transfers(self, episodes: list[tuple[ClientPlan, EnrollmentPlan]]) -> None:
        """Two open episodes moved to a colleague (a caseload rebalanced); kept in history."""
        for team in (BOISE, CANYON):
            candidates = [
                e
                for c, e in episodes
                if c.team == team and e.closed_on is None and e.transfer_to is None
            ]
            enrollment = self.rng.choice(candidates)
            colleagues = [u for u in self.case_managers[team] if u != enrollment.case_manager]
            enrollment.transfer_to = self.rng.choice(colleagues)

    # -- contacts --


def _identifiers(record_number: str) -> dict[str, str]:
    """A demo client's Social Security and Medicaid numbers, from the record number (no draw
    from the generator, so adding them shifted nothing else): SSNs in the 900s area, which
    the Social Security Administration never issues."""
    number = int(record_number.rsplit("-", 1)[-1])
    return {
        "ssn": f"9{number // 100:02d}-{number % 100:02d}-{1000 + number:04d}",
        "medicaid_number": f"ID{number:09d}",
    }
