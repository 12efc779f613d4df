"""The export registry's helpers (exports.tables): rows read a chunk at a time in their order,
and whether rows come from a 42 CFR Part 2 program."""

from __future__ import annotations

import pytest

from clients.models import Client, Enrollment, Program
from exports import tables
from tests import factories

pytestmark = pytest.mark.django_db


def test_in_chunks_keeps_the_order_and_reads_every_row_once(monkeypatch) -> None:
    monkeypatch.setattr(tables, "CHUNK_ROWS", 2)
    made = [factories.ClientFactory(last_name=name) for name in ("Cruz", "Abel", "Diaz", "Bell")]
    ordered = Client.objects.filter(pk__in=[c.pk for c in made]).order_by("-last_name")
    assert [c.last_name for c in tables.in_chunks(ordered)] == ["Diaz", "Cruz", "Bell", "Abel"]


def test_in_chunks_of_no_rows_yields_nothing() -> None:
    assert list(tables.in_chunks(Client.objects.none())) == []


def test_rows_of_a_part2_program_hold_part2_records(enrollment: Enrollment) -> None:
    Program.objects.filter(pk=enrollment.program_id).update(is_part2=True)
    assert tables.holds_part2(Enrollment.objects.all(), "program")


def test_rows_of_other_programs_do_not(enrollment: Enrollment) -> None:
    assert not tables.holds_part2(Enrollment.objects.all(), "program")
