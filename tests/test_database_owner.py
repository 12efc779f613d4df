"""The tables' owner role (casemgmt.database_roles): what it may do, which is why the app does
not connect as it, and why the audit has a keyed chain besides (tests/audit)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from casemgmt.database_roles import least_privilege_problems
from clients.models import AccessLog
from tests.test_deploy_settings import SERVE, _run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("as_database_owner")]


def test_the_owner_is_named_as_a_role_the_app_must_not_use() -> None:
    [problem] = least_privilege_problems(connection)
    assert "owns the tables" in problem


def test_the_append_only_triggers_refuse_the_owner_too(alice) -> None:
    AccessLog.objects.create(user=alice, action=AccessLog.Action.VIEWED, path="/clients/")
    with pytest.raises(DatabaseError, match="pgtrigger"), transaction.atomic():
        AccessLog.objects.all().delete()


def test_the_wsgi_entry_point_refuses_to_serve_as_the_owner() -> None:
    result = _run(
        [
            "-c",
            "from django.conf import settings; "
            f"settings.DATABASES['default']['NAME'] = {connection.settings_dict['NAME']!r}; "
            + SERVE,
        ],
        CASEWORK_DATABASE_AS_OWNER="1",
    )
    assert result.returncode != 0
    assert "owns the tables" in result.stderr
