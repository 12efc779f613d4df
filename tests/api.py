"""Helpers shared by the API tests."""

from typing import Any


def listed_ids(response: Any) -> set[int]:
    """The ids on one page of a paginated list response."""
    return {row["id"] for row in response.json()["results"]}
