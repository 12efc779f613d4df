"""The record-review checklist in the admin: administrators configure it, never delete it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quality.benchmarks import RULES
from quality.models import Benchmark

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_benchmark_the_reviewer_judges_alone(client, ada) -> None:
    client.force_login(ada)
    response = client.post(
        reverse("admin:quality_benchmark_add"),
        {"code": "progress-notes", "label": "Notes show progress on the goals", "data_rule": "",
         "position": 8, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Benchmark.objects.get(code="progress-notes").data_rule == ""


def test_the_rules_offered_are_those_the_data_answers(client, ada) -> None:
    client.force_login(ada)
    response = client.get(reverse("admin:quality_benchmark_add"))
    offered = [value for value, _ in response.context["adminform"].form.fields["data_rule"].choices]
    assert offered == ["", *RULES]


def test_the_default_checklist_comes_from_the_seeds_each_answered_by_a_rule() -> None:
    assert sorted(Benchmark.objects.values_list("data_rule", flat=True)) == sorted(RULES)


def test_a_benchmark_cannot_be_deleted_in_the_admin(client, ada) -> None:
    client.force_login(ada)
    benchmark = Benchmark.objects.first()
    response = client.post(
        reverse("admin:quality_benchmark_delete", args=[benchmark.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Benchmark.objects.filter(pk=benchmark.pk).exists()
