"""``python -m devtools.api_fuzz.verdict CALLS``: the verdict on the calls the hooks logged
(one JSON line per call: role, operation, status). Prints, per role, the calls and operations
tested and the count of each status, then fails (exit 1) on any 5xx, on a write operation of
``expected.WRITES`` that never answered 2xx (with the refusals it got most), or on a 2xx to a
write the role may not perform. No Django."""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from devtools.api_fuzz.expected import WRITES

_WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _is_write(operation: str) -> bool:
    return operation.startswith(_WRITE_METHODS)


def problems_of_role(role: str, calls: list[dict[str, Any]]) -> list[str]:
    """What fails the run in ``role``'s calls, as lines to print."""
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    refusals: dict[str, Counter[str]] = defaultdict(Counter)
    for call in calls:
        statuses[call["operation"]][call["status"]] += 1
        if "answer" in call:
            refusals[call["operation"]][f"{call['status']} {call['answer'][:120]}"] += 1
    problems = [
        f"{operation}: {count[status]} answers {status}"
        for operation, count in sorted(statuses.items())
        for status in sorted(count)
        if status >= 500
    ]
    succeeded = {
        operation
        for operation, count in statuses.items()
        if _is_write(operation) and any(200 <= status < 300 for status in count)
    }
    for operation in sorted(WRITES[role] - succeeded):
        tried = sum(statuses[operation].values())
        problems.append(f"{operation}: no 2xx in {tried} calls")
        problems.extend(
            f"    {times} x {answer}" for answer, times in refusals[operation].most_common(3)
        )
    problems.extend(
        f"{operation}: answered 2xx, but {role} may not perform it"
        for operation in sorted(succeeded - WRITES[role])
    )
    return problems


def report(calls: list[dict[str, Any]]) -> int:
    by_role: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        by_role[call["role"]].append(call)
    failed = False
    for role in WRITES:
        mine = by_role.get(role, [])
        operations = {call["operation"] for call in mine}
        counts = Counter(call["status"] for call in mine)
        written = sum(1 for operation in WRITES[role] if operation in operations)
        print(
            f"{role}: {len(mine)} calls over {len(operations)} operations; "
            f"writes it may perform: {len(WRITES[role])} ({written} called)"
        )
        print(
            "  statuses: " + ", ".join(f"{status}: {counts[status]}" for status in sorted(counts))
        )
        problems = problems_of_role(role, mine) if mine else ["no calls"]
        for line in problems:
            print(f"  FAIL {line}")
        failed = failed or bool(problems)
    print("schemathesis run: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    path = Path(argv[1])
    calls = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return report(calls)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
