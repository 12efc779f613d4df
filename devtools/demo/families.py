"""Families of the demo clients: a child's parents, grandparents or foster parent and
siblings; an adult's partner, children or sister."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clients.models import Client, FamilyMember
from devtools.demo.plan import ClientPlan, FamilyPlan, PlannerBase
from devtools.demo.words import BOYS, GIRLS, MEN, WOMEN

Rel = FamilyMember.Relationship


@dataclass(frozen=True)
class Relative:
    """A kind of family member: relationship, sex, how many years older than the client
    (fewest, most) and what the notes call them."""

    relationship: str
    female: bool
    age_years: tuple[int, int]
    called: str
    same_surname: bool = True


MOTHER = Relative(Rel.PARENT, True, (20, 40), "mother")
FATHER = Relative(Rel.PARENT, False, (21, 45), "father")
STEPFATHER = Relative(Rel.STEP_PARENT, False, (22, 45), "stepfather", same_surname=False)
GRANDMOTHER = Relative(Rel.GRANDPARENT, True, (45, 70), "grandmother")
# The mother of a child in the grandmother's care.
MOTHER_AWAY = Relative(Rel.PARENT, True, (20, 38), "mother")
FOSTER_MOTHER = Relative(Rel.FOSTER_PARENT, True, (30, 60), "foster mother", same_surname=False)
SIBLING = Relative(Rel.SIBLING, False, (-6, 6), "sibling")
PARTNER = Relative(Rel.SPOUSE_PARTNER, False, (-8, 8), "partner")
CHILD = Relative(Rel.CHILD, False, (-35, -18), "child")
SISTER = Relative(Rel.OTHER_RELATIVE, True, (-5, 5), "sister")


class FamilyPlanner(PlannerBase):
    """The family-planning part of :class:`devtools.demo.planner.AgencyPlanner`."""

    def _member(
        self,
        client: ClientPlan,
        relative: Relative,
        *,
        female: bool | None = None,  # the relative's own unless given
        same_surname: bool | None = None,  # likewise
        is_guardian: bool = False,
        lives_in_household: bool = True,
        takes_part_in_planning: bool = False,
    ) -> FamilyPlan:
        relationship = relative.relationship
        female = relative.female if female is None else female
        young = relationship in (Rel.SIBLING, Rel.CHILD)
        firsts = (GIRLS if female else BOYS) if young else (WOMEN if female else MEN)
        if same_surname is None:
            same_surname = relative.same_surname
        first, last = self._unique_name(
            firsts, client.fields["last_name"] if same_surname else None
        )
        born = client.fields["date_of_birth"]
        date_of_birth = born - dt.timedelta(days=self.rng.randint(*relative.age_years) * 365)
        date_of_birth = min(date_of_birth, self.today - dt.timedelta(days=200))
        fields = {
            "first_name": first,
            "last_name": last,
            "relationship": relationship,
            "date_of_birth": date_of_birth,
            "is_guardian": is_guardian,
            "lives_in_household": lives_in_household,
            "takes_part_in_planning": takes_part_in_planning,
            "phone": "" if young else self._phone(),
        }
        return FamilyPlan(fields=fields, called=f"{relative.called} {first}")

    def _plan_child_family(self, client: ClientPlan) -> None:
        rng = self.rng
        roll = rng.random()
        add = client.family.append
        guardian = {"is_guardian": True, "takes_part_in_planning": True}
        if roll < 0.55:  # mother, often with father or a stepfather
            add(self._member(client, MOTHER, **guardian))
            if rng.random() < 0.5:
                takes_part = rng.random() < 0.6
                add(
                    self._member(
                        client, FATHER, is_guardian=True, takes_part_in_planning=takes_part
                    )
                )
            elif rng.random() < 0.4:
                add(self._member(client, STEPFATHER))
        elif roll < 0.70:  # father raising the child alone
            add(self._member(client, FATHER, **guardian))
        elif roll < 0.88:  # grandmother has guardianship; mother out of the home
            add(self._member(client, GRANDMOTHER, **guardian))
            add(self._member(client, MOTHER_AWAY, lives_in_household=False))
        else:  # foster placement: the state holds custody, the foster parent takes part
            add(self._member(client, FOSTER_MOTHER, takes_part_in_planning=True))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            add(self._member(client, SIBLING, female=rng.random() < 0.5))

    def _plan_adult_family(self, client: ClientPlan) -> None:
        rng = self.rng
        add = client.family.append
        if rng.random() < 0.5:
            add(
                self._member(
                    client,
                    PARTNER,
                    female=client.fields["sex"] == Client.Sex.MALE,
                    same_surname=rng.random() < 0.5,
                    takes_part_in_planning=rng.random() < 0.4,
                )
            )
        if rng.random() < 0.35:
            for _ in range(rng.choice((1, 1, 2))):
                add(self._member(client, CHILD, female=rng.random() < 0.5))
        if rng.random() < 0.2:
            add(self._member(client, SISTER, lives_in_household=False, takes_part_in_planning=True))
