"""The database connection is configured for short OLTP queries (casemgmt/settings.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Region

pytestmark = pytest.mark.django_db


def test_connections_run_without_jit_compilation() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_connections_are_kept_between_requests_and_checked_before_reuse() -> None:
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_connections_price_random_reads_for_data_in_memory_or_on_ssd() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


def test_a_model_select_box_reads_its_options_without_a_server_side_cursor() -> None:
    Region.objects.create(name="Southwest")
    field = forms.ModelChoiceField(queryset=Region.objects.order_by("name"))
    with CaptureQueriesContext(connection) as captured:
        assert [label for _, label in field.choices][1:] == ["Southwest"]
    assert [q["sql"] for q in captured.captured_queries if "DECLARE" in q["sql"]] == []
    assert len(captured.captured_queries) == 1
