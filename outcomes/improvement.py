"""What "improved" means for an outcome measure (TIP 27, ACCSA module 19: the indicators of
success defined in advance, and client outcomes such as sobriety, family functioning and fewer
encounters with the criminal justice system).

A measure improves when it moves in its direction by at least its smallest meaningful change:
a count where lower is better (days of substance use, criminal-justice encounters, emergency
room visits, hospital days) falls by at least that much; a rating where higher is better
(family functioning) rises by at least that much; a categorical measure (housing, employment
or school) moves up its list of categories (worst first) by at least that many steps. It
worsens by as much the other way; anything smaller is no meaningful change.

``position`` and ``change_class`` are the rule in Python (the client page); ``position_sql``
and ``gain_sql`` the same rule in SQL (the outcomes report). Tests check that they agree.
"""

from __future__ import annotations

from typing import Literal

from django.db.models import Case, F, Func, IntegerField, Q, When
from django.db.models.expressions import Combinable

from outcomes.models import Direction

Change = Literal["improved", "worsened", "unchanged"]
IMPROVED: Change = "improved"
WORSENED: Change = "worsened"
UNCHANGED: Change = "unchanged"


def position(*, number: int | None, category: str, categories: list[str]) -> int | None:
    """Where a value stands on its measure's scale: the number itself, or the category's place
    in the list (1 = worst); None when not recorded (or a category no longer listed)."""
    if category:
        return categories.index(category) + 1 if category in categories else None
    return number


def gain(*, baseline: int, latest: int, direction: str) -> int:
    """The change in the measure's direction of improvement (positive: better)."""
    return latest - baseline if direction == Direction.HIGHER_IS_BETTER else baseline - latest


def change_class(*, baseline: int, latest: int, direction: str, meaningful_change: int) -> Change:
    """Improved, worsened or unchanged, from two positions on the measure's scale."""
    moved = gain(baseline=baseline, latest=latest, direction=direction)
    if moved >= meaningful_change:
        return IMPROVED
    if -moved >= meaningful_change:
        return WORSENED
    return UNCHANGED


def position_sql(value_path: str = "", measure_path: str = "measure") -> Case:
    """``position`` in SQL, for a MeasureValue reached by ``value_path`` (a prefix ending in
    "__", or "" from MeasureValue itself): PostgreSQL's array_position is 1-based and NULL for
    a category not in the list, as ``position``."""
    return Case(
        When(
            ~Q(**{f"{value_path}category": ""}),
            then=Func(
                F(f"{value_path}{measure_path}__categories"),
                F(f"{value_path}category"),
                function="array_position",
                output_field=IntegerField(),
            ),
        ),
        default=F(f"{value_path}number"),
        output_field=IntegerField(),
    )


def gain_sql(*, baseline: Combinable, latest: Combinable, direction_path: str) -> Case:
    """``gain`` in SQL."""
    return Case(
        When(**{direction_path: Direction.HIGHER_IS_BETTER}, then=latest - baseline),
        default=baseline - latest,
        output_field=IntegerField(),
    )
