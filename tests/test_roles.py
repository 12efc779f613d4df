"""casemgmt.roles: one check per role, and a deactivated account may do nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from casemgmt.roles import (
    is_active_administrator,
    is_clinical_writer,
    require_administrator,
    require_clinical_writer,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "writes"), [("alice", True), ("sam", True), ("ada", False), ("quinn", False)]
)
def test_case_managers_and_supervisors_write_clinical_records(
    request, who: str, writes: bool
) -> None:
    assert is_clinical_writer(request.getfixturevalue(who)) is writes


@pytest.mark.parametrize(
    ("who", "administers"), [("alice", False), ("sam", False), ("ada", True), ("quinn", False)]
)
def test_only_administrators_administer(request, who: str, administers: bool) -> None:
    assert is_active_administrator(request.getfixturevalue(who)) is administers


def test_a_deactivated_case_manager_writes_nothing(alice: User) -> None:
    alice.is_active = False
    with pytest.raises(PermissionDenied, match="Only case managers and supervisors"):
        require_clinical_writer(alice)


def test_a_deactivated_administrator_decides_nothing(ada: User) -> None:
    ada.is_active = False
    with pytest.raises(PermissionDenied, match="Only division administration approves variances"):
        require_administrator(ada, to="approves variances")


def test_it_names_what_was_refused(quinn: User) -> None:
    with pytest.raises(
        PermissionDenied, match="Only case managers and supervisors record contacts"
    ):
        require_clinical_writer(quinn, to="record contacts")
