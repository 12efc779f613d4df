"""schemathesis hooks of the API run (``SCHEMATHESIS_HOOKS=devtools.api_fuzz.hooks``); no Django.

Read from the environment: ``CASEWORK_FUZZ_SETUP`` (the JSON of ``manage.py api_fuzz_setup``),
``CASEWORK_FUZZ_ROLE`` (its role to play) and ``CASEWORK_FUZZ_LOG`` (where every call's
status is appended, one JSON line each, for ``devtools.api_fuzz.verdict``).

Ids generated at random name no record the role may see, and random dates fall centuries
from today, so nearly every write would stop at a 404 or a 400 and never reach the services.
Three generated calls in four (positive ones only: the negative ones stay as generated) are
therefore sent to a record of the role's pools, with the body fields that must agree with it,
and with every date and time moved near today; everything else stays as generated, but for
the ids generated for writes, moved where no record is.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
# Days from today a generated date is moved to: what is due, proposed or ends lies ahead;
# anything else happened (the rules say "not in the future", "not before the application").
_FUTURE = ("due", "target", "expires", "ends")
_AHEAD = (1, 14, 30)
_PAST = (-30, -1, 0, 0)
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Generated ids are mostly small numbers, which name real records: a write sent to one would
# close, revoke or transfer what another operation's chosen records depend on. A generated id
# sent to a write is moved above this, where no record is (a 404 all the same).
_NO_RECORD_FROM = 10**12
_LOCK = threading.Lock()


def _setup() -> dict[str, Any]:
    setup = json.loads(Path(os.environ["CASEWORK_FUZZ_SETUP"]).read_text())
    role: dict[str, Any] = setup[os.environ["CASEWORK_FUZZ_ROLE"]]
    return role


SETUP = _setup()
ROLE = os.environ["CASEWORK_FUZZ_ROLE"]
LOG = Path(os.environ["CASEWORK_FUZZ_LOG"])


def _near_today(value: Any, draws: list[int], field: str = "") -> Any:
    """``value`` with each date (and date-time) string moved near today, by the next draw."""
    if isinstance(value, dict):
        return {key: _near_today(item, draws, key) for key, item in value.items()}
    if isinstance(value, list):
        return [_near_today(item, draws, field) for item in value]
    if not isinstance(value, str) or not draws:
        return value
    draw = draws.pop()
    if _DATETIME.match(value):
        moment = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1 + draw)
        return moment.isoformat(timespec="seconds")
    if _DATE.match(value):
        ahead = any(word in field for word in _FUTURE)
        days = _AHEAD[draw % len(_AHEAD)] if ahead else _PAST[draw % len(_PAST)]
        return str(dt.date.today() + dt.timedelta(days=days))
    return value


def _off_the_records(case: schemathesis.Case) -> schemathesis.Case:
    generated = case.path_parameters.get("id")
    if (
        case.method.upper() in _WRITES
        and type(generated) is int
        and 0 < generated < _NO_RECORD_FROM
    ):
        case.path_parameters = {**case.path_parameters, "id": generated + _NO_RECORD_FROM}
    return case


def _chosen(
    case: schemathesis.Case,
    realistic: bool,
    on: dict[str, Any] | None,
    fields: dict[str, Any] | None,
    draws: list[int],
) -> schemathesis.Case:
    _off_the_records(case)
    if not realistic:
        return case
    if on is not None and "id" in case.path_parameters:
        case.path_parameters = {**case.path_parameters, "id": on["id"]}
    if isinstance(case.body, dict):
        # Sent as JSON, where null is null (a form would send the string "null").
        case.media_type = "application/json"
        # Files (a signed copy) have no JSON form: left out.
        fields_sent = {k: v for k, v in case.body.items() if not isinstance(v, bytes)}
        body = _near_today(copy.deepcopy(fields_sent), draws)
        body.update(fields or {})
        body.update(on["body"] if on is not None else {})
        case.body = body
    return case


@schemathesis.hook
def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> Any:
    meta = case.meta
    if meta is not None and meta.generation.mode == GenerationMode.NEGATIVE:
        return st.just(_off_the_records(case))
    label = f"{case.method.upper()} {case.path}"
    on = SETUP["paths"].get(label) or [None]
    fields = SETUP["bodies"].get(label) or [None]
    return st.builds(
        _chosen,
        st.just(case),
        st.sampled_from([True, True, True, False]),
        st.sampled_from(on),
        st.sampled_from(fields),
        st.lists(st.integers(min_value=0, max_value=11), min_size=12, max_size=12),
    )


@schemathesis.hook
def after_call(context: schemathesis.HookContext, case: schemathesis.Case, response: Any) -> None:
    row: dict[str, Any] = {
        "role": ROLE,
        "operation": f"{case.method.upper()} {case.path}",
        "status": response.status_code,
    }
    if case.method.upper() in _WRITES and not 200 <= response.status_code < 300:
        row["answer"] = response.content[:300].decode(errors="replace")
    with _LOCK, LOG.open("a") as log:
        log.write(json.dumps(row) + "\n")
