"""What the serviceplans API modules share: foreign keys in request bodies looked up in the
user's scope (another team's record is "not found", as a guessed id is), and the rule that a
record's parent stays the one it was created under."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from accounts.models import User
from casemgmt.api import ScopedPrimaryKeyRelatedField
from clients.models import Enrollment
from serviceplans.models import Goal, ServicePlan


def _enrollments_in_scope(user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user)


def _plans_in_scope(user: User) -> QuerySet[ServicePlan]:
    return ServicePlan.objects.visible_to(user)


def _goals_in_scope(user: User) -> QuerySet[Goal]:
    return Goal.objects.visible_to(user)


def enrollment_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        scope=_enrollments_in_scope,
        error_messages={"does_not_exist": "No enrollment {pk_value} among your teams' clients."},
    )


def plan_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        queryset=ServicePlan.objects.none(),
        scope=_plans_in_scope,
        error_messages={"does_not_exist": "No plan {pk_value} among your teams' plans."},
    )


def goal_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        queryset=Goal.objects.none(),
        scope=_goals_in_scope,
        error_messages={"does_not_exist": "No goal {pk_value} among your teams' plans."},
    )


class CreateOnlyParentMixin:
    """The parent named on creation (a goal's plan, an action's goal) stays: a PATCH may
    repeat it but not move the record elsewhere."""

    parent_field: str
    instance: Any

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        parent = attrs.get(self.parent_field)
        current = getattr(self.instance, f"{self.parent_field}_id", None)
        if parent is not None and current is not None and parent.pk != current:
            raise serializers.ValidationError(
                {self.parent_field: "This cannot be changed; add a new one instead."}
            )
        return attrs
