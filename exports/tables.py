"""What can be exported: each list or report registers how it builds its table for a viewer.

A page and its export build their rows with the same function, so the file holds the rows the
page shows, in the viewer's scope, and a job run later by a Celery worker rebuilds them the same
way from the stored query (exports.services). Each app registers its tables when it is ready
(``AppConfig.ready`` imports its ``tables`` module), as the compliance rules register theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.http import QueryDict

from accounts.models import User
from accounts.selectors import WorklistChoice, worklist_choice
from casemgmt.service_forms import query_int


@dataclass(frozen=True)
class Table:
    """The headers and rows of an export. ``rows`` may be lazy (a server-side cursor), so a
    large export is never held in memory; ``count`` is known before they are read; ``part2``
    says whether the rows hold substance-use treatment records (42 CFR 2.32 notice)."""

    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    count: int
    part2: bool


class InvalidQuery(ValueError):
    """The page's parameters do not make a table; ``errors`` are the form's field errors."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))
        self.errors = errors


def cleaned_data(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or ``InvalidQuery`` with its errors: a table reads its
    parameters through the page's own form."""
    if not form.is_valid():
        raise InvalidQuery(
            {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    return form.cleaned_data


# Rows a table reads per query (in_chunks).
CHUNK_ROWS = 2_000

M = TypeVar("M", bound=Model)


def in_chunks(rows: QuerySet[M]) -> Iterator[M]:
    """The rows in their order, read ``CHUNK_ROWS`` at a time: their keys first (a few bytes a
    row), then each chunk of rows by key, with the queryset's joins and annotations. The
    settings turn server-side cursors off, so ``iterator()`` would fetch a whole agency's rows
    in one result; this holds one chunk."""
    keys = list(rows.values_list("pk", flat=True))
    for start in range(0, len(keys), CHUNK_ROWS):
        part = keys[start : start + CHUNK_ROWS]
        found = {row.pk: row for row in rows.filter(pk__in=part)}
        yield from (found[key] for key in part if key in found)


def holds_part2(rows: QuerySet[Any], program: str) -> bool:
    """Whether any of ``rows`` belongs to a substance-use treatment program under 42 CFR Part 2
    (``program`` is the path from a row to its program, e.g. ``"enrollment__program"``): such
    an export carries the 42 CFR 2.32 notice. One query."""
    return rows.filter(**{f"{program}__is_part2": True}).exists()


TableBuilder = Callable[[User, QueryDict], Table]


@dataclass(frozen=True)
class ExportSource:
    name: str
    filename: str
    build: TableBuilder


_sources: dict[str, ExportSource] = {}


def register(name: str, *, filename: str) -> Callable[[TableBuilder], TableBuilder]:
    """Register ``build(viewer, query) -> Table`` as the export ``name`` (its files are called
    ``filename-<date>.csv``). ``build`` reads its parameters from ``query`` through the page's
    form and raises ``InvalidQuery`` when they do not validate."""

    def registered(build: TableBuilder) -> TableBuilder:
        if name in _sources and _sources[name].build is not build:
            raise ValueError(f"An export named {name!r} is registered twice.")
        _sources[name] = ExportSource(name=name, filename=filename, build=build)
        return build

    return registered


def source(name: str) -> ExportSource:
    return _sources[name]


def registered_sources() -> tuple[ExportSource, ...]:
    return tuple(_sources.values())


def worklist_from_query(viewer: User, query: QueryDict) -> WorklistChoice:
    """Whose work ``?team=`` and ``?case_manager=`` ask for, as a list page reads them
    (casemgmt.http.worklist_asked, whose 404 is here an invalid query)."""
    try:
        return worklist_choice(
            viewer=viewer,
            team_id=query_int(query, "team"),
            case_manager_id=query_int(query, "case_manager"),
        )
    except LookupError as missing:
        raise InvalidQuery({"case_manager": [str(missing)]}) from missing
