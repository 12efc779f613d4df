"""The schemathesis run's expectations (devtools.api_fuzz): every write operation of the schema
is placed in one role's list or among the supervisors' own, and the verdict fails on a 5xx, on
a write the role may perform that never succeeded, and on one it may not that did."""

from __future__ import annotations

from typing import Any

from drf_spectacular.generators import SchemaGenerator

from devtools.api_fuzz.expected import ADMINISTRATOR, CASE_MANAGER, NOBODY_HERE, WRITES
from devtools.api_fuzz.verdict import problems_of_role, report

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _schema_writes() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITE_METHODS
    }


def _calls(role: str, status: int, operations: frozenset[str]) -> list[dict[str, Any]]:
    return [{"role": role, "operation": op, "status": status} for op in sorted(operations)]


def test_it_places_every_write_operation_of_the_schema() -> None:
    placed = ADMINISTRATOR | CASE_MANAGER | NOBODY_HERE
    assert _schema_writes() == placed


def test_it_places_each_write_operation_once() -> None:
    lists = [ADMINISTRATOR, CASE_MANAGER, NOBODY_HERE]
    assert sum(len(writes) for writes in lists) == len(ADMINISTRATOR | CASE_MANAGER | NOBODY_HERE)


def test_it_passes_a_role_whose_writes_each_succeeded() -> None:
    calls = _calls("administrator", 200, ADMINISTRATOR) + _calls("administrator", 403, CASE_MANAGER)
    assert problems_of_role("administrator", calls) == []


def test_it_fails_on_a_server_error() -> None:
    calls = _calls("administrator", 200, ADMINISTRATOR)
    calls.append({"role": "administrator", "operation": "GET /api/v1/clients/", "status": 500})
    assert problems_of_role("administrator", calls) == ["GET /api/v1/clients/: 1 answers 500"]


def test_it_fails_an_api_that_refuses_everything() -> None:
    calls = [
        {**call, "answer": '{"detail": "No."}'}
        for call in _calls("case_manager", 403, CASE_MANAGER)
    ]
    problems = problems_of_role("case_manager", calls)
    assert "POST /api/v1/clients/: no 2xx in 1 calls" in problems
    assert len([line for line in problems if "no 2xx" in line]) == len(CASE_MANAGER)


def test_it_fails_a_write_the_role_may_not_perform() -> None:
    calls = _calls("case_manager", 201, CASE_MANAGER | {"POST /api/v1/providers/"})
    assert problems_of_role("case_manager", calls) == [
        "POST /api/v1/providers/: answered 2xx, but case_manager may not perform it"
    ]


def test_it_fails_a_role_that_made_no_call(capsys: Any) -> None:
    calls = _calls("case_manager", 201, CASE_MANAGER)
    assert report(calls) == 1
    assert "FAIL no calls" in capsys.readouterr().out
    assert set(WRITES) == {"case_manager", "administrator"}
