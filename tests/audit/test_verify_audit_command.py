"""``manage.py verify_audit``: seals what is new, checks the chain, and exits non-zero with
the first break."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import Seal
from tests.audit.tampering import access_log_seal, as_owner, log_views

# The owner role tampers with the audit rows here (tests.audit.tampering).
pytestmark = pytest.mark.usefixtures("as_database_owner")


def _verify_audit(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_it_says_the_chain_is_intact(alice):
    log_views(alice, 2)
    output = _verify_audit()
    assert "The audit chain is intact" in output


def test_it_prints_the_newest_seals_digest_to_keep_elsewhere(alice):
    log_views(alice, 2)
    output = _verify_audit()
    newest = Seal.objects.latest("id")
    assert f"Newest seal: {newest.pk}, digest {newest.digest}." in output


def test_it_seals_new_rows_first(alice):
    log_views(alice, 2)
    output = _verify_audit()
    assert "Sealed" in output
    assert access_log_seal().row_count == 2


def test_it_can_verify_without_sealing(alice):
    log_views(alice, 2)
    _verify_audit("--no-seal")
    assert not Seal.objects.exists()


def test_it_exits_non_zero_with_the_first_break(alice):
    logged = log_views(alice, 3)
    _verify_audit()
    with as_owner() as cursor:
        cursor.execute(
            "UPDATE clients_accesslog SET path = '/elsewhere/' WHERE id = %s", [logged[2].pk]
        )
    with pytest.raises(CommandError) as failure:
        _verify_audit()
    assert failure.value.returncode == 1
    message = str(failure.value)
    assert f"clients_accesslog, rows 1-{logged[2].pk} (seal {access_log_seal().pk})" in message
    assert "a row was altered" in message
