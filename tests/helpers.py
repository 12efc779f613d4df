"""Helpers shared by the tests: dates relative to today, and the API list's query count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from supervision.compliance import EvaluationReport, compliance_evaluate


def today() -> dt.date:
    """The agency's today (tests freeze it with time-machine where the day matters)."""
    return timezone.localdate()


def days_ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def in_days(days: int) -> dt.date:
    return today() + dt.timedelta(days=days)


def listed_ids(response: Any) -> set[int]:
    """The ids on one page of a paginated list response."""
    return {row["id"] for row in response.json()["results"]}


def _api_count(response: Any) -> int:
    return int(response.json()["count"])


def assert_list_queries_constant(
    api: APIClient | Client,
    url: str,
    record: Callable[[int], None],
    *,
    rows_of: Callable[[Any], int] = _api_count,
) -> None:
    """The list takes as many queries with 50 rows as with 5: ``record(n)`` adds n rows.
    ``rows_of(response)`` says how many rows the list counts (an API list's ``count``; give
    it for a page, e.g. ``lambda r: r.context["page"].paginator.count``)."""
    api.get(url)  # the session's first request stamps the login time

    def queries_for_list(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert rows_of(response) == expected_rows
        return len(queries.captured_queries)

    record(5)
    at_five = queries_for_list(5)
    record(45)
    assert queries_for_list(50) == at_five


def evaluate_on(as_of: dt.date, *, enrollment_ids: list[int] | None = None) -> EvaluationReport:
    """The compliance evaluation as the nightly run writes it on the day ``as_of``: only
    today's evaluation writes, so the clock is set to noon that day first."""
    noon = timezone.make_aware(dt.datetime.combine(as_of, dt.time(12)))
    with time_machine.travel(noon, tick=False):
        return compliance_evaluate(as_of=as_of, enrollment_ids=enrollment_ids)
